import type { Template } from '../../bundle/schema'
import { initNew, PersistentCollection, restore, timeoutOf, toStore } from '../collections/persistent'
import { isPromise, type StoredRecord } from '../collections/store'
import { atoi, logEscapeNq } from '../log-escape'
import { expand } from '../macro'
import type { LinkedRule } from '../program'
import type { TxState } from '../tx-state'

/**
 * initcol / setsid / setuid / setrsc / expirevar / deprecatevar and the write-back after
 * phase 5. A collection opened twice in a transaction keeps the first one (v2). When the store
 * answers asynchronously the collection is marked pending: changes made to it meanwhile are
 * queued and applied when the load settles, and the phase pauses after the current rule
 * (evaluate.ts) so later rules see the loaded values.
 */

function nowSec(tx: TxState): number {
  return Math.floor(tx.clock() / 1000)
}

export function openCollection(
  tx: TxState,
  rule: LinkedRule,
  name: string,
  realName: string | undefined,
  keyT: Template,
): void {
  if (tx.persistent.has(name)) return
  const key = expand(tx, keyT, rule)
  const pc = new PersistentCollection(name.toUpperCase(), realName ?? name, key)
  tx.persistent.set(name, pc)
  const timeout = tx.program.config.collectionTimeout
  const store = tx.store
  if (store === undefined) {
    initNew(pc, nowSec(tx), timeout)
    return
  }
  const finish = (rec: StoredRecord | undefined): void => {
    if (rec === undefined || !restore(pc, rec, nowSec(tx))) {
      if (rec !== undefined) void Promise.resolve(store.delete(pc.realName, pc.key)).catch(() => undefined)
      pc.col.dirty = false
      initNew(pc, nowSec(tx), timeout)
    }
    pc.pending = undefined
    for (let i = 0; i < pc.queued.length; i++) (pc.queued[i] as (c: PersistentCollection) => void)(pc)
    pc.queued.length = 0
  }
  let r: ReturnType<typeof store.load>
  try {
    r = store.load(pc.realName, key)
  } catch {
    r = undefined
  }
  if (isPromise(r)) {
    const p = r.then(finish, () => finish(undefined))
    pc.pending = p
    tx.pendingLoads.push(p)
  } else finish(r)
}

export function initcol(tx: TxState, rule: LinkedRule, collection: string, keyT: Template): void {
  openCollection(tx, rule, collection, undefined, keyT)
}

/** setsid / setuid / setrsc: SESSION, USER, RESOURCE stored as <webappid>_<NAME>. */
export function setId(
  tx: TxState,
  rule: LinkedRule,
  which: 'setsid' | 'setuid' | 'setrsc',
  keyT: Template,
): void {
  const name = which === 'setsid' ? 'session' : which === 'setuid' ? 'user' : 'resource'
  const key = expand(tx, keyT, rule)
  if (which === 'setsid') tx.sessionId = key
  else if (which === 'setuid') tx.userId = key
  openCollection(tx, rule, name, tx.program.config.webAppId + '_' + name.toUpperCase(), key)
}

function withCollection(tx: TxState, collection: string, fn: (pc: PersistentCollection) => void): void {
  const pc = tx.persistent.get(collection)
  if (pc === undefined) return
  if (pc.pending !== undefined) pc.queued.push(fn)
  else fn(pc)
}

/** expirevar:col.var=N: the variable disappears N seconds from now (at a later load). */
export function expirevar(
  tx: TxState,
  rule: LinkedRule,
  collection: string,
  nameT: Template,
  secondsT: Template,
): void {
  const name = logEscapeNq(expand(tx, nameT, rule))
  const when = String(nowSec(tx) + atoi(expand(tx, secondsT, rule)))
  withCollection(tx, collection, (pc) => pc.col.set('__expire_' + name, when))
}

/** deprecatevar:col.var=N/S: decrease by N for every S seconds since LAST_UPDATE_TIME (never below 0). */
export function deprecatevar(
  tx: TxState,
  rule: LinkedRule,
  collection: string,
  nameT: Template,
  amountT: Template,
): void {
  const name = logEscapeNq(expand(tx, nameT, rule))
  const amount = expand(tx, amountT, rule)
  const now = nowSec(tx)
  withCollection(tx, collection, (pc) => {
    const v = pc.col.get(name)
    const last = pc.col.get('LAST_UPDATE_TIME')
    const slash = amount.indexOf('/')
    if (v === undefined || last === undefined || slash < 0) return
    const per = atoi(amount.slice(slash + 1))
    if (per === 0) return
    const cur = atoi(v.value)
    let next = cur - atoi(amount.slice(0, slash)) * Math.trunc((now - atoi(last.value)) / per)
    if (next < 0) next = 0
    if (next !== cur) pc.col.update(name, String(next))
  })
}

/** Write back the collections that changed. Call after phase 5 (Worker: in waitUntil). */
export async function persistCollections(tx: TxState): Promise<void> {
  const store = tx.store
  if (store === undefined) return
  for (const pc of tx.persistent.values()) {
    if (pc.pending !== undefined) await pc.pending
    if (!pc.col.dirty) continue
    const now = nowSec(tx)
    const current = pc.originals.size > 0 ? await store.load(pc.realName, pc.key) : undefined
    const rec = toStore(pc, now, current)
    await store.save(pc.realName, pc.key, rec, timeoutOf(pc, tx.program.config.collectionTimeout))
    pc.col.dirty = false
  }
}
