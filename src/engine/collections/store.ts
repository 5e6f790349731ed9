/**
 * The seam for persistent collections (initcol, setsid, setuid, setrsc). The engine keeps a
 * collection in memory for the transaction, asks a PersistentStore to load it when the action
 * runs and, at the end of the transaction (Transaction.persist), to save it when a rule changed
 * it. The Worker provides a Workers KV store (src/worker/kv-store.ts); tests and single-process
 * users use MemoryStore.
 *
 * Loads may be asynchronous: a phase then pauses after the rule (or before the next chain link)
 * that asked for the collection and resumes when the load settles (Transaction.processX returns
 * a Promise only in that case). A load that fails (throws or rejects) gives an empty collection
 * and sets TX:COLLECTION_LOAD_FAILED (actions/persistence.ts); it never fails the request.
 */
export type MaybePromise<T> = T | Promise<T>

/** A stored collection: every variable, built-in ones (KEY, TIMEOUT, CREATE_TIME, ...) included. */
export interface StoredRecord {
  /** [name, value] in collection order (binary strings) */
  vars: [string, string][]
}

/**
 * Computes the record to write from the record stored at that moment (undefined when none). It
 * is a pure function of its argument: a store calls it just before writing, with a fresh read
 * (read-modify-write: counters changed with =+ are merged as deltas, persistent.ts), and may
 * call it again for a retry or chain several of them into one write.
 */
export type RecordUpdate = (current: StoredRecord | undefined) => StoredRecord

export interface PersistentStore {
  /**
   * The record stored under (collection, key), or undefined. `collection` is v2's real
   * collection name ("ip", "global", "default_SESSION", ...), `key` the expanded key.
   */
  load(collection: string, key: string): MaybePromise<StoredRecord | undefined>
  /**
   * Read-modify-write: store update(current record). `ttlSeconds` is the collection's TIMEOUT
   * (a backend with native expiry may drop the record after it; the engine itself ignores
   * expired records). Settles when the record is written; rejects when it could not be.
   */
  save(collection: string, key: string, update: RecordUpdate, ttlSeconds: number): MaybePromise<void>
  /** Remove a record the engine found expired or invalid on load (a backend may ignore it). */
  delete(collection: string, key: string): MaybePromise<void>
}

function copy(r: StoredRecord): StoredRecord {
  return { vars: r.vars.map(([n, v]) => [n, v] as [string, string]) }
}

/** Synchronous in-memory store (per isolate / per test). Records are copied in and out. */
export class MemoryStore implements PersistentStore {
  private readonly data = new Map<string, StoredRecord>()

  private static k(collection: string, key: string): string {
    return collection + '\u0000' + key
  }

  load(collection: string, key: string): StoredRecord | undefined {
    const r = this.data.get(MemoryStore.k(collection, key))
    return r === undefined ? undefined : copy(r)
  }

  save(collection: string, key: string, update: RecordUpdate): void {
    const k = MemoryStore.k(collection, key)
    const cur = this.data.get(k)
    this.data.set(k, copy(update(cur === undefined ? undefined : copy(cur))))
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
