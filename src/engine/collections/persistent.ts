import { asciiLower, atoi } from '../log-escape'
import { Collection } from './collection'
import type { StoredRecord } from './store'

/**
 * v2's persistent-collection lifecycle (persist_dbm.c, re_actions.c init_collection), as facts:
 * - a new collection gets __expire_KEY (now + SecCollectionTimeout), KEY, TIMEOUT, __key,
 *   __name, CREATE_TIME, UPDATE_COUNTER=0 and IS_NEW=1, in that order;
 * - on load, variables whose __expire_<name> time has passed are removed (an expired
 *   __expire_KEY drops the whole collection); a record without KEY counts as absent;
 *   UPDATE_RATE = 60 * UPDATE_COUNTER / seconds since CREATE_TIME (0 when no time passed);
 * - on store (only when changed): IS_NEW and UPDATE_RATE are removed, __expire_KEY is moved to
 *   now + TIMEOUT, LAST_UPDATE_TIME = now, UPDATE_COUNTER + 1; counters changed with =+/=- are
 *   merged as deltas into the value stored meanwhile by other transactions (never below 0).
 */
export class PersistentCollection {
  readonly col: Collection
  /** value of each variable before its first relative change in this transaction (fkey -> value) */
  readonly originals = new Map<string, string>()
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

export function initNew(pc: PersistentCollection, nowSec: number, timeout: number): void {
  const c = pc.col
  c.set('__expire_KEY', String(nowSec + timeout))
  c.set('KEY', pc.key)
  c.set('TIMEOUT', String(timeout))
  c.set('__key', pc.key)
  c.set('__name', pc.realName)
  c.set('CREATE_TIME', String(nowSec))
  c.set('UPDATE_COUNTER', '0')
  c.set('IS_NEW', '1')
  c.dirty = false
}

/** Fill pc from a stored record; returns false when the record is expired or invalid. */
export function restore(pc: PersistentCollection, rec: StoredRecord, nowSec: number): boolean {
  const vars = rec.vars
  const expired = new Set<string>()
  for (let i = 0; i < vars.length; i++) {
    const e = vars[i]
    if (e === undefined) continue
    const [name, value] = e
    if (name.startsWith('__expire_') && atoi(value) <= nowSec) {
      if (name === '__expire_KEY') return false
      expired.add(name)
      expired.add(asciiLower(name.slice(9)))
    }
  }
  let hasKey = false
  for (let i = 0; i < vars.length; i++) {
    const e = vars[i]
    if (e === undefined) continue
    const [name, value] = e
    if (expired.has(name) || expired.has(asciiLower(name))) continue
    if (name === 'KEY') hasKey = true
    pc.col.set(name, value)
  }
  if (!hasKey) return false
  const create = pc.col.get('CREATE_TIME')
  const counter = pc.col.get('UPDATE_COUNTER')
  if (create !== undefined && counter !== undefined) {
    const td = nowSec - atoi(create.value)
    pc.col.set('UPDATE_RATE', td === 0 ? '0' : String(Math.trunc((60 * atoi(counter.value)) / td)))
  }
  pc.col.dirty = false
  return true
}

/**
 * The record to store, after the built-in updates and the delta merge against `current` (the
 * record stored now, re-read just before writing).
 */
export function toStore(
  pc: PersistentCollection,
  nowSec: number,
  current: StoredRecord | undefined,
): StoredRecord {
  const c = pc.col
  c.delete('IS_NEW')
  c.delete('UPDATE_RATE')
  const timeout = c.get('TIMEOUT')
  if (timeout !== undefined && c.get('__expire_KEY') !== undefined) {
    c.update('__expire_KEY', String(nowSec + atoi(timeout.value)))
  }
  c.update('LAST_UPDATE_TIME', String(nowSec))
  const counter = c.get('UPDATE_COUNTER')
  c.update('UPDATE_COUNTER', String((counter === undefined ? 0 : atoi(counter.value)) + 1))
  let stored: Map<string, string> | undefined
  if (current !== undefined && pc.originals.size > 0) {
    stored = new Map()
    for (const [n, v] of current.vars) stored.set(asciiLower(n), v)
  }
  const vars: [string, string][] = []
  for (const it of c.items()) {
    let value = it.value
    if (stored !== undefined) {
      const orig = pc.originals.get(it.fkey)
      const now = stored.get(it.fkey)
      if (orig !== undefined && now !== undefined) {
        const v = atoi(now) + (atoi(value) - atoi(orig))
        value = String(v < 0 ? 0 : v)
      }
    }
    vars.push([it.key, value])
  }
  return { vars }
}

export function timeoutOf(pc: PersistentCollection, fallback: number): number {
  const t = pc.col.get('TIMEOUT')
  return t === undefined ? fallback : atoi(t.value)
}
