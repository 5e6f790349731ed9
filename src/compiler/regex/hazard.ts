import type { Node, ParsedPattern } from './ast'
import { ByteSet } from './byte-set'

/**
 * Static backtracking-hazard analysis of a parsed pattern (cheap, heuristic, conservative). It
 * drives two things: lint warnings for users' own patterns, and the execution strategy chosen at
 * build time (strategy.ts).
 *
 * * exponential: an unbounded repetition nested in another (`(a+)+`, `(?:\s*;\s*x)*`), or an
 *   alternation under an unbounded repetition whose branches can start with the same byte
 *   (`(?:a|ab)*`). A backtracking engine can take exponential time on a failing input.
 * * degree: the polynomial degree of the worst case, estimated as the longest chain of unbounded
 *   repetitions whose byte sets overlap, with everything between them overlapping too, counting
 *   the unanchored search itself as the first link (it is an implicit leading `[^]*?`). Degree 1
 *   is linear (`foo\s+bar`, `^a.*b`), 2 is quadratic (`a[^b]*c` on "aaaa..."), 3 and more cubic
 *   and worse (`[\n\r]+\s*:` on CRs, CRS 921160). "Unbounded" here also means a counted repeat
 *   with a maximum above 16.
 */
export interface Hazard {
  kind: 'nested-quantifier' | 'overlapping-alternation' | 'overlapping-quantifiers' | 'leading-scan'
  offset: number
  message: string
}

export interface HazardReport {
  hazards: Hazard[]
  exponential: boolean
  degree: number
  /** a capturing group inside a repetition with max > 1 */
  captureInRepeat: boolean
}

const BIG = 16
const isLoop = (n: Node): boolean => n.type === 'repeat' && n.max > BIG

class Analyzer {
  private readonly charsetMemo = new Map<Node, ByteSet>()
  private readonly nullableMemo = new Map<Node, boolean>()
  readonly hazards: Hazard[] = []
  exponential = false
  degree = 1
  captureInRepeat = false

  charset(n: Node): ByteSet {
    const m = this.charsetMemo.get(n)
    if (m) return m
    let s: ByteSet
    switch (n.type) {
      case 'set':
        s = n.set
        break
      case 'seq':
        s = new ByteSet()
        for (const it of n.items) s.addSet(this.charset(it))
        break
      case 'alt':
        s = new ByteSet()
        for (const a of n.alts) s.addSet(this.charset(a))
        break
      case 'group':
      case 'repeat':
        s = this.charset(n.body)
        break
      case 'backref':
        s = ByteSet.all()
        break
      default:
        s = new ByteSet()
    }
    this.charsetMemo.set(n, s)
    return s
  }

  nullable(n: Node): boolean {
    const m = this.nullableMemo.get(n)
    if (m !== undefined) return m
    let r: boolean
    switch (n.type) {
      case 'set':
        r = false
        break
      case 'seq':
        r = n.items.every((it) => this.nullable(it))
        break
      case 'alt':
        r = n.alts.some((a) => this.nullable(a))
        break
      case 'group':
        r = this.nullable(n.body)
        break
      case 'repeat':
        r = n.min === 0 || this.nullable(n.body)
        break
      default:
        r = true
    }
    this.nullableMemo.set(n, r)
    return r
  }

  /** Bytes a match of n can start with. */
  first(n: Node): ByteSet {
    switch (n.type) {
      case 'set':
        return n.set
      case 'seq': {
        const s = new ByteSet()
        for (const it of n.items) {
          s.addSet(this.first(it))
          if (!this.nullable(it)) break
        }
        return s
      }
      case 'alt': {
        const s = new ByteSet()
        for (const a of n.alts) s.addSet(this.first(a))
        return s
      }
      case 'group':
      case 'repeat':
        return this.first(n.body)
      case 'backref':
        return ByteSet.all()
      default:
        return new ByteSet()
    }
  }

  /** Structural walk: nested loops, alternations under loops, captures in repeats. */
  structure(n: Node, loopDepth: number, repeatDepth: number): void {
    switch (n.type) {
      case 'seq':
        for (const it of n.items) this.structure(it, loopDepth, repeatDepth)
        return
      case 'alt':
        if (loopDepth > 0) this.checkAlternation(n.alts, n.pos)
        for (const a of n.alts) this.structure(a, loopDepth, repeatDepth)
        return
      case 'group':
        if (n.kind === 'capture' && repeatDepth > 0) this.captureInRepeat = true
        this.structure(n.body, loopDepth, repeatDepth)
        return
      case 'look':
        this.structure(n.body, 0, repeatDepth)
        return
      case 'repeat': {
        const loop = isLoop(n)
        if (loop && loopDepth > 0 && !this.charset(n.body).isEmpty()) {
          this.exponential = true
          this.hazards.push({
            kind: 'nested-quantifier',
            offset: n.pos,
            message:
              'unbounded quantifier nested inside another unbounded quantifier (exponential backtracking)',
          })
        }
        this.structure(n.body, loopDepth + (loop ? 1 : 0), repeatDepth + (n.max > 1 ? 1 : 0))
        return
      }
      default:
        return
    }
  }

  private checkAlternation(alts: Node[], pos: number): void {
    const seen = new ByteSet()
    for (const a of alts) {
      const f = this.first(a)
      if (f.intersects(seen)) {
        this.exponential = true
        this.hazards.push({
          kind: 'overlapping-alternation',
          offset: pos,
          message:
            'alternatives that can start with the same byte inside an unbounded quantifier (exponential backtracking)',
        })
        return
      }
      seen.addSet(f)
    }
  }

  /**
   * Chain analysis (degree). `states` maps an open chain length to the union of the byte sets of
   * the last loops of chains of that length still alive at this point.
   */
  chain(n: Node, states: Map<number, ByteSet>): Map<number, ByteSet> {
    switch (n.type) {
      case 'set':
        return filter(states, n.set)
      case 'assert':
        return n.kind === 'subjectStart' ? new Map() : states
      case 'empty':
      case 'look':
      case 'backref':
        return states
      case 'seq': {
        let cur = states
        for (const it of n.items) cur = this.chain(it, cur)
        return cur
      }
      case 'alt': {
        const out = new Map<number, ByteSet>()
        for (const a of n.alts) merge(out, this.chain(a, states))
        return out
      }
      case 'group':
        return this.chain(n.body, states)
      case 'repeat': {
        const inner = this.chain(n.body, states)
        const out = new Map<number, ByteSet>()
        merge(out, inner)
        if (n.min === 0) merge(out, states)
        if (!isLoop(n)) return out
        const c = this.charset(n.body)
        let len = 1
        for (const [l, s] of states) if (s.intersects(c) && l + 1 > len) len = l + 1
        if (len > this.degree) {
          this.degree = len
          if (len >= 2) {
            this.hazards.push({
              kind: len === 2 ? 'leading-scan' : 'overlapping-quantifiers',
              offset: n.pos,
              message:
                len === 2
                  ? 'unbounded quantifier reachable from many start positions of the unanchored search (quadratic)'
                  : `chain of ${len - 1} unbounded quantifiers over overlapping bytes (polynomial degree ${len})`,
            })
          }
        }
        merge(out, new Map([[Math.min(len, 4), c]]))
        return out
      }
    }
  }
}

/** Keep the chains whose loop set overlaps `set` (the bytes the next element can consume). */
function filter(states: Map<number, ByteSet>, set: ByteSet): Map<number, ByteSet> {
  const out = new Map<number, ByteSet>()
  for (const [l, s] of states) if (s.intersects(set)) out.set(l, s)
  return out
}

function merge(into: Map<number, ByteSet>, from: Map<number, ByteSet>): void {
  for (const [l, s] of from) {
    const cur = into.get(l)
    into.set(l, cur ? new ByteSet(cur.bits).addSet(s) : s)
  }
}

export function analyzeHazards(parsed: ParsedPattern): HazardReport {
  const a = new Analyzer()
  a.structure(parsed.root, 0, 0)
  a.chain(parsed.root, new Map([[1, ByteSet.all()]]))
  return {
    hazards: a.hazards,
    exponential: a.exponential,
    degree: a.degree,
    captureInRepeat: a.captureInRepeat,
  }
}
