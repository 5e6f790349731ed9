import { asciiLower, atoi } from '../log-escape'
import { Collection } from './collection'
import type { StoredRecord } from './store'

/**
 * v2's persistent-collection lifecycle (re_actions.c init_collection, persist_dbm.c
 * collection_retrieve_ex / collection_store), checked against 2.9.7 with a controlled clock
 * (test/vectors/collections/timeline.json):
 * - a new collection gets __expire_KEY (request time + SecCollectionTimeout), KEY, TIMEOUT,
 *   __key, __name, CREATE_TIME (request time), UPDATE_COUNTER=0 and IS_NEW=1, in that order;
 * - on load, each variable whose __expire_<name> is <= the request time is removed with its
 *   __expire_ entry (an expired __expire_KEY removes KEY); a record without KEY is absent;
 *   UPDATE_RATE = 60 * UPDATE_COUNTER / (now - CREATE_TIME), integer division, 0 when no
 *   second passed, appended after the stored variables;
 * - on store (only when a rule changed the collection): IS_NEW and UPDATE_RATE are dropped,
 *   __expire_KEY = now + TIMEOUT, LAST_UPDATE_TIME = now, UPDATE_COUNTER + 1; the record is
 *   re-read and counters changed with =+/=- (and UPDATE_COUNTER) are merged as deltas into the
 *   value stored meanwhile by other transactions, never below 0.
 *
 * The merge goes one step further than v2 (which writes its whole table): a variable this
 * transaction did not touch takes the stored value, and one another transaction added is kept.
 * Without concurrent writers the result is v2's, byte for byte; with them nothing another
 * transaction wrote is lost (v2 loses it). See mergeForStore.
 */
export class PersistentCollection {
  readonly col: Collection
  /** value of each variable before its first relative change in this transaction (fkey -> value) */
  readonly originals = new Map<string, string>()
  /**
   * The collection as loaded or created (fkey -> value, IS_NEW and UPDATE_RATE left out): at
   * save time a variable whose value is still this one was not touched by this transaction.
   */
  readonly base = new Map<string, string>()
  /** the store failed to load it: the collection started empty (TX:COLLECTION_LOAD_FAILED) */
  loadFailed = false
  /** a load is in flight; changes are queued until it settles */
  pending: Promise<void> | undefined
  readonly queued: ((c: PersistentCollection) => void)[] = []

  constructor(
    /** the name rules use (IP, SESSION, ...): the variable prefix */
    readonly prefix: string,
    /** v2's storage name: "ip", "default_SESSION" */
    readonly realName: string,
    readonly key: string,
  ) {
    this.col = new Collection(prefix)
  }

  /** remember the value before the first relative change (for the delta merge on store) */
  noteOriginal(fkey: string, value: string): void {
    if (!this.originals.has(fkey)) this.originals.set(fkey, value)
  }
}

/** Variables v2 computes on load and never stores. */
function transient(fkey: string): boolean {
  return fkey === 'is_new' || fkey === 'update_rate'
}

function snapshotBase(pc: PersistentCollection): void {
  pc.base.clear()
  for (const it of pc.col.items()) if (!transient(it.fkey)) pc.base.set(it.fkey, it.value)
  // relative changes count from the value at load (v2 records UPDATE_COUNTER at init_collection)
  const counter = pc.col.get('UPDATE_COUNTER')
  if (counter !== undefined) pc.noteOriginal('update_counter', counter.value)
}

/** A new, empty collection (nothing stored, or the store failed). `requestSec`: the request time. */
export function initNew(pc: PersistentCollection, requestSec: number, timeout: number): void {
  const c = pc.col
  c.set('__expire_KEY', String(requestSec + timeout))
  c.set('KEY', pc.key)
  c.set('TIMEOUT', String(timeout))
  c.set('__key', pc.key)
  c.set('__name', pc.realName)
  c.set('CREATE_TIME', String(requestSec))
  c.set('UPDATE_COUNTER', '0')
  c.set('IS_NEW', '1')
  snapshotBase(pc)
  c.dirty = false
}

/**
 * The variables of a stored record that are still alive at `requestSec` (v2's expiry pass), or
 * undefined when the record counts as absent (its __expire_KEY passed, or it has no KEY).
 */
export function liveVars(rec: StoredRecord, requestSec: number): [string, string][] | undefined {
  const vars = rec.vars
  let expired: Set<string> | undefined
  for (let i = 0; i < vars.length; i++) {
    const e = vars[i]
    if (e === undefined) continue
    const lname = asciiLower(e[0])
    if (lname.startsWith('__expire_') && atoi(e[1]) <= requestSec) {
      if (lname === '__expire_key') return undefined
      if (expired === undefined) expired = new Set()
      expired.add(lname)
      expired.add(lname.slice(9))
    }
  }
  const out: [string, string][] = []
  let hasKey = false
  for (let i = 0; i < vars.length; i++) {
    const e = vars[i]
    if (e === undefined) continue
    const lname = asciiLower(e[0])
    if (expired !== undefined && expired.has(lname)) continue
    if (lname === 'key') hasKey = true
    out.push([e[0], e[1]])
  }
  return hasKey ? out : undefined
}

/**
 * Fill pc from a stored record; false when the record is expired or invalid (the caller then
 * creates a new collection). Expiry is judged at the request time, UPDATE_RATE at `nowSec`.
 */
export function restore(
  pc: PersistentCollection,
  rec: StoredRecord,
  requestSec: number,
  nowSec: number,
): boolean {
  const vars = liveVars(rec, requestSec)
  if (vars === undefined) return false
  const c = pc.col
  for (let i = 0; i < vars.length; i++) {
    const e = vars[i] as [string, string]
    c.set(e[0], e[1])
  }
  const create = c.get('CREATE_TIME')
  const counter = c.get('UPDATE_COUNTER')
  if (create !== undefined && counter !== undefined) {
    const td = nowSec - atoi(create.value)
    c.set('UPDATE_RATE', td === 0 ? '0' : String(Math.trunc((60 * atoi(counter.value)) / td)))
  }
  snapshotBase(pc)
  c.dirty = false
  return true
}

/**
 * What persisting the collection does to the record stored when the write happens: a pure
 * function of that record (re-read by the store just before writing; undefined when none), so
 * that a store may call it later (write coalescing) or again (a retry after a failed write).
 * Captures the collection as it is now.
 */
export function storeUpdate(
  pc: PersistentCollection,
  nowSec: number,
): (current: StoredRecord | undefined) => StoredRecord {
  const ours: [string, string][] = []
  for (const it of pc.col.items()) if (!transient(it.fkey)) ours.push([it.key, it.value])
  const base = new Map(pc.base)
  const originals = new Map(pc.originals)
  return (current) => mergeForStore(ours, base, originals, current, nowSec)
}

function clampCounter(v: number): string {
  // C int arithmetic as v2 (int origval/ourval/storedval), then "counters never go below zero"
  const n = v | 0
  return String(n < 0 ? 0 : n)
}

/**
 * The record to write, from this transaction's variables (`ours`, in collection order), the
 * collection as it was loaded (`base`), the values before relative changes (`originals`) and
 * the record stored now (`current`, re-read):
 * - a counter changed with =+/=- (or UPDATE_COUNTER): stored + (ours - original), never < 0
 *   (v2's delta merge; when the variable is no longer stored, ours);
 * - a variable this transaction set, changed or deleted: ours;
 * - a variable it did not touch: the stored value (absent when another transaction deleted it
 *   or it expired meanwhile); variables only the stored record has are kept.
 * Then v2's store updates: __expire_KEY = now + TIMEOUT, LAST_UPDATE_TIME = now,
 * UPDATE_COUNTER + 1.
 */
export function mergeForStore(
  ours: readonly (readonly [string, string])[],
  base: ReadonlyMap<string, string>,
  originals: ReadonlyMap<string, string>,
  current: StoredRecord | undefined,
  nowSec: number,
): StoredRecord {
  const cur = current === undefined ? undefined : liveVars(current, nowSec)
  let out: [string, string][]
  if (cur === undefined) {
    out = ours.map((e) => [e[0], e[1]])
  } else {
    const stored = new Map<string, [string, string]>()
    for (let i = 0; i < cur.length; i++) {
      const e = cur[i] as [string, string]
      const f = asciiLower(e[0])
      if (!transient(f) && !stored.has(f)) stored.set(f, e)
    }
    out = []
    const seen = new Set<string>()
    for (let i = 0; i < ours.length; i++) {
      const [k, v] = ours[i] as readonly [string, string]
      const f = asciiLower(k)
      seen.add(f)
      const s = stored.get(f)
      const orig = originals.get(f)
      if (orig !== undefined) {
        out.push([k, s === undefined ? v : clampCounter(atoi(s[1]) + (atoi(v) - atoi(orig)))])
      } else if (base.get(f) === v) {
        if (s !== undefined) out.push([k, s[1]])
      } else out.push([k, v])
    }
    for (const [f, e] of stored) if (!seen.has(f) && !base.has(f)) out.push([e[0], e[1]])
  }
  const find = (name: string): number => {
    for (let i = 0; i < out.length; i++) if (asciiLower((out[i] as [string, string])[0]) === name) return i
    return -1
  }
  const put = (name: string, value: string): void => {
    const i = find(asciiLower(name))
    if (i >= 0) (out[i] as [string, string])[1] = value
    else out.push([name, value])
  }
  const t = find('timeout')
  const e = find('__expire_key')
  if (t >= 0 && e >= 0)
    (out[e] as [string, string])[1] = String(nowSec + atoi((out[t] as [string, string])[1]))
  put('LAST_UPDATE_TIME', String(nowSec))
  const u = find('update_counter')
  put('UPDATE_COUNTER', String((u < 0 ? 0 : atoi((out[u] as [string, string])[1])) + 1))
  return { vars: out }
}

export function timeoutOf(pc: PersistentCollection, fallback: number): number {
  const t = pc.col.get('TIMEOUT')
  return t === undefined ? fallback : atoi(t.value)
}
