/**
 * Escapes (`\...`) outside classes: char and class escapes, assertions, backreferences, \Q...\E;
 * and the escapes that classes share (simpleEscape, readOctal; see parse-class.ts).
 */
import type { Assert, Node } from './ast'
import { ByteSet, SETS } from './byte-set'
import type { ParserCursor } from './parser-cursor'
import { isAlnum, isHex, isOctal } from './pattern-chars'

/** A class member: one byte or a set of bytes. */
export type ClassItem = { kind: 'byte'; b: number } | { kind: 'set'; set: ByteSet }

export function parseEscape(ps: ParserCursor): Node | null {
  const start = ps.pos
  ps.pos++ // backslash
  const c = ps.peek()
  if (c < 0) throw ps.err('\\', start, '\\ at end of pattern')
  // back references and octal
  if (c >= 0x31 && c <= 0x39) {
    const m = /^\d+/.exec(ps.p.slice(ps.pos, ps.pos + 10))
    const digits = m ? m[0] : ''
    const n = Number(digits)
    if (n < 10 || c === 0x38 || c === 0x39 || n <= ps.groupCount) {
      ps.pos += digits.length
      return ps.numberedBackref(n, start)
    }
    return ps.literal(readOctal(ps, 3, start), start)
  }
  if (c === 0x30 /* 0 */) {
    ps.pos++
    return ps.literal(readOctal(ps, 2, start), start)
  }
  const simple = simpleEscape(ps, c, start)
  if (simple !== null) {
    return simple.kind === 'byte' ? ps.literal(simple.b, start) : ps.classNode(simple.set, start)
  }
  ps.pos++
  switch (c) {
    case 0x62 /* b */:
      return assert('wordBoundary', start)
    case 0x42 /* B */:
      return assert('notWordBoundary', start)
    case 0x41 /* A */:
      return assert('subjectStart', start)
    case 0x7a /* z */:
      return assert('subjectEnd', start)
    case 0x5a /* Z */:
      return assert('endOrFinalNewline', start)
    case 0x47 /* G */:
      throw ps.err('\\G', start, '\\G (start of match position) is not supported')
    case 0x4b /* K */:
      throw ps.err('\\K', start, '\\K (reset match start) is not supported')
    case 0x52 /* R */:
      return newlineSequence(start)
    case 0x4e /* N */:
      if (ps.peek() === 0x7b) throw ps.err('\\N{name}', start, 'named characters are not supported')
      return { type: 'set', set: ByteSet.of(0x0a).negate(), pos: start }
    case 0x51 /* Q */: {
      const end = ps.p.indexOf('\\E', ps.pos)
      const stop = end < 0 ? ps.p.length : end
      const items: Node[] = []
      for (let k = ps.pos; k < stop; k++) items.push(ps.literal(ps.p.charCodeAt(k), k))
      ps.pos = end < 0 ? stop : stop + 2
      if (items.length === 0) return null
      // a quantifier after \Q...\E applies to the last literal only
      const last = items.pop() as Node
      if (items.length === 0) return last
      ps.pendingQuoted = items
      return last
    }
    case 0x45 /* E */:
      return null
    case 0x67 /* g */:
      return gReference(ps, start)
    case 0x6b /* k */: {
      const open = ps.peek()
      const close = open === 0x3c ? 0x3e : open === 0x27 ? 0x27 : open === 0x7b ? 0x7d : -1
      if (close < 0) throw ps.err('\\k', start, "\\k is not followed by a name in <>, '' or {}")
      ps.pos++
      return ps.namedBackref(ps.readName(close, '\\k'), start)
    }
    case 0x70 /* p */:
    case 0x50 /* P */:
    case 0x58 /* X */:
      throw ps.err(
        `\\${String.fromCharCode(c)}`,
        start,
        'Unicode properties are not supported (non-UTF patterns)',
      )
    case 0x43 /* C */:
      throw ps.err('\\C', start, '\\C is not supported')
    default:
      throw ps.err(`\\${String.fromCharCode(c)}`, start, 'unrecognized escape sequence')
  }
}

function assert(kind: Assert['kind'], pos: number): Node {
  return { type: 'assert', kind, pos }
}

/** \R: (?>\r\n|\n|\x0b|\f|\r|\x85), written without an atomic group: \r\n | \r(?!\n) | [\n\x0b\f\x85]. */
function newlineSequence(pos: number): Node {
  const lit = (b: number): Node => ({ type: 'set', set: ByteSet.of(b), pos })
  return {
    type: 'group',
    kind: 'noncap',
    pos,
    body: {
      type: 'alt',
      pos,
      alts: [
        { type: 'seq', pos, items: [lit(0x0d), lit(0x0a)] },
        {
          type: 'seq',
          pos,
          items: [lit(0x0d), { type: 'look', behind: false, negate: true, body: lit(0x0a), pos }],
        },
        { type: 'set', set: ByteSet.of(0x0a, 0x0b, 0x0c, 0x85), pos },
      ],
    },
  }
}

function gReference(ps: ParserCursor, start: number): Node {
  let text: string
  const c = ps.peek()
  if (c === 0x7b /* { */) {
    const close = ps.p.indexOf('}', ps.pos)
    if (close < 0) throw ps.err('\\g', start, 'missing } after \\g{')
    text = ps.p.slice(ps.pos + 1, close)
    ps.pos = close + 1
  } else if (c === 0x3c || c === 0x27) {
    throw ps.err('\\g<...>', start, 'subroutine calls are not supported')
  } else {
    const m = /^[+-]?\d+/.exec(ps.p.slice(ps.pos, ps.pos + 10))
    if (!m) throw ps.err('\\g', start, 'a numbered reference must follow \\g')
    text = m[0]
    ps.pos += m[0].length
  }
  if (/^-\d+$/.test(text)) {
    const n = ps.groupCount + 1 + Number(text)
    if (n <= 0) throw ps.err('\\g', start, 'reference to non-existent group')
    return ps.numberedBackref(n, start)
  }
  if (/^\+/.test(text)) throw ps.err('\\g', start, 'forward relative references are not supported')
  if (/^\d+$/.test(text)) return ps.numberedBackref(Number(text), start)
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(text)) throw ps.err('\\g', start, 'syntax error in group name')
  return ps.namedBackref(text, start)
}

export function readOctal(ps: ParserCursor, maxDigits: number, start: number): number {
  let v = 0
  let k = 0
  while (k < maxDigits && isOctal(ps.peek())) {
    v = v * 8 + (ps.peek() - 0x30)
    ps.pos++
    k++
  }
  if (v > 0xff) throw ps.err('octal escape', start, 'octal value is greater than \\377 in 8-bit non-UTF mode')
  return v
}

/**
 * Escapes with the same meaning in and out of classes: char escapes and class escapes. Returns
 * null (without consuming) for the others. `c` is the char after the backslash (at ps.pos).
 */
export function simpleEscape(ps: ParserCursor, c: number, start: number): ClassItem | null {
  const byte = (b: number): ClassItem => {
    ps.pos++
    return { kind: 'byte', b }
  }
  const set = (s: ByteSet): ClassItem => {
    ps.pos++
    return { kind: 'set', set: s }
  }
  switch (c) {
    case 0x61 /* a */:
      return byte(0x07)
    case 0x65 /* e */:
      return byte(0x1b)
    case 0x66 /* f */:
      return byte(0x0c)
    case 0x6e /* n */:
      return byte(0x0a)
    case 0x72 /* r */:
      return byte(0x0d)
    case 0x74 /* t */:
      return byte(0x09)
    case 0x64 /* d */:
      return set(SETS.digit())
    case 0x44 /* D */:
      return set(SETS.digit().negate())
    case 0x73 /* s */:
      return set(SETS.space())
    case 0x53 /* S */:
      return set(SETS.space().negate())
    case 0x77 /* w */:
      return set(SETS.word())
    case 0x57 /* W */:
      return set(SETS.word().negate())
    case 0x68 /* h */:
      return set(SETS.hspace())
    case 0x48 /* H */:
      return set(SETS.hspace().negate())
    case 0x76 /* v */:
      return set(SETS.vspace())
    case 0x56 /* V */:
      return set(SETS.vspace().negate())
    case 0x78 /* x */: {
      ps.pos++
      if (ps.peek() === 0x7b /* { */) {
        const close = ps.p.indexOf('}', ps.pos)
        const hex = close < 0 ? '' : ps.p.slice(ps.pos + 1, close)
        if (!/^[0-9A-Fa-f]+$/.test(hex)) throw ps.err('\\x{', start, 'malformed \\x{...} escape')
        const v = parseInt(hex, 16)
        if (v > 0xff)
          throw ps.err('\\x{', start, 'character code point value in \\x{} is too large in non-UTF mode')
        ps.pos = close + 1
        return { kind: 'byte', b: v }
      }
      let v = 0
      for (let k = 0; k < 2 && isHex(ps.peek()); k++) {
        v = v * 16 + parseInt(String.fromCharCode(ps.peek()), 16)
        ps.pos++
      }
      return { kind: 'byte', b: v }
    }
    case 0x6f /* o */: {
      ps.pos++
      const close = ps.p.indexOf('}', ps.pos)
      const oct = ps.peek() === 0x7b && close > 0 ? ps.p.slice(ps.pos + 1, close) : ''
      if (!/^[0-7]+$/.test(oct)) throw ps.err('\\o{', start, 'malformed \\o{...} escape')
      const v = parseInt(oct, 8)
      if (v > 0xff) throw ps.err('\\o{', start, 'octal value is greater than \\377 in 8-bit non-UTF mode')
      ps.pos = close + 1
      return { kind: 'byte', b: v }
    }
    case 0x63 /* c */: {
      ps.pos++
      const x = ps.peek()
      if (x < 0x20 || x > 0x7e)
        throw ps.err('\\c', start, '\\c must be followed by a printable ASCII character')
      ps.pos++
      const up = x >= 0x61 && x <= 0x7a ? x - 0x20 : x
      return { kind: 'byte', b: up ^ 0x40 }
    }
    default:
      if (!isAlnum(c)) return byte(c) // identity escape of a non-alphanumeric byte
      return null
  }
}
