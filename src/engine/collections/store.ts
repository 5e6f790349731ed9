/**
 * The seam for persistent collections (initcol, setsid, setuid, setrsc). The engine keeps a
 * collection in memory for the transaction and asks a PersistentStore to load it when initcol
 * runs and to save it after phase 5 when it changed. The Worker provides a KV-backed store;
 * tests and single-process users use MemoryStore.
 *
 * Loads may be asynchronous: a phase then pauses after the rule that asked for the collection
 * and resumes when the load settles (Transaction.processX returns a Promise only in that case).
 */
export type MaybePromise<T> = T | Promise<T>

/** A stored collection: every variable, built-in ones (KEY, TIMEOUT, CREATE_TIME, ...) included. */
export interface StoredRecord {
  /** [name, value] in collection order */
  vars: [string, string][]
}

export interface PersistentStore {
  /** `collection` is v2's real collection name: "ip", "global", "default_SESSION"... */
  load(collection: string, key: string): MaybePromise<StoredRecord | undefined>
  /** ttlSeconds: the collection's TIMEOUT, so backends with native expiry can drop it */
  save(collection: string, key: string, record: StoredRecord, ttlSeconds: number): MaybePromise<void>
  delete(collection: string, key: string): MaybePromise<void>
}

/** Synchronous in-memory store (per isolate / per test). Records are copied in and out. */
export class MemoryStore implements PersistentStore {
  private readonly data = new Map<string, StoredRecord>()

  private static k(collection: string, key: string): string {
    return collection + '\u0000' + key
  }

  load(collection: string, key: string): StoredRecord | undefined {
    const r = this.data.get(MemoryStore.k(collection, key))
    return r === undefined ? undefined : { vars: r.vars.map(([n, v]) => [n, v] as [string, string]) }
  }

  save(collection: string, key: string, record: StoredRecord): void {
    this.data.set(MemoryStore.k(collection, key), {
      vars: record.vars.map(([n, v]) => [n, v] as [string, string]),
    })
  }

  delete(collection: string, key: string): void {
    this.data.delete(MemoryStore.k(collection, key))
  }

  /** number of stored collections (tests) */
  get size(): number {
    return this.data.size
  }
}

export function isPromise<T>(v: MaybePromise<T>): v is Promise<T> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function'
}
