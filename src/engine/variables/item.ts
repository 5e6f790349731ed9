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
  /**
   * The cell of the value in the transaction's scratch (tx-scratch.ts, tcache.ts cellOf), set by
   * the first rule that transforms or scans the item and valid for the transaction whose
   * TxState.serial is in vtx (items can outlive a transaction). Every creation site sets
   * vtx: 0, cell: -1, so that items keep one shape.
   */
  vtx: number
  cell: number
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
  return { key, fkey: asciiLower(key), name: withColon(prefix) + logEscapeNq(key), value, vtx: 0, cell: -1 }
}

/** A scalar variable's single value: name is the variable name. */
export function scalarItem(name: string, value: BinaryString): Item {
  return { key: '', fkey: '', name, value, vtx: 0, cell: -1 }
}
