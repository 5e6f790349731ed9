/** Deterministic JSON for bundles: stable key order as built, no timestamps, trailing newline. */
import type { Bundle } from '../bundle/schema'

export function serializeBundle(bundle: Bundle): string {
  return JSON.stringify(bundle) + '\n'
}
