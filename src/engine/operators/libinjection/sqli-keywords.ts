import { SQL_FINGERPRINTS, SQL_WORDS } from './sqli-data'

/**
 * Keyword lookup of libinjection: a word matches a table entry when the word, with ASCII a-z
 * upper-cased, equals the entry exactly (libinjection's binary search with its half
 * case-insensitive compare; a NUL byte in the word never matches). Built once at module load as
 * an open-addressing hash table so that lookups run on (string, start, length) without
 * allocating an upper-cased copy; a (length, first byte, last byte) filter answers most misses
 * without hashing.
 */

const words: string[] = []
const wordTypes: number[] = []
for (let i = 0; i < SQL_WORDS.length; i++) {
  const group = SQL_WORDS[i] ?? ''
  const type = group.charCodeAt(0)
  const list = group.slice(1).split(',')
  for (let j = 0; j < list.length; j++) {
    words.push(list[j] ?? '')
    wordTypes.push(type)
  }
}

/** ASCII a-z upper-cased, every other byte as is */
const FOLD = new Uint8Array(256)
for (let c = 0; c < 256; c++) FOLD[c] = c >= 0x61 && c <= 0x7a ? c - 0x20 : c

/** words are shorter than this; the filters below cover lengths 0..FILTER_LEN-1 */
const FILTER_LEN = 32
/** [len * 256 + folded byte]: some word of length len starts / ends with that byte */
const WORD_FIRST = new Uint8Array(FILTER_LEN * 256)
const WORD_LAST = new Uint8Array(FILTER_LEN * 256)
/**
 * Multi-word keywords "A B" (A and B may contain spaces themselves): [len * 256 + first byte] of
 * some A, and of some B. A pair lookup needs both.
 */
const PAIR_FIRST = new Uint8Array(FILTER_LEN * 256)
const PAIR_SECOND = new Uint8Array(FILTER_LEN * 256)

const SIZE = 4096 // power of two, > 4 x the 985 words
const MASK = SIZE - 1
const slots = new Int32Array(SIZE) // word index + 1, 0 = empty

function hashStep(h: number, c: number): number {
  return Math.imul(h ^ c, 16777619)
}
const HASH_SEED = 0x811c9dc5 | 0

for (let i = 0; i < words.length; i++) {
  const w = words[i] ?? ''
  let h = HASH_SEED
  for (let k = 0; k < w.length; k++) h = hashStep(h, w.charCodeAt(k))
  let idx = h & MASK
  while (slots[idx] !== 0) idx = (idx + 1) & MASK
  slots[idx] = i + 1
  const n = w.length
  if (n > 0 && n < FILTER_LEN) {
    WORD_FIRST[n * 256 + w.charCodeAt(0)] = 1
    WORD_LAST[n * 256 + w.charCodeAt(n - 1)] = 1
  }
  for (let k = 1; k < n - 1; k++) {
    if (w.charCodeAt(k) !== 0x20) continue
    PAIR_FIRST[k * 256 + w.charCodeAt(0)] = 1
    PAIR_SECOND[(n - k - 1) * 256 + w.charCodeAt(k + 1)] = 1
  }
}

function probe(
  h: number,
  s: string,
  start: number,
  len: number,
  s2: string,
  start2: number,
  len2: number,
): number {
  let idx = h & MASK
  const total = len2 < 0 ? len : len + 1 + len2
  for (;;) {
    const e = slots[idx] ?? 0
    if (e === 0) return 0
    const w = words[e - 1] ?? ''
    if (w.length === total && sameFolded(w, s, start, len, s2, start2, len2)) return wordTypes[e - 1] ?? 0
    idx = (idx + 1) & MASK
  }
}

function sameFolded(
  w: string,
  s: string,
  start: number,
  len: number,
  s2: string,
  start2: number,
  len2: number,
): boolean {
  for (let k = 0; k < len; k++) if (w.charCodeAt(k) !== FOLD[s.charCodeAt(start + k)]) return false
  if (len2 < 0) return true
  if (w.charCodeAt(len) !== 0x20) return false
  for (let k = 0; k < len2; k++)
    if (w.charCodeAt(len + 1 + k) !== FOLD[s2.charCodeAt(start2 + k)]) return false
  return true
}

/** Type (char code) of the keyword s[start, start+len), 0 when it is not a keyword. */
export function lookupWord(s: string, start: number, len: number): number {
  if (len === 0) return 0
  if (len < FILTER_LEN) {
    const b = len << 8
    if (WORD_FIRST[b + (FOLD[s.charCodeAt(start)] ?? 0)] === 0) return 0
    if (WORD_LAST[b + (FOLD[s.charCodeAt(start + len - 1)] ?? 0)] === 0) return 0
  }
  let h = HASH_SEED
  for (let k = 0; k < len; k++) {
    const c = s.charCodeAt(start + k)
    if (c === 0) return 0
    h = hashStep(h, FOLD[c] ?? c)
  }
  return probe(h, s, start, len, '', 0, -1)
}

/**
 * Type of the two-word keyword `a + ' ' + b` (libinjection's syntax_merge_words lookup), 0 if
 * none; a and b are s1[o1, o1+l1) and s2[o2, o2+l2).
 */
export function lookupPairAt(s1: string, o1: number, l1: number, s2: string, o2: number, l2: number): number {
  if (l1 === 0 || l2 === 0 || l1 >= FILTER_LEN || l2 >= FILTER_LEN) {
    if (l1 + l2 + 1 >= FILTER_LEN) return 0 // no word is that long
  } else {
    if (PAIR_FIRST[(l1 << 8) + (FOLD[s1.charCodeAt(o1)] ?? 0)] === 0) return 0
    if (PAIR_SECOND[(l2 << 8) + (FOLD[s2.charCodeAt(o2)] ?? 0)] === 0) return 0
  }
  let h = HASH_SEED
  for (let k = 0; k < l1; k++) {
    const c = s1.charCodeAt(o1 + k)
    if (c === 0) return 0
    h = hashStep(h, FOLD[c] ?? c)
  }
  h = hashStep(h, 0x20)
  for (let k = 0; k < l2; k++) {
    const c = s2.charCodeAt(o2 + k)
    if (c === 0) return 0
    h = hashStep(h, FOLD[c] ?? c)
  }
  return probe(h, s1, o1, l1, s2, o2, l2)
}

/** Type of the two-word keyword `a + ' ' + b`, 0 if none. */
export function lookupPair(a: string, b: string): number {
  return lookupPairAt(a, 0, a.length, b, 0, b.length)
}

/** True when `s` equals the upper-case ASCII `upper` ignoring ASCII case (libinjection's cstrcasecmp == 0). */
export function equalsUpper(s: string, upper: string): boolean {
  return s.length === upper.length && equalsUpperAt(s, 0, s.length, upper)
}

/** True when s[start, start+len) equals the upper-case ASCII `upper` ignoring ASCII case. */
export function equalsUpperAt(s: string, start: number, len: number, upper: string): boolean {
  if (len !== upper.length) return false
  for (let k = 0; k < len; k++) if (FOLD[s.charCodeAt(start + k)] !== upper.charCodeAt(k)) return false
  return true
}

/**
 * The fingerprint set. A fingerprint (at most 5 token types, upper-cased) is looked up as a
 * number: each type is a 5-bit code (1..31, the ~20 letters fingerprints use), so no string is
 * built per pass. fingerprintCode() gives a type's code, 0 when no fingerprint contains it.
 */
const FP_CODE = new Uint8Array(256)
const FP_SIZE = 1 << 14 // power of two, ~2 x the 8367 fingerprints (64 KB)
const FP_MASK = FP_SIZE - 1
const fpSlots = new Int32Array(FP_SIZE) // key, 0 = empty
let fpCount = 0
let fpCodes = 0

function fpHash(key: number): number {
  return Math.imul(key, 0x9e3779b1) >>> 18
}

function fpKeyOf(fp: string): number {
  let key = 0
  for (let i = 0; i < fp.length; i++) {
    const c = FOLD[fp.charCodeAt(i)] ?? 0
    const code = FP_CODE[c] ?? 0
    if (code === 0) return 0
    key = key * 32 + code
  }
  return key
}

function fpHas(key: number): boolean {
  let idx = fpHash(key) & FP_MASK
  for (;;) {
    const k = fpSlots[idx] ?? 0
    if (k === key) return true
    if (k === 0) return false
    idx = (idx + 1) & FP_MASK
  }
}

for (let i = 0; i < SQL_FINGERPRINTS.length; i++) {
  const list = (SQL_FINGERPRINTS[i] ?? '').split(' ')
  for (let j = 0; j < list.length; j++) {
    const fp = list[j] ?? ''
    for (let k = 0; k < fp.length; k++) {
      const c = fp.charCodeAt(k)
      if (FP_CODE[c] === 0) FP_CODE[c] = ++fpCodes
    }
    const key = fpKeyOf(fp)
    if (fpCodes > 31 || fp.length === 0 || fp.length > 5) throw new Error('libinjection: fingerprint table')
    if (fpHas(key)) continue
    let idx = fpHash(key) & FP_MASK
    while (fpSlots[idx] !== 0) idx = (idx + 1) & FP_MASK
    fpSlots[idx] = key
    fpCount++
  }
}

/** The 5-bit code of a token type (upper-cased first), 0 when no fingerprint contains it. */
export function fingerprintCode(type: number): number {
  return FP_CODE[FOLD[type] ?? 0] ?? 0
}

/** Is the fingerprint with this key (codes of its types, 5 bits each, first type highest) in the set? */
export function isKnownFingerprintKey(key: number): boolean {
  return key !== 0 && fpHas(key)
}

/** Is the fingerprint (any case) in libinjection's fingerprint set? */
export function isKnownFingerprint(fingerprint: string): boolean {
  return isKnownFingerprintKey(fpKeyOf(fingerprint))
}

/** Number of words and fingerprints loaded (for tests). */
export const TABLE_COUNTS = { words: words.length, fingerprints: fpCount }
