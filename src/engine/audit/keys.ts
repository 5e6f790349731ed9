/**
 * Where an audit record lives in the bucket, and the unique id that finds it.
 *
 * Key layout (one object per transaction):
 *
 *   YYYYMMDD/HH/<unique_id>            the record (Native or JSON), UTC date and hour
 *   YYYYMMDD/HH/<unique_id>/file-<n>   the n-th uploaded file kept with it (SecUploadKeepFiles)
 *
 * The Worker's unique ids are built the way Apache's mod_unique_id builds them: the first four
 * bytes are the request time in seconds (big-endian), then 16 random bytes, encoded with
 * mod_unique_id's alphabet (A-Z a-z 0-9 @ -) into 27 characters. ModSecurity 2.9.7's ids show
 * the same layout (recorded: "awIMKqNt..." starts with the time 0x6b020c2a). So the key of a
 * record follows from its id alone: the id on a block page is enough to fetch the record
 * (`waf audit get <id>`), locally or remotely, without listing the bucket.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@-'

/** length of the ids we generate (20 bytes, like mod_unique_id in httpd 2.4) */
export const UNIQUE_ID_LENGTH = 27

function value(c: number): number {
  if (c >= 0x41 && c <= 0x5a) return c - 0x41
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 26
  if (c >= 0x30 && c <= 0x39) return c - 0x30 + 52
  if (c === 0x40) return 62
  if (c === 0x2d) return 63
  return -1
}

/**
 * A unique id for a transaction starting at `nowMs`: 4 bytes of time (seconds) and the 16
 * given random bytes (the Worker passes crypto.getRandomValues output; the engine has no
 * random source of that quality), as 27 characters.
 */
export function timedUniqueId(nowMs: number, random: ArrayLike<number>): string {
  const bytes: number[] = []
  const t = Math.floor(nowMs / 1000) >>> 0
  bytes.push((t >>> 24) & 0xff, (t >>> 16) & 0xff, (t >>> 8) & 0xff, t & 0xff)
  for (let i = 0; i < 16; i++) bytes.push((random[i] ?? 0) & 0xff)
  let out = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] ?? 0
    const b1 = bytes[i + 1] ?? 0
    const b2 = bytes[i + 2] ?? 0
    const n = (b0 << 16) | (b1 << 8) | b2
    out += ALPHABET.charAt((n >> 18) & 63) + ALPHABET.charAt((n >> 12) & 63)
    if (i + 1 < bytes.length) out += ALPHABET.charAt((n >> 6) & 63)
    if (i + 2 < bytes.length) out += ALPHABET.charAt(n & 63)
  }
  return out
}

/**
 * The time (ms since the epoch, second precision) encoded at the start of a unique id, or
 * undefined when the id cannot be one of ours (wrong length or alphabet, or a time before
 * 2001 / after 2100: ids from elsewhere, e.g. a test's fixed id).
 */
export function uniqueIdTime(id: string): number | undefined {
  if (id.length !== UNIQUE_ID_LENGTH) return undefined
  let n = 0
  for (let i = 0; i < 6; i++) {
    const v = value(id.charCodeAt(i))
    if (v < 0) return undefined
    n = n * 64 + v
  }
  for (let i = 6; i < id.length; i++) if (value(id.charCodeAt(i)) < 0) return undefined
  // 36 bits: the first 32 are the seconds
  const seconds = Math.floor(n / 16)
  if (seconds < 978307200 || seconds > 4102444800) return undefined
  return seconds * 1000
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n)
}

/** "YYYYMMDD/HH/" for a time (UTC): the prefix of every record of that hour. */
export function hourPrefix(ms: number): string {
  const d = new Date(ms)
  return (
    String(d.getUTCFullYear()) +
    pad2(d.getUTCMonth() + 1) +
    pad2(d.getUTCDate()) +
    '/' +
    pad2(d.getUTCHours()) +
    '/'
  )
}

/** a unique id is used as a key component: nothing that could change the key's structure */
export function isSafeId(id: string): boolean {
  return id.length > 0 && id.length <= 128 && /^[A-Za-z0-9@_.-]+$/.test(id)
}

/**
 * The key of a transaction's record. The hour comes from the id when it encodes one (so the
 * key is computable from the id alone), else from the transaction's start time.
 */
export function auditKey(uniqueId: string, startMs: number): string {
  const t = uniqueIdTime(uniqueId) ?? startMs
  return hourPrefix(t) + (isSafeId(uniqueId) ? uniqueId : encodeURIComponent(uniqueId))
}

/** The key of the n-th (1-based) uploaded file kept with a record. */
export function auditFileKey(recordKey: string, n: number): string {
  return recordKey + '/file-' + n
}

/** The record key for a unique id that encodes its time; undefined for ids that do not. */
export function keyForId(uniqueId: string): string | undefined {
  const t = uniqueIdTime(uniqueId)
  if (t === undefined || !isSafeId(uniqueId)) return undefined
  return hourPrefix(t) + uniqueId
}
