import type { Node, ParsedPattern } from './ast'
import type { ByteSet } from './byte-set'
import { SETS } from './byte-set'
import { needsIgnoreCase } from './checks'

/**
 * AST -> JavaScript RegExp source for binary-string subjects (one char per byte), with no flags:
 * every flag-dependent meaning (case folding, DOTALL, multiline anchors, `\s`) was resolved into
 * byte sets and exact assertions by the parser, so the result never depends on `i`, `s`, `m`,
 * and never needs `u`/`v` or RegExp modifiers (Node 20 lacks them). The one exception is `i` for
 * caseless backreferences, only where checks.ts proved that it changes nothing else.
 *
 * Atomic groups and possessive quantifiers become `(?=(X))\k`: a lookahead is atomic in JS, and
 * the backreference consumes exactly what it matched. That adds a capturing group, so the result
 * then carries `groups`, the map from PCRE group number to JS group number.
 */
export interface JsRegex {
  source: string
  flags: string
  /** groups[n] = JS group number of PCRE group n (groups[0] = 0); present only when they differ */
  groups?: number[]
}

const HEX = '0123456789abcdef'
const hex2 = (b: number): string => '\\x' + (HEX[b >> 4] ?? '0') + (HEX[b & 15] ?? '0')
const isAlnum = (b: number): boolean =>
  (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)
/** Syntax characters outside a class (escaped with a backslash). */
const SPECIAL = new Set('^$\\.*+?()[]{}|/'.split('').map((c) => c.charCodeAt(0)))

export function literalByte(b: number): string {
  if (SPECIAL.has(b)) return '\\' + String.fromCharCode(b)
  if (b >= 0x20 && b <= 0x7e) return String.fromCharCode(b)
  return hex2(b)
}

function classByte(b: number): string {
  return isAlnum(b) || b === 0x5f ? String.fromCharCode(b) : hex2(b)
}

function classBody(set: ByteSet): string {
  let out = ''
  for (const [lo, hi] of set.ranges()) {
    if (lo === hi) out += classByte(lo)
    else if (hi === lo + 1) out += classByte(lo) + classByte(hi)
    else out += classByte(lo) + '-' + classByte(hi)
  }
  return out
}

const DIGIT = SETS.digit()
const WORD = SETS.word()

/** A byte set as a JS atom. `anyByte` is what the dialect writes for "every byte". */
export function emitSet(set: ByteSet, anyByte = '[^]'): string {
  if (set.isFull()) return anyByte
  const one = set.single()
  if (one >= 0) return literalByte(one)
  if (set.equals(DIGIT)) return '\\d'
  if (set.equals(WORD)) return '\\w'
  const neg = set.negate()
  if (neg.equals(DIGIT)) return '\\D'
  if (neg.equals(WORD)) return '\\W'
  if (set.isEmpty()) return '[^\\x00-\\xff]'
  const pos = classBody(set)
  const negBody = classBody(neg)
  return negBody.length < pos.length ? `[^${negBody}]` : `[${pos}]`
}

class JsEmitter {
  private jsIndex = 0
  private readonly map: number[] = [0]
  private atomics = 0
  /** inside a lookbehind (and not in a lookahead nested in it): JS matches this part right to left */
  private backward = false

  constructor(groupCount: number) {
    for (let g = 1; g <= groupCount; g++) this.map.push(g)
  }

  result(root: Node): JsRegex {
    const source = this.emit(root)
    return this.atomics > 0 ? { source, flags: '', groups: this.map } : { source, flags: '' }
  }

  private emit(n: Node): string {
    switch (n.type) {
      case 'empty':
        return ''
      case 'set':
        return emitSet(n.set)
      case 'seq': {
        let out = ''
        for (const it of n.items) out += it.type === 'alt' ? `(?:${this.emit(it)})` : this.emit(it)
        return out
      }
      case 'alt':
        return n.alts.map((a) => this.emit(a)).join('|')
      case 'group': {
        if (n.kind === 'capture') {
          this.jsIndex++
          if (n.index !== undefined) this.map[n.index] = this.jsIndex
          return `(${this.emit(n.body)})`
        }
        // In a lookbehind JS matches right to left, so `(?=(X))\N` would run `\N` before the
        // lookahead sets it. A plain group is exact there: the body is fixed length (parser), so
        // X ends at the same place whichever way it matches, and no backreference in the
        // lookbehind can see X's captures (checks.ts), so the rest cannot depend on that choice;
        // a successful lookbehind is never re-entered, so X keeps its first match as in PCRE.
        if (n.kind === 'noncap' || this.backward) return `(?:${this.emit(n.body)})`
        this.atomics++
        const helper = ++this.jsIndex
        return `(?:(?=(${this.emit(n.body)}))\\${helper})`
      }
      case 'look': {
        const outer = this.backward
        this.backward = n.behind
        const body = this.emit(n.body)
        this.backward = outer
        return `(?${n.behind ? '<' : ''}${n.negate ? '!' : '='}${body})`
      }
      case 'repeat': {
        const body = this.emit(n.body)
        const atom = isAtom(n.body, body) ? body : `(?:${body})`
        return atom + quantifier(n.min, n.max) + (n.greedy ? '' : '?')
      }
      case 'assert':
        switch (n.kind) {
          case 'subjectStart':
            return '^'
          case 'subjectEnd':
            return '$'
          case 'endOrFinalNewline':
            return '(?=\\n?$)'
          case 'lineStart':
            return '(?:^|(?<=\\n)(?=[^]))'
          case 'lineEnd':
            return '(?=\\n|$)'
          case 'wordBoundary':
            return '\\b'
          case 'notWordBoundary':
            return '\\B'
        }
        return ''
      case 'backref':
        return `(?:\\${this.map[n.group] ?? n.group})`
    }
  }
}

/** True when `text` (the emission of `n`) can take a quantifier as it is. */
function isAtom(n: Node, text: string): boolean {
  if (n.type === 'set') return true
  if (n.type === 'group' || n.type === 'backref') return true
  return text.length === 1 && text !== '|'
}

export function quantifier(min: number, max: number): string {
  if (min === 0 && max === Infinity) return '*'
  if (min === 1 && max === Infinity) return '+'
  if (min === 0 && max === 1) return '?'
  if (max === Infinity) return `{${min},}`
  if (min === max) return `{${min}}`
  return `{${min},${max}}`
}

/**
 * `flags` is '' except for a pattern with a caseless backreference, which gets 'i': checks.ts
 * has then proved that `i` changes nothing else (README.md, "Caseless backreferences").
 */
export function emitJs(parsed: ParsedPattern): JsRegex {
  const out = new JsEmitter(parsed.groupCount).result(parsed.root)
  if (needsIgnoreCase(parsed.root)) out.flags = 'i'
  return out
}
