import type { PersistentStore, RecordUpdate, StoredRecord } from '../engine/index'

/**
 * Persistent collections (initcol, setsid, setuid, setrsc) in Workers KV: the engine's
 * PersistentStore for the Worker. One instance per isolate (index.ts), bound per request to
 * the COLLECTIONS namespace (configure).
 *
 * Records: key `<collection>/<key>` (v2's collection name: "ip", "global", "shop_SESSION"...;
 * the expanded key), percent-encoded where needed; keys over KV's 512 bytes end in a SHA-256 of
 * the full key. Value: JSON `{"w": <write id>, "vars": [[name, value], ...]}` (binary strings).
 * expirationTtl = the collection's TIMEOUT, at least 60 s (KV's minimum): a record with a
 * shorter TIMEOUT lives up to 60 s in KV, but the engine ignores it after TIMEOUT (its
 * __expire_KEY), so the behaviour is v2's; only the storage lasts longer.
 *
 * Writes (save) are read-modify-write and coalesced per key in this isolate:
 * - KV accepts about one write per second per key (more gives "429 Too Many Requests"). Saves of
 *   one key arriving within `writeIntervalMs` of the previous write wait and are applied together:
 *   one read of the current record, every queued RecordUpdate in order (each merges its
 *   transaction's counter deltas, collections/persistent.ts), one put. A burst of N requests
 *   from one client is N increments in one or a few writes, not N racing writes of which most fail.
 * - A failed read or put (429 from another isolate writing the same key, a network error) is
 *   retried after `writeIntervalMs` with a fresh read (the updates are pure, so nothing is
 *   counted twice unless a put that reported failure had in fact been stored); after `attempts`
 *   tries every waiting save rejects with the error and the key.
 * - Loads see this isolate's queued and in-flight writes (applied on top of what KV returned,
 *   unless KV already has that write: the write id tells), so consecutive requests handled by
 *   one isolate count exactly, even before KV has their writes.
 * What KV cannot give: see README "Persistent collections" (eventual consistency across
 * locations, ~60 s; concurrent isolates; the Durable Object alternative).
 */

/** What the store uses of a KV namespace (KVNamespace has it; tests pass fakes). */
export interface KvLike {
  get(key: string, type: 'text'): Promise<string | null>
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>
}

export interface KvStoreOptions {
  /** a KV read slower than this counts as failed (TX:COLLECTION_LOAD_FAILED); default 1000 ms */
  readTimeoutMs?: number
  /** minimum time between two writes of one key from this isolate; default 1000 ms (KV's limit) */
  writeIntervalMs?: number
  /** tries per write before its saves reject; default 3 */
  attempts?: number
  /** milliseconds clock and sleep (tests) */
  now?: () => number
  sleep?: (ms: number) => Promise<void>
}

/** KV refuses an expirationTtl below 60 seconds. */
export const KV_MIN_TTL = 60
/** KV's maximum key length in bytes. */
export const KV_MAX_KEY = 512
export const DEFAULT_READ_TIMEOUT_MS = 1000
export const DEFAULT_WRITE_INTERVAL_MS = 1000
export const DEFAULT_ATTEMPTS = 3

interface Waiting {
  update: RecordUpdate
  ttl: number
  resolve: () => void
  reject: (e: Error) => void
}

interface KeyState {
  queue: Waiting[]
  /** the batch being written and the id its record carries */
  inflight: { batch: Waiting[]; id: string } | undefined
  lastWrite: number
  running: boolean
}

interface Envelope {
  w: string
  record: StoredRecord
}

// characters left as they are in keys (readable IPs, session ids...); the rest is %HH of the byte
const PLAIN = /^[A-Za-z0-9._~!$&'()*+,;=:@-]$/

/** A binary string as a KV key part: one char per byte, unsafe bytes as %HH. */
export function encodeKeyPart(s: string): string {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const ch = s.charAt(i)
    if (PLAIN.test(ch)) out += ch
    else out += '%' + (s.charCodeAt(i) & 0xff).toString(16).toUpperCase().padStart(2, '0')
  }
  return out
}

async function sha256Hex(s: string): Promise<string> {
  const bytes = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i) & 0xff
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  let hex = ''
  for (let i = 0; i < d.length; i++) hex += (d[i] as number).toString(16).padStart(2, '0')
  return hex
}

/** The KV key of a collection record (always ASCII, at most KV_MAX_KEY bytes). */
export async function kvKey(collection: string, key: string): Promise<string> {
  const full = encodeKeyPart(collection) + '/' + encodeKeyPart(key)
  if (full.length <= KV_MAX_KEY) return full
  // the readable start, then a digest of the whole (collection, key) pair
  return full.slice(0, KV_MAX_KEY - 66) + '#' + (await sha256Hex(collection + '/' + key))
}

function isVars(v: unknown): v is [string, string][] {
  if (!Array.isArray(v)) return false
  for (const e of v) {
    if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'string' || typeof e[1] !== 'string')
      return false
  }
  return true
}

/** A stored value as a record; undefined for anything that is not one (then treated as absent). */
export function parseRecord(text: string): Envelope | undefined {
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof v !== 'object' || v === null) return undefined
  const o = v as { w?: unknown; vars?: unknown }
  if (!isVars(o.vars)) return undefined
  return { w: typeof o.w === 'string' ? o.w : '', record: { vars: o.vars } }
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e))
}

let writeIds = 0
function newWriteId(): string {
  writeIds = (writeIds + 1) % 0x7fffffff
  return Math.random().toString(36).slice(2, 10) + writeIds.toString(36)
}

export class KvStore implements PersistentStore {
  private kv: KvLike | undefined
  private readTimeoutMs: number
  private readonly writeIntervalMs: number
  private readonly attempts: number
  private readonly now: () => number
  private readonly sleep: (ms: number) => Promise<void>
  private readonly keys = new Map<string, KeyState>()
  /** when this isolate last wrote a key that has no writer loop now (pruned after the interval) */
  private readonly lastWrites = new Map<string, number>()

  constructor(kv?: KvLike, options: KvStoreOptions = {}) {
    this.kv = kv
    this.readTimeoutMs = options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS
    this.writeIntervalMs = options.writeIntervalMs ?? DEFAULT_WRITE_INTERVAL_MS
    this.attempts = Math.max(1, options.attempts ?? DEFAULT_ATTEMPTS)
    this.now = options.now ?? Date.now
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)))
  }

  /**
   * Bind the namespace for this request (env.COLLECTIONS; bindings are per request in Workers)
   * and the read timeout (COLLECTIONS_TIMEOUT_MS; invalid or unset: the default).
   */
  configure(kv: KvLike | undefined, readTimeoutMs?: string): void {
    this.kv = kv
    const t = readTimeoutMs === undefined ? NaN : Number(readTimeoutMs)
    this.readTimeoutMs = Number.isFinite(t) && t > 0 ? t : DEFAULT_READ_TIMEOUT_MS
  }

  /** saves not yet written (tests, status) */
  get pendingWrites(): number {
    let n = 0
    for (const st of this.keys.values()) n += st.queue.length + (st.inflight?.batch.length ?? 0)
    return n
  }

  async load(collection: string, key: string): Promise<StoredRecord | undefined> {
    const k = await kvKey(collection, key)
    const env = await this.read(k)
    let rec = env?.record
    const st = this.keys.get(k)
    if (st !== undefined) {
      // this isolate's writes KV does not show yet: the one in flight (unless KV has it), the queue
      if (st.inflight !== undefined && env?.w !== st.inflight.id)
        for (const w of st.inflight.batch) rec = w.update(rec)
      for (const w of st.queue) rec = w.update(rec)
    }
    return rec
  }

  save(collection: string, key: string, update: RecordUpdate, ttlSeconds: number): Promise<void> {
    return kvKey(collection, key).then(
      (k) =>
        new Promise<void>((resolve, reject) => {
          let st = this.keys.get(k)
          if (st === undefined) {
            st = {
              queue: [],
              inflight: undefined,
              lastWrite: this.lastWrites.get(k) ?? -Infinity,
              running: false,
            }
            this.lastWrites.delete(k)
            this.keys.set(k, st)
          }
          st.queue.push({ update, ttl: ttlSeconds, resolve, reject })
          this.drain(k, st)
        }),
    )
  }

  /**
   * Expired records are not deleted: KV's expirationTtl removes them, the next save overwrites
   * them, and a delete here could remove a record another isolate has just written (it would
   * also count against the one-write-per-second limit).
   */
  delete(): void {}

  private async read(k: string): Promise<Envelope | undefined> {
    const kv = this.kv
    if (kv === undefined) throw new Error('no KV namespace bound as COLLECTIONS')
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`KV GET timed out after ${this.readTimeoutMs} ms`)),
        this.readTimeoutMs,
      )
    })
    try {
      const text = await Promise.race([kv.get(k, 'text'), timeout])
      return text === null ? undefined : parseRecord(text)
    } finally {
      if (timer !== undefined) clearTimeout(timer)
    }
  }

  /** One writer loop per key: batches of queued saves, at most one write per interval. */
  private drain(k: string, st: KeyState): void {
    if (st.running) return
    st.running = true
    void (async () => {
      try {
        while (st.queue.length > 0) {
          const wait = st.lastWrite + this.writeIntervalMs - this.now()
          if (wait > 0) await this.sleep(wait)
          const batch = st.queue.splice(0)
          const id = newWriteId()
          st.inflight = { batch, id }
          const error = await this.write(k, st, batch, id)
          st.inflight = undefined
          for (const w of batch) {
            if (error === undefined) w.resolve()
            else w.reject(error)
          }
        }
      } finally {
        st.running = false
        if (st.queue.length === 0 && st.inflight === undefined) {
          this.keys.delete(k)
          this.rememberWrite(k, st.lastWrite)
        }
      }
    })()
  }

  private rememberWrite(k: string, at: number): void {
    const now = this.now()
    if (at + this.writeIntervalMs <= now) return
    if (this.lastWrites.size >= 1000) {
      for (const [key, t] of this.lastWrites) if (t + this.writeIntervalMs <= now) this.lastWrites.delete(key)
    }
    this.lastWrites.set(k, at)
  }

  /** Read, apply the batch, put; retried. Returns the last error when every attempt failed. */
  private async write(k: string, st: KeyState, batch: Waiting[], id: string): Promise<Error | undefined> {
    let last: Error | undefined
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      const kv = this.kv
      // a missing binding is configuration, not a passing fault: no retry
      if (kv === undefined) return new Error(`no KV namespace bound as COLLECTIONS (KV key "${k}")`)
      if (attempt > 1) await this.sleep(this.writeIntervalMs)
      try {
        const current = await this.read(k)
        let rec = current?.record
        let ttl = KV_MIN_TTL
        for (const w of batch) {
          rec = w.update(rec)
          ttl = w.ttl
        }
        if (rec === undefined) return undefined
        st.lastWrite = this.now()
        await kv.put(k, JSON.stringify({ w: id, vars: rec.vars }), {
          expirationTtl: Math.max(KV_MIN_TTL, Math.floor(ttl)),
        })
        st.lastWrite = this.now()
        return undefined
      } catch (e) {
        last = new Error(`${asError(e).message} (KV key "${k}", attempt ${attempt} of ${this.attempts})`)
      }
    }
    return last
  }
}
