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
 */

/** Largest exact set carried through concatenations. */
const MAX_EXACT = 64
/** Longest exact string kept (longer ones become a requirement). */
const MAX_EXACT_LEN = 24
/** Most literals in a requirement (alternations union their branches'). */
const MAX_REQ = 256
/** A requirement whose score is above this is not worth checking (see score()). */
const MAX_SCORE = 1

interface Info {
  exact: Set<string> | null
  req: Set<string> | null
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
  if (folded.size <= 16) return { exact: folded, req: folded }
  return { exact: null, req: folded }
}

const EMPTY_ONLY: Info = { exact: new Set(['']), req: null }

function info(n: Node): Info {
  switch (n.type) {
    case 'empty':
    case 'assert':
    case 'look':
      return EMPTY_ONLY
    case 'backref':
      return { exact: null, req: null }
    case 'set':
      return setInfo(n.set)
    case 'group':
      return info(n.body)
    case 'seq': {
      let cur: Set<string> | null = new Set([''])
      let whole = true
      let best: Set<string> | null = null
      for (const item of n.items) {
        const it = info(item)
        best = better(best, it.req)
        const joined: Set<string> | null = cur !== null && it.exact !== null ? cross(cur, it.exact) : null
        if (joined !== null) {
          cur = joined
          continue
        }
        whole = false
        if (cur !== null) best = better(best, reqOfExact(cur))
        cur = it.exact
      }
      if (cur !== null) best = better(best, reqOfExact(cur))
      return { exact: whole ? cur : null, req: best }
    }
    case 'alt': {
      let exact: Set<string> | null = new Set()
      let req: Set<string> | null = new Set()
      for (const a of n.alts) {
        const it = info(a)
        if (exact !== null) {
          if (it.exact === null || exact.size + it.exact.size > MAX_EXACT) exact = null
          else for (const s of it.exact) exact.add(s)
        }
        if (req !== null) {
          const r = better(it.req, it.exact === null ? null : reqOfExact(it.exact))
          if (r === null || req.size + r.size > MAX_REQ) req = null
          else for (const s of r) req.add(s)
        }
      }
      return { exact, req }
    }
    case 'repeat': {
      if (n.max === 0) return EMPTY_ONLY
      const body = info(n.body)
      if (n.min === 0) return { exact: null, req: null }
      const req = better(body.req, body.exact === null ? null : reqOfExact(body.exact))
      let exact: Set<string> | null = null
      if (n.min === n.max && body.exact !== null && n.min <= 4) {
        exact = new Set([''])
        for (let k = 0; k < n.min && exact !== null; k++) exact = cross(exact, body.exact)
      }
      return { exact, req }
    }
  }
}

/**
 * The prefilter of a pattern: ASCII-lower-case literals, at least one of which every match
 * contains (case-insensitively), or undefined when no requirement is selective enough.
 */
export function extractPrefilter(parsed: ParsedPattern): string[] | undefined {
  const it = info(parsed.root)
  const req = better(it.req, it.exact === null ? null : reqOfExact(it.exact))
  if (req === null || score(req) >= MAX_SCORE) return undefined
  // a literal that contains another one is redundant (the shorter one occurs whenever it does)
  const lits = Array.from(req).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))
  const kept: string[] = []
  for (const l of lits) if (!kept.some((k) => l.includes(k))) kept.push(l)
  return kept
}
