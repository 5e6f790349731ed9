import type { Template } from '../../bundle/schema'
import { initNew, PersistentCollection, restore, storeUpdate, timeoutOf } from '../collections/persistent'
import { isPromise, type StoredRecord } from '../collections/store'
import { atoi, logEscape, logEscapeNq } from '../log-escape'
import { expand } from '../macro'
import type { LinkedRule } from '../program'
import type { TxState } from '../tx-state'

/**
 * initcol / setsid / setuid / setrsc / expirevar / deprecatevar and the write-back at the end of
 * the transaction (v2 re_actions.c, persist_dbm.c; semantics in collections/persistent.ts). A
 * collection opened twice in a transaction keeps the first one (v2). When the store answers
 * asynchronously the collection is marked pending: changes made to it meanwhile (the rest of
 * the rule's actions) are queued and applied when the load settles, and the phase pauses after
 * the current rule, or before the next link of its chain (evaluate.ts), so that later rules see
 * the loaded values.
 *
 * Times as v2 takes them: the request time (TxState.startMs) for CREATE_TIME, expirevar and the
 * expiry of stored variables; the current time for UPDATE_RATE, deprecatevar and the store.
 */

/**
 * TX variable set to "1" when the store failed to load a collection (read error or timeout):
 * the collection then starts empty, as a new one, and rules can decide what that means (e.g.
 * refuse logins while the brute-force counter is unknown). TX:COLLECTION_LOAD_FAILED_<NAME>
 * (IP, GLOBAL, SESSION, USER, RESOURCE, ...) names the collection. Not an MSC_ flag on purpose:
 * modsecurity.conf-recommended's rule 200005 denies on any TX:MSC_*, and a storage outage must
 * not block every request by accident.
 */
export const COLLECTION_LOAD_FAILED = 'COLLECTION_LOAD_FAILED'

function secondsOf(ms: number): number {
  return Math.floor(ms / 1000)
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
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
  const requestSec = secondsOf(tx.startMs)
  const store = tx.store
  if (store === undefined) {
    initNew(pc, requestSec, timeout)
    return
  }
  const finish = (rec: StoredRecord | undefined, failure: unknown): void => {
    if (failure !== undefined) {
      pc.loadFailed = true
      tx.tx.set(COLLECTION_LOAD_FAILED, '1')
      tx.tx.set(COLLECTION_LOAD_FAILED + '_' + pc.prefix, '1')
      tx.engineMessages.push(
        'Failed to load collection (name "' +
          logEscape(pc.realName) +
          '", key "' +
          logEscape(pc.key) +
          '"): ' +
          logEscape(errorText(failure)) +
          '. Using an empty collection; TX:' +
          COLLECTION_LOAD_FAILED +
          ' set.',
      )
      initNew(pc, requestSec, timeout)
    } else if (rec === undefined || !restore(pc, rec, requestSec, secondsOf(tx.clock()))) {
      if (rec !== undefined) deleteQuietly(tx, pc)
      pc.col.dirty = false
      initNew(pc, requestSec, timeout)
    }
    pc.pending = undefined
    for (let i = 0; i < pc.queued.length; i++) (pc.queued[i] as (c: PersistentCollection) => void)(pc)
    pc.queued.length = 0
  }
  let r: ReturnType<typeof store.load>
  try {
    r = store.load(pc.realName, key)
  } catch (e) {
    finish(undefined, e ?? 'load failed')
    return
  }
  if (isPromise(r)) {
    const p = r.then(
      (rec) => finish(rec, undefined),
      (e: unknown) => finish(undefined, e ?? 'load failed'),
    )
    pc.pending = p
    tx.pendingLoads.push(p)
  } else finish(r, undefined)
}

/** v2 deletes a record it found expired; a failure to do so changes nothing. */
function deleteQuietly(tx: TxState, pc: PersistentCollection): void {
  const store = tx.store
  if (store === undefined) return
  try {
    const d = store.delete(pc.realName, pc.key)
    if (isPromise(d)) d.catch(() => undefined)
  } catch {
    // the record stays; the next load finds it expired again
  }
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

/**
 * expirevar:col.var=N: stores __expire_var = request time + N; the variable is removed when a
 * later transaction loads the collection at or after that second (not in this transaction).
 */
export function expirevar(
  tx: TxState,
  rule: LinkedRule,
  collection: string,
  nameT: Template,
  secondsT: Template,
): void {
  const name = logEscapeNq(expand(tx, nameT, rule))
  const when = String(secondsOf(tx.startMs) + atoi(expand(tx, secondsT, rule)))
  withCollection(tx, collection, (pc) => pc.col.set('__expire_' + name, when))
}

/**
 * deprecatevar:col.var=N/S: value - N * trunc((now - LAST_UPDATE_TIME) / S), never below 0,
 * written only when it differs (then the collection is stored, with a new LAST_UPDATE_TIME).
 * Nothing happens for a variable that does not exist or a collection never stored (no
 * LAST_UPDATE_TIME). The period counts from the collection's last store, not from the
 * variable's last change: a client that keeps sending (each request storing the collection)
 * never sees its counter decrease. v2 divides by S unchecked (S = 0 crashes httpd): here it is
 * a no-op.
 */
export function deprecatevar(
  tx: TxState,
  rule: LinkedRule,
  collection: string,
  nameT: Template,
  amountT: Template,
): void {
  const name = logEscapeNq(expand(tx, nameT, rule))
  const amount = expand(tx, amountT, rule)
  const now = secondsOf(tx.clock())
  withCollection(tx, collection, (pc) => {
    const v = pc.col.get(name)
    const last = pc.col.get('LAST_UPDATE_TIME')
    if (v === undefined || last === undefined) return
    const slash = amount.indexOf('/')
    if (slash < 0) {
      // v2 logs this one to the error log (msr_log level 3, not only the debug log)
      tx.engineMessages.push('Incorrect format for the deprecatevar argument: "' + logEscape(amount) + '"')
      return
    }
    const per = atoi(amount.slice(slash + 1))
    if (per === 0) return
    const cur = atoi(v.value)
    let next = cur - atoi(amount.slice(0, slash)) * Math.trunc((now - atoi(last.value)) / per)
    if (next < 0) next = 0
    if (next !== cur) pc.col.update(name, String(next))
  })
}

/**
 * Write back the collections that changed (after phase 5; Worker: in ctx.waitUntil), each once,
 * as a read-modify-write (collections/store.ts RecordUpdate). Every collection is attempted;
 * failures are collected and thrown together at the end, naming each collection and key.
 */
export async function persistCollections(tx: TxState): Promise<void> {
  const store = tx.store
  if (store === undefined) return
  const writes: Promise<string | undefined>[] = []
  for (const pc of tx.persistent.values()) {
    writes.push(
      (async (): Promise<string | undefined> => {
        if (pc.pending !== undefined) await pc.pending
        if (!pc.col.dirty) return undefined
        pc.col.dirty = false
        const update = storeUpdate(pc, secondsOf(tx.clock()))
        const ttl = timeoutOf(pc, tx.program.config.collectionTimeout)
        try {
          await store.save(pc.realName, pc.key, update, ttl)
          return undefined
        } catch (e) {
          return 'collection "' + pc.realName + '" key "' + logEscape(pc.key) + '": ' + errorText(e)
        }
      })(),
    )
  }
  const failed = (await Promise.all(writes)).filter((m): m is string => m !== undefined)
  if (failed.length > 0) throw new Error('not saved: ' + failed.join('; '))
}
