import type { Template } from '../../bundle/schema'
import type { Collection } from '../collections/collection'
import type { PersistentCollection } from '../collections/persistent'
import { asciiLower, atoi, logEscapeNq } from '../log-escape'
import { WORK_UNITS } from '../budget'
import { expand } from '../macro'
import type { LinkedRule } from '../program'
import type { TxState } from '../tx-state'
import { collectionItem } from '../variables/item'

/**
 * setvar with v2 semantics (re_actions.c msre_action_setvar_execute), recorded on 2.9.7
 * (test/vectors/actions/setvar.json):
 * - the name is macro-expanded and escaped like a log string (non-printables as \xHH);
 * - `=value` sets the expanded value; `=+N` / `=-N` add atoi(sign + expanded N) to
 *   atoi(current) (a missing variable counts as 0, "abc" counts as 0, "+ 4" adds 0) and the
 *   result never goes below 0 ("counters never go below zero": n=5 then n=-7 gives 0);
 * - `!name` deletes; a name without value sets "1" (the compiler emits value "1");
 * - only TX and collections opened by initcol/setsid/setuid/setrsc exist; others are ignored.
 */
export function setvar(
  tx: TxState,
  rule: LinkedRule,
  collection: string,
  keyT: Template,
  op: '=' | '+' | '-' | '!',
  valueT: Template,
): void {
  if (collection === 'tx' && typeof keyT === 'string' && op !== '!') {
    setTxFixed(tx, fixedTxKey(keyT), op, expand(tx, valueT, rule))
    return
  }
  const key = logEscapeNq(expand(tx, keyT, rule))
  // a key made of request data (CRS: %{MATCHED_VAR_NAME}) can be as long as an argument name:
  // escaped twice, folded and hashed per byte (budget.ts)
  tx.work += key.length * WORK_UNITS.setvarKeyByte
  if (collection === 'tx') {
    apply(tx.tx, undefined, key, op, op === '!' ? '' : expand(tx, valueT, rule))
    return
  }
  const pc = tx.persistent.get(collection)
  if (pc === undefined) return
  const value = op === '!' ? '' : expand(tx, valueT, rule)
  if (pc.pending !== undefined) {
    pc.queued.push((c) => apply(c.col, c, key, op, value))
    return
  }
  apply(pc.col, pc, key, op, value)
}

/** A TX key written without macros: escaped, folded and named once per isolate. */
interface FixedKey {
  readonly key: string
  readonly fkey: string
  readonly name: string
}

/**
 * By key template (literal text from the bundle, so the set is bounded by the loaded programs;
 * capped all the same). A CRS transaction sets about 60 TX variables this way.
 */
const FIXED_TX_KEYS = new Map<string, FixedKey>()

function fixedTxKey(t: string): FixedKey {
  let k = FIXED_TX_KEYS.get(t)
  if (k === undefined) {
    const key = logEscapeNq(t)
    const item = collectionItem('TX', key, '')
    k = { key, fkey: item.fkey, name: item.name }
    if (FIXED_TX_KEYS.size < 8192) FIXED_TX_KEYS.set(t, k)
  }
  return k
}

/** apply() on TX for '=', '+', '-' with a fixed key (same semantics). */
function setTxFixed(tx: TxState, k: FixedKey, op: '=' | '+' | '-', value: string): void {
  const col = tx.tx
  if (op === '=') {
    col.setKnown(k.key, k.fkey, k.name, value)
    return
  }
  const cur = col.getFolded(k.fkey)
  const base = cur === undefined ? 0 : atoi(cur.value)
  let v = (base + atoi((op === '-' ? '-' : '+') + value)) | 0
  if (v < 0) v = 0
  col.updateKnown(k.key, k.fkey, k.name, String(v))
}

function apply(
  col: Collection,
  pc: PersistentCollection | undefined,
  key: string,
  op: '=' | '+' | '-' | '!',
  value: string,
): void {
  if (op === '!') {
    col.delete(key)
    // v2 marks the collection changed on every setvar, even deleting a variable it does not
    // have (recorded: vectors/collections/timeline.json, "deleting variables")
    if (pc !== undefined) col.dirty = true
    return
  }
  if (op === '=') {
    col.set(key, value)
    return
  }
  const cur = col.get(key)
  const base = cur === undefined ? 0 : atoi(cur.value)
  if (pc !== undefined) pc.noteOriginal(asciiLower(key), cur === undefined ? '0' : cur.value)
  // C int arithmetic: wraps at 32 bits, then "counters never go below zero"
  let v = (base + atoi((op === '-' ? '-' : '+') + value)) | 0
  if (v < 0) v = 0
  col.update(key, String(v))
}

/**
 * setenv:name=value / setenv:!name (ENV). v2 expands both parts, escapes the name like a log
 * string and writes NUL bytes of the value as \x00; a missing value is "1".
 */
export function setenv(tx: TxState, rule: LinkedRule, nameT: Template, valueT: Template | undefined): void {
  const name = logEscapeNq(expand(tx, nameT, rule))
  if (name.startsWith('!')) {
    tx.env.delete(name.slice(1))
    return
  }
  const value = valueT === undefined ? '1' : expand(tx, valueT, rule)
  tx.env.set(name, value.indexOf('\u0000') >= 0 ? value.split('\u0000').join('\\x00') : value)
}
