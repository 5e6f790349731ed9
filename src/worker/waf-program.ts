import type { Bundle } from '../bundle/schema'
import { loadProgram, type LoadOptions, type Program } from '../engine/index'

/**
 * The bundle linked once per isolate (module scope of index.ts). The WAF_ENGINE override needs
 * no second program: it is the transaction's SecRuleEngine (TransactionOptions.ruleEngine).
 */
export interface LinkedWaf {
  readonly bundle: Bundle
  readonly program: Program
}

export function linkWaf(bundle: Bundle, options: LoadOptions = {}): LinkedWaf {
  return { bundle, program: loadProgram(bundle, options) }
}
