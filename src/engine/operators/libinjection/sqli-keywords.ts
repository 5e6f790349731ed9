import { SQL_FINGERPRINTS, SQL_WORDS } from './sqli-data'

/**
 * Keyword lookup of libinjection: a word matches a table entry when the word, with ASCII a-z
 * upper-cased, equals the entry exactly (libinjection's binary search with its half
 * case-insensitive compare; a NUL byte in the word never matches). Built once at module load as
 * an open-addressing hash table so that lookups run on (string, start, length) without
 * allocating an upper-cased copy.
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

const SIZE = 4096 // power of two, > 4 x the 985 words
const MASK = SIZE - 1
const slots = new Int32Array(SIZE) // word index + 1, 0 = empty

function fold(c: number): number {
  return c >= 0x61 && c <= 0x7a ? c - 0x20 : c
}

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
  for (let k = 0; k < len; k++) if (w.charCodeAt(k) !== fold(s.charCodeAt(start + k))) return false
  if (len2 < 0) return true
  if (w.charCodeAt(len) !== 0x20) return false
  for (let k = 0; k < len2; k++)
    if (w.charCodeAt(len + 1 + k) !== fold(s2.charCodeAt(start2 + k))) return false
  return true
}

/** Type (char code) of the keyword s[start, start+len), 0 when it is not a keyword. */
export function lookupWord(s: string, start: number, len: number): number {
  if (len === 0) return 0
  let h = HASH_SEED
  for (let k = 0; k < len; k++) {
    const c = s.charCodeAt(start + k)
    if (c === 0) return 0
    h = hashStep(h, fold(c))
  }
  return probe(h, s, start, len, '', 0, -1)
}

/** Type of the two-word keyword `a + ' ' + b` (libinjection's syntax_merge_words lookup), 0 if none. */
export function lookupPair(a: string, b: string): number {
  let h = HASH_SEED
  for (let k = 0; k < a.length; k++) {
    const c = a.charCodeAt(k)
    if (c === 0) return 0
    h = hashStep(h, fold(c))
  }
  h = hashStep(h, 0x20)
  for (let k = 0; k < b.length; k++) {
    const c = b.charCodeAt(k)
    if (c === 0) return 0
    h = hashStep(h, fold(c))
  }
  return probe(h, a, 0, a.length, b, 0, b.length)
}

/** True when `s` equals the upper-case ASCII `upper` ignoring ASCII case (libinjection's cstrcasecmp == 0). */
export function equalsUpper(s: string, upper: string): boolean {
  if (s.length !== upper.length) return false
  for (let k = 0; k < s.length; k++) if (fold(s.charCodeAt(k)) !== upper.charCodeAt(k)) return false
  return true
}

const fingerprints = new Set<string>()
for (let i = 0; i < SQL_FINGERPRINTS.length; i++) {
  const list = (SQL_FINGERPRINTS[i] ?? '').split(' ')
  for (let j = 0; j < list.length; j++) fingerprints.add(list[j] ?? '')
}

/** Is the upper-cased fingerprint in libinjection's fingerprint set? */
export function isKnownFingerprint(upperFingerprint: string): boolean {
  return fingerprints.has(upperFingerprint)
}

/** Number of words and fingerprints loaded (for tests). */
export const TABLE_COUNTS = { words: words.length, fingerprints: fingerprints.size }
