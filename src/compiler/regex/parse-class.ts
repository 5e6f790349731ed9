/** Character classes `[...]`, with PCRE2's rules for POSIX classes (`[:alpha:]`) inside and outside them. */
import type { Node } from './ast'
import { ByteSet, POSIX_CLASSES, SETS } from './byte-set'
import type { RegexTranslateError } from './errors'
import { readOctal, simpleEscape, type ClassItem } from './parse-escape'
import type { ParserCursor } from './parser-cursor'
import { isOctal } from './pattern-chars'

/**
 * PCRE2's check_posix_syntax: `at` is the index of the `:`, `.` or `=` after a `[`. Returns the
 * index of the matching terminator (the same char followed by `]`), or -1 when a `]`, or a `[`
 * followed by the same char, comes first (then the `[` is an ordinary char). `\]` and `\\` are
 * skipped; nothing else is unescaped.
 */
function posixEnd(ps: ParserCursor, at: number): number {
  const term = ps.p.charCodeAt(at)
  for (let k = at + 1; ps.p.length - k >= 2; k++) {
    const c = ps.p.charCodeAt(k)
    const d = ps.p.charCodeAt(k + 1)
    if (c === 0x5c && (d === 0x5d || d === 0x5c)) k++
    else if ((c === 0x5b && d === term) || c === 0x5d) return -1
    else if (c === term && d === 0x5d) return k
  }
  return -1
}

/** True when a `[` at `at` opens a POSIX construct (`[:...:]`, `[. ... .]`, `[=...=]`), as PCRE2 decides it. */
function isPosixStart(ps: ParserCursor, at: number): boolean {
  const t = at + 1 < ps.p.length ? ps.p.charCodeAt(at + 1) : -1
  return (t === 0x3a || t === 0x2e || t === 0x3d) && posixEnd(ps, at + 1) >= 0
}

/**
 * A character class, parsed the way PCRE2 10.42's parse_regex does it: `[[:<:]]`/`[[:>:]]`
 * first, then the POSIX-at-top-level error, then a prefix where `\E`, `\Q\E`, (?xx) blanks and
 * one `^` are skipped (so `]` right after them is still a literal), then the members: `\Q...\E`
 * literals (which may start or end ranges), POSIX classes (only where posixEnd() finds the
 * terminator; otherwise `[` is literal), ranges, escapes.
 */
export function parseClass(ps: ParserCursor): Node {
  const start = ps.pos
  // [[:<:]] = \b(?=\w), [[:>:]] = \b(?<=\w) (PCRE2's Spencer-style word boundaries)
  const six = ps.p.slice(start + 1, start + 7)
  if (six === '[:<:]]' || six === '[:>:]]') {
    ps.pos += 7
    ps.pendingQuoted = [{ type: 'assert', kind: 'wordBoundary', pos: start }]
    const body: Node = { type: 'set', set: SETS.word(), pos: start }
    return { type: 'look', behind: six === '[:>:]]', negate: false, body, pos: start }
  }
  if (isPosixStart(ps, start)) {
    if (ps.peek(1) === 0x3a)
      throw ps.err('POSIX class', start, 'POSIX named classes are supported only within a class')
    throw ps.err('POSIX collating element', start, 'POSIX collating elements are not supported')
  }
  ps.pos++ // [
  let negate = false
  for (;;) {
    const c = ps.peek()
    if (c === 0x5c && ps.peek(1) === 0x45 /* \E */) ps.pos += 2
    else if (c === 0x5c && ps.p.startsWith('Q\\E', ps.pos + 1)) ps.pos += 4
    else if (ps.flags.xx && (c === 0x20 || c === 0x09)) ps.pos++
    else if (!negate && c === 0x5e /* ^ */) {
      negate = true
      ps.pos++
    } else break
  }
  const set = new ByteSet()
  let inQuote = false
  // range: 'no': a `-` here is a literal; 'ok': the last member was the char `lo` (at `loPos`),
  // so a `-` starts a range; 'started': after `lo-`
  const st: { range: 'no' | 'ok' | 'started'; lo: number; loPos: number } = {
    range: 'no',
    lo: 0,
    loPos: start,
  }
  const missing = (): RegexTranslateError => ps.err('[', start, 'missing terminating ] for character class')
  const char = (b: number, at: number): void => {
    if (st.range === 'started') {
      if (b < st.lo) throw ps.err('[', st.loPos, 'range out of order in character class')
      set.addRange(st.lo, b)
      st.range = 'no'
      return
    }
    set.add(b)
    st.lo = b
    st.loPos = at
    st.range = 'ok'
  }
  const member = (s: ByteSet, at: number): void => {
    // a set never ends or starts a range; PCRE2 faults `-` after it unless `-]` (Perl warns)
    if (st.range === 'started') throw ps.err('[', st.loPos, 'invalid range in character class')
    set.addSet(s)
    st.range = 'no'
    if (ps.peek() === 0x2d && ps.peek(1) >= 0 && ps.peek(1) !== 0x5d)
      throw ps.err('[', at, 'invalid range in character class')
  }
  for (let first = true; ; first = false) {
    const c = ps.peek()
    if (c < 0) throw missing()
    if (!first && c === 0x5d && !inQuote) {
      ps.pos++
      break
    }
    const at = ps.pos
    if (inQuote) {
      if (c === 0x5c && ps.peek(1) === 0x45) {
        inQuote = false
        ps.pos += 2
      } else {
        ps.pos++
        char(c, at)
      }
      continue
    }
    if (ps.flags.xx && (c === 0x20 || c === 0x09)) {
      ps.pos++
      continue
    }
    if (c === 0x5b && isPosixStart(ps, at)) {
      if (st.range === 'started') throw ps.err('[', st.loPos, 'invalid range in character class')
      if (ps.peek(1) !== 0x3a)
        throw ps.err('POSIX collating element', at, 'POSIX collating elements are not supported')
      const end = posixEnd(ps, at + 1)
      let nameStart = at + 2
      const neg = ps.p.charCodeAt(nameStart) === 0x5e
      if (neg) nameStart++
      const name = ps.p.slice(nameStart, end)
      const make = Object.prototype.hasOwnProperty.call(POSIX_CLASSES, name) ? POSIX_CLASSES[name] : undefined
      if (make === undefined) throw ps.err('POSIX class', at, `unknown POSIX class name "${name}"`)
      ps.pos = end + 2
      member(neg ? make().negate() : make(), at)
      continue
    }
    if (c === 0x2d && st.range === 'ok') {
      ps.pos++
      st.range = 'started'
      continue
    }
    if (c !== 0x5c) {
      ps.pos++
      char(c, at)
      continue
    }
    const d = ps.peek(1)
    if (d === 0x51 /* Q */ || d === 0x45 /* E */) {
      inQuote = d === 0x51
      ps.pos += 2
      continue
    }
    const item = classEscape(ps, start)
    if (item.kind === 'byte') char(item.b, at)
    else member(item.set, at)
  }
  if (st.range === 'started') set.add(0x2d) // `a-]`: the hyphen is a literal
  if (ps.flags.i) set.foldAscii()
  return { type: 'set', set: negate ? set.negate() : set, pos: start }
}

/** An escape inside a class (at the backslash): a byte or a set. */
function classEscape(ps: ParserCursor, classStart: number): ClassItem {
  const start = ps.pos
  ps.pos++ // backslash
  const d = ps.peek()
  if (d < 0) throw ps.err('[', classStart, 'missing terminating ] for character class')
  if (d === 0x62 /* b */) {
    ps.pos++
    return { kind: 'byte', b: 0x08 }
  }
  if (isOctal(d)) return { kind: 'byte', b: readOctal(ps, 3, start) }
  const simple = simpleEscape(ps, d, start)
  if (simple !== null) return simple
  throw ps.err(`\\${String.fromCharCode(d)}`, start, 'escape sequence is invalid in character class')
}
