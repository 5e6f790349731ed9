import type { BinaryString } from '../bytes'
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
}

/** An element of a collection: name = PREFIX:key with the key escaped as v2 prints it. */
export function collectionItem(prefix: string, key: BinaryString, value: BinaryString): Item {
  return { key, fkey: asciiLower(key), name: prefix + ':' + logEscapeNq(key), value }
}

/** A scalar variable's single value: name is the variable name. */
export function scalarItem(name: string, value: BinaryString): Item {
  return { key: '', fkey: '', name, value }
}
