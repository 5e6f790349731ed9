import type { BinaryString } from '../bytes'
import type { ValueMemo } from '../tcache'
import { asciiLower, logEscapeNq } from '../log-escape'

/**
 * One value a target produces: what the operator sees (value), what ModSecurity prints and
 * MATCHED_VAR_NAME reports (name: "ARGS:foo", "REQUEST_URI") and the key used by selectors
 * (key as sent, fkey folded to ASCII lower case). Items are immutable and shared: the sources
 * build them once per transaction (or per change, for TX) and rules only collect references, so
 * the transformation cache can key on the value string and MATCHED_VARS can keep references.
 */
export interface Item {
  readonly key: BinaryString
  readonly fkey: string
  readonly name: string
  readonly value: BinaryString
  /** how "Match of ... against ..." names a synthetic item (counts: "&ARGS:foo") */
  readonly full?: string
  /**
   * The transformation memo of the value (tcache.ts memoOf), set by the first rule that
   * transforms the item and valid for that transaction only. Every creation site sets it to
   * undefined, so that items keep one shape.
   */
  memo: ValueMemo | undefined
}

/** "PREFIX:" by prefix (variable and collection names: a small, program-bound set) */
const WITH_COLON = new Map<string, string>()

function withColon(prefix: string): string {
  let p = WITH_COLON.get(prefix)
  if (p === undefined) {
    p = prefix + ':'
    if (WITH_COLON.size < 256) WITH_COLON.set(prefix, p)
  }
  return p
}

/** An element of a collection: name = PREFIX:key with the key escaped as v2 prints it. */
export function collectionItem(prefix: string, key: BinaryString, value: BinaryString): Item {
  return { key, fkey: asciiLower(key), name: withColon(prefix) + logEscapeNq(key), value, memo: undefined }
}

/** A scalar variable's single value: name is the variable name. */
export function scalarItem(name: string, value: BinaryString): Item {
  return { key: '', fkey: '', name, value, memo: undefined }
}
