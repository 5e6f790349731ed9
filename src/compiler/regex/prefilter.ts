import type { Node, ParsedPattern } from './ast'
import type { ByteSet } from './byte-set'

/**
 * Required-literal prefilter (build time): a set of strings such that every subject the pattern
 * can match contains at least one of them, compared with ASCII case folded. The engine checks it
 * before running the regex (src/engine/regex/prefilter.ts): a subject that contains none of them
 * cannot match, so the regex is not run. This never changes a result; it only skips work.
 *
 * Soundness, node by node (L(N) = the byte strings N can match, fold = ASCII upper -> lower):
 * - `exact(N)`: a finite set E with fold(L(N)) ⊆ E (null: unknown or too large);
 * - `req(N)`: a finite set R such that every s in L(N) has some r in R as a substring of fold(s)
 *   (null: no condition).
 * A set node gives the folded bytes; a sequence concatenates exact sets while they stay small
 * and otherwise keeps the best requirement of its parts (any part's requirement holds for the
 * whole); an alternation unions its branches' requirements (null when one branch has none); a
 * repetition with min >= 1 keeps its body's requirement, min 0 has none; lookarounds, assertions
 * and the empty node match the empty string only (exact {""}: a lookahead's own condition is not
 * used); a backreference has none. Taking supersets of exact sets and weaker requirements is
 * always sound; the choice between valid requirements is a heuristic (score()).
 *
 * Optional parts: `nonEmpty(N)` is a requirement of N's non-empty matches (an empty set when N
 * matches only the empty string; null: none known) and `nullable(N)` says whether N can match
 * the empty string. In a sequence, a nullable part whose exact set is unknown or too large to
 * cross is passed over: the segment's exact strings are built as if it matched empty, and its
 * nonEmpty literals are added to the segment's requirement. Sound: a match either has every
 * passed-over part empty (then it contains one of the segment's exact strings) or one of them
 * non-empty (then it contains one of that part's literals). CRS's command-evasion patterns
 * (932230...) put `["')[\\]*(?:...\$...)?\\?` between the letters of every word: their
 * requirement becomes the words plus the few bytes that evasion needs.
 */

/** Largest exact set carried through concatenations. */
const MAX_EXACT = 64
/** Longest exact string kept (longer ones become a requirement). */
const MAX_EXACT_LEN = 24
/** Most literals in a requirement (alternations union their branches'). */
const MAX_REQ = 1024
/** A requirement whose score is above this is not worth checking (see score()). */
const MAX_SCORE = 1

interface Info {
  exact: Set<string> | null
  req: Set<string> | null
  nonEmpty: Set<string> | null
  nullable: boolean
  /**
   * a second requirement, from the reading that passes over nullable parts (see the top): kept
   * beside `req` because an alternation's union of them can be far better than the union of its
   * branches' locally best ones (the evasion bytes are shared by every branch; their first
   * letters are not)
   */
  req2: Set<string> | null
  /** every match starts with one of these (folded); null: unknown */
  pre: Set<string> | null
}

const fold = (b: number): number => (b >= 0x41 && b <= 0x5a ? b | 0x20 : b)

/** English letter frequencies (per mille), a..z: how often benign text contains a letter. */
const LETTER_FREQ = [
  82, 15, 28, 43, 127, 22, 20, 61, 70, 2, 8, 40, 24, 67, 75, 19, 1, 60, 63, 91, 28, 10, 24, 2, 20, 1,
]

/** Punctuation of ordinary form and header values: space . - _ / : , = & % + ; @ */
const COMMON_PUNCT = ' .-_/:,=&%+;@'

/** A guess of how likely a benign value is to contain the byte (0..1). */
function byteWeight(b: number): number {
  if (b >= 0x61 && b <= 0x7a) return Math.min(1, ((LETTER_FREQ[b - 0x61] ?? 0) * 10) / 1000)
  if (b >= 0x30 && b <= 0x39) return 0.3
  if (COMMON_PUNCT.includes(String.fromCharCode(b))) return 0.3
  if (b >= 0x21 && b <= 0x7e) return 0.1
  return 0.02
}

/**
 * A guess of how often benign values contain one of the literals (lower is a better filter): per
 * literal, its rarest byte's weight, divided by 5 for every further byte; summed over the literals.
 * Only decides which valid requirement to keep and whether one is worth checking, never
 * correctness.
 */
function score(req: Set<string>): number {
  let s = 0
  for (const lit of req) {
    if (lit.length === 0) return Infinity
    let w = 1
    for (let i = 0; i < lit.length; i++) w = Math.min(w, byteWeight(lit.charCodeAt(i)))
    s += w * Math.pow(0.2, lit.length - 1)
  }
  return s
}

function better(a: Set<string> | null, b: Set<string> | null): Set<string> | null {
  if (a === null) return b
  if (b === null) return a
  return score(b) < score(a) ? b : a
}

/** A requirement from an exact set (null when it contains the empty string). */
function reqOfExact(e: Set<string>): Set<string> | null {
  if (e.has('')) return null
  return e
}

function cross(a: Set<string>, b: Set<string>): Set<string> | null {
  if (a.size * b.size > MAX_EXACT) return null
  const out = new Set<string>()
  for (const x of a)
    for (const y of b) {
      const s = x + y
      if (s.length > MAX_EXACT_LEN) return null
      out.add(s)
    }
  return out
}

function setInfo(set: ByteSet): Info {
  const folded = new Set<string>()
  for (let b = 0; b < 256; b++) if (set.has(b)) folded.add(String.fromCharCode(fold(b)))
  if (folded.size <= 16)
    return { exact: folded, req: folded, nonEmpty: folded, nullable: false, req2: folded, pre: folded }
  return { exact: null, req: folded, nonEmpty: folded, nullable: false, req2: folded, pre: folded }
}

const EMPTY_ONLY: Info = {
  exact: new Set(['']),
  req: null,
  nonEmpty: new Set(),
  nullable: true,
  req2: null,
  pre: new Set(['']),
}

/** The non-empty strings of an exact set as a requirement (they are substrings of themselves). */
function nonEmptyOfExact(e: Set<string>): Set<string> {
  const out = new Set<string>()
  for (const x of e) if (x !== '') out.add(x)
  return out
}

function union(a: Set<string> | null, b: Set<string> | null): Set<string> | null {
  if (a === null || b === null) return null
  const out = new Set(a)
  for (const x of b) out.add(x)
  return shrink(out)
}

/** Every a + b (no size limit: the caller shrinks). */
function crossAll(a: Set<string>, b: Set<string>): Set<string> {
  const out = new Set<string>()
  for (const x of a) for (const y of b) out.add(x + y)
  return out
}

/**
 * A prefix set of at most MAX_REQ strings: strings cut to their first L bytes (L = 24, 8, 7 ...
 * 1) and the ones that start with another dropped, until it fits. Sound for prefixes: a subject
 * that starts with a string starts with its cut. Null: it does not fit.
 */
function shrinkPrefixes(set: Set<string>): Set<string> | null {
  for (const len of [MAX_EXACT_LEN, 8, 7, 6, 5, 4, 3, 2, 1]) {
    const cut = Array.from(new Set(Array.from(set, (x) => (x.length > len ? x.slice(0, len) : x)))).sort(
      (a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0),
    )
    const kept: string[] = []
    for (const x of cut) if (!kept.some((k) => x.startsWith(k))) kept.push(x)
    if (kept.length <= MAX_REQ) return new Set(kept)
  }
  return null
}

/** A literal that contains another one of the set says nothing more: drop it. */
function dropRedundant(set: Set<string>): Set<string> {
  const lits = Array.from(set).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))
  const kept: string[] = []
  for (const l of lits) if (!kept.some((k) => l.includes(k))) kept.push(l)
  return new Set(kept)
}

/**
 * A requirement of at most MAX_REQ literals: when there are more, every literal is cut to its
 * first L bytes (L = 8, 7, ... 2) and the redundant ones dropped, until it fits (null: it does
 * not). Sound: a subject that contains a literal contains its prefix. A word list followed by
 * one of a dozen terminators ("head\t", "head ", ...) shrinks back to the words.
 */
function shrink(set: Set<string>): Set<string> | null {
  if (set.size <= MAX_REQ) return set
  const plain = dropRedundant(set)
  if (plain.size <= MAX_REQ) return plain
  for (let len = 8; len >= 2; len--) {
    const cut = new Set<string>()
    for (const x of set) cut.add(x.length > len ? x.slice(0, len) : x)
    const d = dropRedundant(cut)
    if (d.size <= MAX_REQ) return d
  }
  return null
}

/**
 * A sequence's exact set (only when every part joined) and the best requirement of its segments
 * of joined exact parts; with `pass`, a nullable part that does not join is passed over while
 * its nonEmpty literals keep the segment's requirement selective (score below MAX_SCORE).
 */
function seqSegments(
  parts: readonly Info[],
  pass: boolean,
): {
  exact: Set<string> | null
  req: Set<string> | null
  full: Set<string> | null
  pre: Set<string> | null
} {
  let cur: Set<string> | null = new Set([''])
  let whole = true
  let best: Set<string> | null = null
  let extra: Set<string> = new Set()
  // no part ended a segment: the one segment's requirement covers the whole sequence
  let unbroken = true
  // the sequence's prefixes: the first segment's exact strings, then the next part's prefixes
  let pre: Set<string> | null = null
  const close = (): void => {
    const r = cur === null ? null : reqOfExact(cur)
    if (r !== null) best = better(best, union(r, extra))
  }
  for (const it of parts) {
    const joined: Set<string> | null = cur !== null && it.exact !== null ? cross(cur, it.exact) : null
    if (joined !== null) {
      cur = joined
      continue
    }
    whole = false
    if (pass && cur !== null && it.nullable && it.nonEmpty !== null) {
      const more = union(extra, it.nonEmpty)
      if (more !== null && score(more) < MAX_SCORE) {
        // the segment so far is a candidate too (a later part may make it worse)
        close()
        extra = more
        continue
      }
    }
    // the segment followed by the prefixes of the part that ends it is a requirement too
    // ("a" then an alternation of 300 words: "add", "agetty", ...)
    const led = cur !== null && it.pre !== null ? shrinkPrefixes(crossAll(cur, it.pre)) : null
    if (led !== null) {
      const r = reqOfExact(led)
      if (r !== null) best = better(best, union(r, extra))
    }
    if (unbroken && extra.size === 0) pre = led ?? cur
    close()
    unbroken = false
    cur = it.exact
    extra = new Set()
  }
  close()
  const last: Set<string> | null = cur === null ? null : reqOfExact(cur)
  const full = unbroken && last !== null ? union(last, extra) : null
  if (unbroken && extra.size === 0) pre = cur
  return { exact: whole ? cur : null, req: best, full, pre }
}

function info(n: Node): Info {
  switch (n.type) {
    case 'empty':
    case 'assert':
    case 'look':
      return EMPTY_ONLY
    case 'backref':
      return { exact: null, req: null, nonEmpty: null, nullable: true, req2: null, pre: null }
    case 'set':
      return setInfo(n.set)
    case 'group':
      return info(n.body)
    case 'seq': {
      const parts = n.items.map(info)
      let nullable = true
      let nonEmpty: Set<string> | null = new Set()
      let best: Set<string> | null = null
      let best2: Set<string> | null = null
      for (const it of parts) {
        nullable = nullable && it.nullable
        nonEmpty = union(nonEmpty, it.nonEmpty)
        best = better(best, it.req)
        best2 = better(best2, it.req2)
      }
      // two readings: a nullable part ends the segment, or it is passed over (see the top)
      const plain = seqSegments(parts, false)
      const passed = seqSegments(parts, true)
      best = better(best, plain.req)
      best2 = passed.full ?? better(best2, passed.req)
      if (!nullable) nonEmpty = better(nonEmpty, best)
      return { exact: plain.exact, req: best, nonEmpty, nullable, req2: best2, pre: plain.pre }
    }
    case 'alt': {
      let exact: Set<string> | null = new Set()
      let req: Set<string> | null = new Set()
      let nonEmpty: Set<string> | null = new Set()
      let req2: Set<string> | null = new Set()
      let pre: Set<string> | null = new Set()
      let nullable = false
      for (const a of n.alts) {
        const it = info(a)
        nullable = nullable || it.nullable
        nonEmpty = union(nonEmpty, it.nonEmpty)
        const own = better(it.req, it.exact === null ? null : reqOfExact(it.exact))
        req2 = union(req2, it.req2 ?? own)
        pre = pre === null || it.pre === null ? null : shrinkPrefixes(new Set([...pre, ...it.pre]))
        if (exact !== null) {
          if (it.exact === null || exact.size + it.exact.size > MAX_EXACT) exact = null
          else for (const s of it.exact) exact.add(s)
        }
        if (req !== null) {
          req = union(req, better(it.req, it.exact === null ? null : reqOfExact(it.exact)))
        }
      }
      return { exact, req, nonEmpty, nullable, req2, pre }
    }
    case 'repeat': {
      if (n.max === 0) return EMPTY_ONLY
      const body = info(n.body)
      // a non-empty match of the repetition has a non-empty match of the body
      const bodyNonEmpty = better(body.nonEmpty, body.exact === null ? null : nonEmptyOfExact(body.exact))
      if (n.min === 0)
        return {
          exact: null,
          req: null,
          nonEmpty: bodyNonEmpty,
          nullable: true,
          req2: null,
          pre: new Set(['']),
        }
      const req = better(body.req, body.exact === null ? null : reqOfExact(body.exact))
      let exact: Set<string> | null = null
      if (n.min === n.max && body.exact !== null && n.min <= 4) {
        exact = new Set([''])
        for (let k = 0; k < n.min && exact !== null; k++) exact = cross(exact, body.exact)
      }
      return {
        exact,
        req,
        nonEmpty: better(bodyNonEmpty, req),
        nullable: body.nullable,
        req2: body.req2,
        pre: exact ?? body.pre,
      }
    }
  }
}

/**
 * The prefilter of a pattern: ASCII-lower-case literals, at least one of which every match
 * contains (case-insensitively), or undefined when no requirement is selective enough.
 */
export function extractPrefilter(parsed: ParsedPattern): string[] | undefined {
  const it = info(parsed.root)
  const req = better(better(it.req, it.exact === null ? null : reqOfExact(it.exact)), it.req2)
  if (req === null || score(req) >= MAX_SCORE) return undefined
  // a literal that contains another one is redundant (the shorter one occurs whenever it does)
  return Array.from(dropRedundant(req))
}
