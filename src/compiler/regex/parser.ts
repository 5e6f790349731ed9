import type { Assert, Node, ParsedPattern } from './ast'
import { ByteSet, POSIX_CLASSES, SETS } from './byte-set'
import { RegexTranslateError } from './errors'

/**
 * PCRE2 (10.42, 8-bit, non-UTF, default "C" tables) pattern -> AST, with the options ModSecurity
 * compiles @rx patterns with:
 *   v2 (mod_security2): DOTALL | DOLLAR_ENDONLY
 *   v3 (libmodsecurity 3, Coraza): DOTALL | MULTILINE
 * Newline convention LF. Inline options (?imnsxU) and (?^) are applied while parsing, so the AST
 * is flag-free (see ast.ts). Everything the emitters could not reproduce exactly is rejected
 * here with a RegexTranslateError (offset + construct).
 */
export type Mode = 'v2' | 'v3'

interface Flags {
  i: boolean
  m: boolean
  s: boolean
  x: boolean
  xx: boolean
  n: boolean
  U: boolean
}

const MAX_REPEAT = 65535

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39
const isOctal = (c: number): boolean => c >= 0x30 && c <= 0x37
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
const isAlnum = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
const isNameChar = (c: number): boolean => isAlnum(c) || c === 0x5f
/** Pattern white space in extended mode (non-UTF): HT LF VT FF CR space. */
const isPatternSpace = (c: number): boolean => (c >= 0x09 && c <= 0x0d) || c === 0x20

type ClassItem = { kind: 'byte'; b: number } | { kind: 'set'; set: ByteSet }

export class Parser {
  private pos = 0
  private flags: Flags
  private groupCount = 0
  private readonly names = new Map<string, number>()
  private readonly pendingNamedRefs: { name: string; node: { group: number }; pos: number }[] = []
  private readonly dollarEndOnly: boolean

  constructor(
    private readonly p: string,
    mode: Mode,
    caseless = false,
  ) {
    this.flags = { i: caseless, m: mode === 'v3', s: true, x: false, xx: false, n: false, U: false }
    this.dollarEndOnly = mode === 'v2'
  }

  parse(): ParsedPattern {
    for (let k = 0; k < this.p.length; k++) {
      if (this.p.charCodeAt(k) > 0xff)
        throw this.err('non-byte character', k, 'the pattern must be a binary string')
    }
    const root = this.parseAlternation()
    if (this.pos < this.p.length) throw this.err(')', this.pos, 'unmatched closing parenthesis')
    for (const r of this.pendingNamedRefs) {
      const g = this.names.get(r.name)
      if (g === undefined)
        throw this.err('backreference', r.pos, `reference to non-existent group name "${r.name}"`)
      r.node.group = g
    }
    return { root, groupCount: this.groupCount, names: this.names }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private err(construct: string, offset: number, reason: string): RegexTranslateError {
    return new RegexTranslateError(construct, offset, reason)
  }

  private peek(k = 0): number {
    const at = this.pos + k
    return at < this.p.length ? this.p.charCodeAt(at) : -1
  }

  /** Skip white space and # comments in extended mode (outside classes). */
  private skipExtended(): void {
    if (!this.flags.x) return
    for (;;) {
      const c = this.peek()
      if (c >= 0 && isPatternSpace(c)) {
        this.pos++
        continue
      }
      if (c === 0x23 /* # */) {
        while (this.pos < this.p.length && this.peek() !== 0x0a) this.pos++
        continue
      }
      return
    }
  }

  private literal(b: number, pos: number): Node {
    const set = ByteSet.of(b)
    if (this.flags.i) set.foldAscii()
    return { type: 'set', set, pos }
  }

  private classNode(set: ByteSet, pos: number): Node {
    if (this.flags.i) set.foldAscii()
    return { type: 'set', set, pos }
  }

  // ---- structure -----------------------------------------------------------------------------

  private parseAlternation(): Node {
    const start = this.pos
    const alts: Node[] = [this.parseSequence()]
    while (this.peek() === 0x7c /* | */) {
      this.pos++
      alts.push(this.parseSequence())
    }
    return alts.length === 1 ? (alts[0] as Node) : { type: 'alt', alts, pos: start }
  }

  private parseSequence(): Node {
    const start = this.pos
    const items: Node[] = []
    for (;;) {
      this.skipExtended()
      const c = this.peek()
      if (c < 0 || c === 0x7c || c === 0x29) break
      const atomPos = this.pos
      const atom = this.parseAtom()
      const quoted = this.takeQuoted()
      if (quoted !== null) for (const q of quoted) items.push(q)
      if (atom === null) {
        // option setting, comment, \E, \Q\E: nothing to repeat
        this.skipExtended()
        if (this.isQuantifierStart())
          throw this.err('quantifier', this.pos, 'quantifier does not follow a repeatable item')
        continue
      }
      items.push(this.parseQuantifiers(atom, atomPos))
    }
    if (items.length === 0) return { type: 'empty', pos: start }
    return items.length === 1 ? (items[0] as Node) : { type: 'seq', items, pos: start }
  }

  private isQuantifierStart(): boolean {
    const c = this.peek()
    if (c === 0x2a || c === 0x2b || c === 0x3f) return true
    return c === 0x7b && this.readBraces(false) !== null
  }

  /** `{n}`, `{n,}`, `{n,m}` at pos (PCRE2 10.42: anything else, including `{,m}`, is literal text). */
  private readBraces(consume: boolean): { min: number; max: number } | null {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.p.slice(this.pos, this.pos + 16))
    if (!m) return null
    const min = Number(m[1])
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3])
    if (consume) {
      if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) {
        throw this.err('quantifier', this.pos, 'number too big in {} quantifier')
      }
      if (max < min) throw this.err('quantifier', this.pos, 'numbers out of order in {} quantifier')
      this.pos += m[0].length
    }
    return { min, max }
  }

  private parseQuantifiers(atom: Node, atomPos: number): Node {
    let node = atom
    let quantified = false
    for (;;) {
      this.skipExtended()
      const qpos = this.pos
      const c = this.peek()
      let min: number
      let max: number
      if (c === 0x2a) {
        min = 0
        max = Infinity
        this.pos++
      } else if (c === 0x2b) {
        min = 1
        max = Infinity
        this.pos++
      } else if (c === 0x3f) {
        min = 0
        max = 1
        this.pos++
      } else if (c === 0x7b && this.readBraces(false) !== null) {
        const b = this.readBraces(true)
        if (b === null) break
        min = b.min
        max = b.max
      } else break
      if (quantified) throw this.err('quantifier', qpos, 'quantifier does not follow a repeatable item')
      quantified = true
      let greedy = !this.flags.U
      let possessive = false
      if (this.peek() === 0x3f) {
        this.pos++
        greedy = !greedy
      } else if (this.peek() === 0x2b) {
        this.pos++
        possessive = true
        greedy = true
      }
      if (node.type === 'assert')
        throw this.err('quantifier', qpos, 'quantifier does not follow a repeatable item')
      if (node.type === 'look') {
        // PCRE2: a quantified assertion is treated as if it were {0} (ignored) or {1}
        node = min === 0 ? { type: 'empty', pos: atomPos } : node
        continue
      }
      const rep: Node = { type: 'repeat', min, max, greedy, body: node, pos: atomPos }
      node = possessive ? { type: 'group', kind: 'atomic', body: rep, pos: atomPos } : rep
    }
    return node
  }

  // ---- atoms ---------------------------------------------------------------------------------

  private parseAtom(): Node | null {
    const start = this.pos
    const c = this.peek()
    switch (c) {
      case 0x28 /* ( */:
        return this.parseGroup()
      case 0x5b /* [ */:
        return this.parseClass()
      case 0x2e /* . */:
        this.pos++
        return { type: 'set', set: this.flags.s ? ByteSet.all() : ByteSet.of(0x0a).negate(), pos: start }
      case 0x5e /* ^ */:
        this.pos++
        return { type: 'assert', kind: this.flags.m ? 'lineStart' : 'subjectStart', pos: start }
      case 0x24 /* $ */:
        this.pos++
        return {
          type: 'assert',
          kind: this.flags.m ? 'lineEnd' : this.dollarEndOnly ? 'subjectEnd' : 'endOrFinalNewline',
          pos: start,
        }
      case 0x5c /* \ */:
        return this.parseEscape()
      case 0x2a:
      case 0x2b:
      case 0x3f:
        throw this.err('quantifier', start, 'quantifier does not follow a repeatable item')
      case 0x7b /* { */:
        if (this.readBraces(false) !== null)
          throw this.err('quantifier', start, 'quantifier does not follow a repeatable item')
        this.pos++
        return this.literal(c, start)
      default:
        this.pos++
        return this.literal(c, start)
    }
  }

  private readName(terminator: number, construct: string): string {
    const start = this.pos
    while (isNameChar(this.peek())) this.pos++
    const name = this.p.slice(start, this.pos)
    if (name === '' || isDigit(name.charCodeAt(0))) throw this.err(construct, start, 'group name expected')
    if (this.peek() !== terminator) throw this.err(construct, this.pos, 'syntax error in group name')
    this.pos++
    return name
  }

  private parseGroup(): Node | null {
    const start = this.pos
    this.pos++ // (
    if (this.peek() === 0x2a /* * */) {
      throw this.err('(*VERB)', start, 'backtracking control verbs and (*...) assertions are not supported')
    }
    const saved = { ...this.flags }
    let node: Node
    if (this.peek() !== 0x3f /* ? */) {
      node = this.flags.n ? this.groupBody('noncap', start) : this.captureGroup(start, undefined)
    } else {
      this.pos++ // ?
      const c = this.peek()
      if (c === 0x23 /* # */) {
        const close = this.p.indexOf(')', this.pos)
        if (close < 0) throw this.err('(?#', start, 'missing ) after comment')
        this.pos = close + 1
        return null
      } else if (c === 0x3a /* : */) {
        this.pos++
        node = this.groupBody('noncap', start)
      } else if (c === 0x3e /* > */) {
        this.pos++
        node = this.groupBody('atomic', start)
      } else if (c === 0x3d /* = */ || c === 0x21 /* ! */) {
        this.pos++
        node = this.look(false, c === 0x21, start)
      } else if (c === 0x3c /* < */ && (this.peek(1) === 0x3d || this.peek(1) === 0x21)) {
        const neg = this.peek(1) === 0x21
        this.pos += 2
        node = this.look(true, neg, start)
      } else if (c === 0x3c /* < */ || c === 0x27 /* ' */) {
        this.pos++
        node = this.captureGroup(start, this.readName(c === 0x3c ? 0x3e : 0x27, 'named group'))
      } else if (c === 0x50 /* P */) {
        const d = this.peek(1)
        if (d === 0x3c) {
          this.pos += 2
          node = this.captureGroup(start, this.readName(0x3e, 'named group'))
        } else if (d === 0x3d /* = */) {
          this.pos += 2
          const name = this.readName(0x29, '(?P=name)')
          return this.namedBackref(name, start)
        } else throw this.err('(?P>name)', start, 'subroutine calls are not supported')
      } else if (c === 0x7c /* | */) {
        throw this.err('(?|', start, 'branch reset groups are not supported')
      } else if (c === 0x28 /* ( */) {
        throw this.err('conditional group', start, 'conditional groups are not supported')
      } else if (c === 0x52 /* R */ || isDigit(c) || c === 0x2b || c === 0x26 /* & */) {
        throw this.err('recursion', start, 'recursion and subroutine calls are not supported')
      } else if (c === 0x43 /* C */) {
        throw this.err('callout', start, 'callouts are not supported')
      } else if (c === 0x2d && isDigit(this.peek(1))) {
        throw this.err('recursion', start, 'recursion and subroutine calls are not supported')
      } else {
        // option setting: (?flags) or (?flags:...)
        const scoped = this.parseOptions(start)
        if (!scoped) return null // (?i): applies to the rest of the enclosing group; not restored here
        node = this.groupBody('noncap', start)
      }
    }
    this.flags = saved
    return node
  }

  /** Reads option letters after `(?`; returns true for `(?flags:` and false for `(?flags)`. */
  private parseOptions(start: number): boolean {
    let on = true
    let sawCaret = false
    if (this.peek() === 0x5e /* ^ */) {
      this.pos++
      sawCaret = true
      Object.assign(this.flags, { i: false, m: false, n: false, s: false, x: false, xx: false })
    }
    for (;;) {
      const c = this.peek()
      const at = this.pos
      if (c === 0x29 /* ) */) {
        this.pos++
        return false
      }
      if (c === 0x3a /* : */) {
        this.pos++
        return true
      }
      this.pos++
      switch (c) {
        case 0x2d /* - */:
          if (!on || sawCaret) throw this.err('inline option', at, 'invalid option setting')
          on = false
          break
        case 0x69 /* i */:
          this.flags.i = on
          break
        case 0x6d /* m */:
          this.flags.m = on
          break
        case 0x73 /* s */:
          this.flags.s = on
          break
        case 0x6e /* n */:
          this.flags.n = on
          break
        case 0x55 /* U */:
          this.flags.U = on
          break
        case 0x78 /* x */:
          if (this.peek() === 0x78) {
            this.pos++
            this.flags.xx = on
          } else if (!on) this.flags.xx = false
          this.flags.x = on
          break
        case 0x4a /* J */:
          throw this.err('(?J)', at, 'duplicate group names are not supported')
        default:
          throw this.err(
            'inline option',
            at,
            `unrecognized option or group syntax "(?${this.p.slice(start + 2, at + 1)}"`,
          )
      }
    }
  }

  private groupBody(kind: 'noncap' | 'atomic', start: number): Node {
    const body = this.parseAlternation()
    this.expectClose(start)
    return { type: 'group', kind, body, pos: start }
  }

  private captureGroup(start: number, name: string | undefined): Node {
    const index = ++this.groupCount
    if (name !== undefined) {
      if (this.names.has(name))
        throw this.err('named group', start, `two named groups have the same name "${name}"`)
      this.names.set(name, index)
    }
    const body = this.parseAlternation()
    this.expectClose(start)
    return name === undefined
      ? { type: 'group', kind: 'capture', index, body, pos: start }
      : { type: 'group', kind: 'capture', index, name, body, pos: start }
  }

  private look(behind: boolean, negate: boolean, start: number): Node {
    const body = this.parseAlternation()
    this.expectClose(start)
    if (behind) {
      const alts = body.type === 'alt' ? body.alts : [body]
      for (const a of alts) {
        if (fixedLength(a) === null) {
          // PCRE2 accepts a backreference to a fixed-length group here; we do not (fixedLength)
          throw this.err(
            'lookbehind',
            start,
            hasBackref(a)
              ? 'backreferences inside lookbehinds are not supported'
              : 'lookbehind assertion is not fixed length',
          )
        }
      }
    }
    return { type: 'look', behind, negate, body, pos: start }
  }

  private expectClose(start: number): void {
    if (this.peek() !== 0x29) throw this.err('(', start, 'missing closing parenthesis')
    this.pos++
  }

  // A backreference under (?i) is kept with `caseless`; checks.ts accepts it only where the JS `i`
  // flag provably gives PCRE's result (README.md, "Caseless backreferences").
  private namedBackref(name: string, start: number): Node {
    const node = { type: 'backref' as const, group: 0, caseless: this.flags.i, pos: start }
    this.pendingNamedRefs.push({ name, node, pos: start })
    return node
  }

  private numberedBackref(n: number, start: number): Node {
    if (n === 0) throw this.err('backreference', start, 'a numbered reference must not be zero')
    // existence is checked once the whole pattern is parsed (forward references are legal)
    return { type: 'backref', group: n, caseless: this.flags.i, pos: start }
  }

  // ---- escapes -------------------------------------------------------------------------------

  private parseEscape(): Node | null {
    const start = this.pos
    this.pos++ // backslash
    const c = this.peek()
    if (c < 0) throw this.err('\\', start, '\\ at end of pattern')
    // back references and octal
    if (c >= 0x31 && c <= 0x39) {
      const m = /^\d+/.exec(this.p.slice(this.pos, this.pos + 10))
      const digits = m ? m[0] : ''
      const n = Number(digits)
      if (n < 10 || c === 0x38 || c === 0x39 || n <= this.groupCount) {
        this.pos += digits.length
        return this.numberedBackref(n, start)
      }
      return this.literal(this.readOctal(3, start), start)
    }
    if (c === 0x30 /* 0 */) {
      this.pos++
      return this.literal(this.readOctal(2, start), start)
    }
    const simple = this.simpleEscape(c, start)
    if (simple !== null) {
      return simple.kind === 'byte' ? this.literal(simple.b, start) : this.classNode(simple.set, start)
    }
    this.pos++
    switch (c) {
      case 0x62 /* b */:
        return this.assert('wordBoundary', start)
      case 0x42 /* B */:
        return this.assert('notWordBoundary', start)
      case 0x41 /* A */:
        return this.assert('subjectStart', start)
      case 0x7a /* z */:
        return this.assert('subjectEnd', start)
      case 0x5a /* Z */:
        return this.assert('endOrFinalNewline', start)
      case 0x47 /* G */:
        throw this.err('\\G', start, '\\G (start of match position) is not supported')
      case 0x4b /* K */:
        throw this.err('\\K', start, '\\K (reset match start) is not supported')
      case 0x52 /* R */:
        return this.newlineSequence(start)
      case 0x4e /* N */:
        if (this.peek() === 0x7b) throw this.err('\\N{name}', start, 'named characters are not supported')
        return { type: 'set', set: ByteSet.of(0x0a).negate(), pos: start }
      case 0x51 /* Q */: {
        const end = this.p.indexOf('\\E', this.pos)
        const stop = end < 0 ? this.p.length : end
        const items: Node[] = []
        for (let k = this.pos; k < stop; k++) items.push(this.literal(this.p.charCodeAt(k), k))
        this.pos = end < 0 ? stop : stop + 2
        if (items.length === 0) return null
        // a quantifier after \Q...\E applies to the last literal only
        const last = items.pop() as Node
        if (items.length === 0) return last
        this.pendingQuoted = items
        return last
      }
      case 0x45 /* E */:
        return null
      case 0x67 /* g */:
        return this.gReference(start)
      case 0x6b /* k */: {
        const open = this.peek()
        const close = open === 0x3c ? 0x3e : open === 0x27 ? 0x27 : open === 0x7b ? 0x7d : -1
        if (close < 0) throw this.err('\\k', start, "\\k is not followed by a name in <>, '' or {}")
        this.pos++
        return this.namedBackref(this.readName(close, '\\k'), start)
      }
      case 0x70 /* p */:
      case 0x50 /* P */:
      case 0x58 /* X */:
        throw this.err(
          `\\${String.fromCharCode(c)}`,
          start,
          'Unicode properties are not supported (non-UTF patterns)',
        )
      case 0x43 /* C */:
        throw this.err('\\C', start, '\\C is not supported')
      default:
        throw this.err(`\\${String.fromCharCode(c)}`, start, 'unrecognized escape sequence')
    }
  }

  /**
   * Items that precede the atom parseAtom() returns, so that a following quantifier binds to the
   * atom only: the literals of a \Q...\E run but its last, and the `\b` of `[[:<:]]`/`[[:>:]]`.
   */
  private pendingQuoted: Node[] | null = null

  private assert(kind: Assert['kind'], pos: number): Node {
    return { type: 'assert', kind, pos }
  }

  /** \R: (?>\r\n|\n|\x0b|\f|\r|\x85), written without an atomic group: \r\n | \r(?!\n) | [\n\x0b\f\x85]. */
  private newlineSequence(pos: number): Node {
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

  private gReference(start: number): Node {
    let text: string
    const c = this.peek()
    if (c === 0x7b /* { */) {
      const close = this.p.indexOf('}', this.pos)
      if (close < 0) throw this.err('\\g', start, 'missing } after \\g{')
      text = this.p.slice(this.pos + 1, close)
      this.pos = close + 1
    } else if (c === 0x3c || c === 0x27) {
      throw this.err('\\g<...>', start, 'subroutine calls are not supported')
    } else {
      const m = /^[+-]?\d+/.exec(this.p.slice(this.pos, this.pos + 10))
      if (!m) throw this.err('\\g', start, 'a numbered reference must follow \\g')
      text = m[0]
      this.pos += m[0].length
    }
    if (/^-\d+$/.test(text)) {
      const n = this.groupCount + 1 + Number(text)
      if (n <= 0) throw this.err('\\g', start, 'reference to non-existent group')
      return this.numberedBackref(n, start)
    }
    if (/^\+/.test(text)) throw this.err('\\g', start, 'forward relative references are not supported')
    if (/^\d+$/.test(text)) return this.numberedBackref(Number(text), start)
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(text)) throw this.err('\\g', start, 'syntax error in group name')
    return this.namedBackref(text, start)
  }

  private readOctal(maxDigits: number, start: number): number {
    let v = 0
    let k = 0
    while (k < maxDigits && isOctal(this.peek())) {
      v = v * 8 + (this.peek() - 0x30)
      this.pos++
      k++
    }
    if (v > 0xff)
      throw this.err('octal escape', start, 'octal value is greater than \\377 in 8-bit non-UTF mode')
    return v
  }

  /**
   * Escapes with the same meaning in and out of classes: char escapes and class escapes. Returns
   * null (without consuming) for the others. `c` is the char after the backslash (at this.pos).
   */
  private simpleEscape(c: number, start: number): ClassItem | null {
    const byte = (b: number): ClassItem => {
      this.pos++
      return { kind: 'byte', b }
    }
    const set = (s: ByteSet): ClassItem => {
      this.pos++
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
        this.pos++
        if (this.peek() === 0x7b /* { */) {
          const close = this.p.indexOf('}', this.pos)
          const hex = close < 0 ? '' : this.p.slice(this.pos + 1, close)
          if (!/^[0-9A-Fa-f]+$/.test(hex)) throw this.err('\\x{', start, 'malformed \\x{...} escape')
          const v = parseInt(hex, 16)
          if (v > 0xff)
            throw this.err('\\x{', start, 'character code point value in \\x{} is too large in non-UTF mode')
          this.pos = close + 1
          return { kind: 'byte', b: v }
        }
        let v = 0
        for (let k = 0; k < 2 && isHex(this.peek()); k++) {
          v = v * 16 + parseInt(String.fromCharCode(this.peek()), 16)
          this.pos++
        }
        return { kind: 'byte', b: v }
      }
      case 0x6f /* o */: {
        this.pos++
        const close = this.p.indexOf('}', this.pos)
        const oct = this.peek() === 0x7b && close > 0 ? this.p.slice(this.pos + 1, close) : ''
        if (!/^[0-7]+$/.test(oct)) throw this.err('\\o{', start, 'malformed \\o{...} escape')
        const v = parseInt(oct, 8)
        if (v > 0xff) throw this.err('\\o{', start, 'octal value is greater than \\377 in 8-bit non-UTF mode')
        this.pos = close + 1
        return { kind: 'byte', b: v }
      }
      case 0x63 /* c */: {
        this.pos++
        const x = this.peek()
        if (x < 0x20 || x > 0x7e)
          throw this.err('\\c', start, '\\c must be followed by a printable ASCII character')
        this.pos++
        const up = x >= 0x61 && x <= 0x7a ? x - 0x20 : x
        return { kind: 'byte', b: up ^ 0x40 }
      }
      default:
        if (!isAlnum(c)) return byte(c) // identity escape of a non-alphanumeric byte
        return null
    }
  }

  // ---- classes -------------------------------------------------------------------------------

  /**
   * PCRE2's check_posix_syntax: `at` is the index of the `:`, `.` or `=` after a `[`. Returns the
   * index of the matching terminator (the same char followed by `]`), or -1 when a `]`, or a `[`
   * followed by the same char, comes first (then the `[` is an ordinary char). `\]` and `\\` are
   * skipped; nothing else is unescaped.
   */
  private posixEnd(at: number): number {
    const term = this.p.charCodeAt(at)
    for (let k = at + 1; this.p.length - k >= 2; k++) {
      const c = this.p.charCodeAt(k)
      const d = this.p.charCodeAt(k + 1)
      if (c === 0x5c && (d === 0x5d || d === 0x5c)) k++
      else if ((c === 0x5b && d === term) || c === 0x5d) return -1
      else if (c === term && d === 0x5d) return k
    }
    return -1
  }

  /** True when a `[` at `at` opens a POSIX construct (`[:...:]`, `[. ... .]`, `[=...=]`), as PCRE2 decides it. */
  private isPosixStart(at: number): boolean {
    const t = at + 1 < this.p.length ? this.p.charCodeAt(at + 1) : -1
    return (t === 0x3a || t === 0x2e || t === 0x3d) && this.posixEnd(at + 1) >= 0
  }

  /**
   * A character class, parsed the way PCRE2 10.42's parse_regex does it: `[[:<:]]`/`[[:>:]]`
   * first, then the POSIX-at-top-level error, then a prefix where `\E`, `\Q\E`, (?xx) blanks and
   * one `^` are skipped (so `]` right after them is still a literal), then the members: `\Q...\E`
   * literals (which may start or end ranges), POSIX classes (only where posixEnd() finds the
   * terminator; otherwise `[` is literal), ranges, escapes.
   */
  private parseClass(): Node {
    const start = this.pos
    // [[:<:]] = \b(?=\w), [[:>:]] = \b(?<=\w) (PCRE2's Spencer-style word boundaries)
    const six = this.p.slice(start + 1, start + 7)
    if (six === '[:<:]]' || six === '[:>:]]') {
      this.pos += 7
      this.pendingQuoted = [{ type: 'assert', kind: 'wordBoundary', pos: start }]
      const body: Node = { type: 'set', set: SETS.word(), pos: start }
      return { type: 'look', behind: six === '[:>:]]', negate: false, body, pos: start }
    }
    if (this.isPosixStart(start)) {
      if (this.peek(1) === 0x3a)
        throw this.err('POSIX class', start, 'POSIX named classes are supported only within a class')
      throw this.err('POSIX collating element', start, 'POSIX collating elements are not supported')
    }
    this.pos++ // [
    let negate = false
    for (;;) {
      const c = this.peek()
      if (c === 0x5c && this.peek(1) === 0x45 /* \E */) this.pos += 2
      else if (c === 0x5c && this.p.startsWith('Q\\E', this.pos + 1)) this.pos += 4
      else if (this.flags.xx && (c === 0x20 || c === 0x09)) this.pos++
      else if (!negate && c === 0x5e /* ^ */) {
        negate = true
        this.pos++
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
    const missing = (): RegexTranslateError =>
      this.err('[', start, 'missing terminating ] for character class')
    const char = (b: number, at: number): void => {
      if (st.range === 'started') {
        if (b < st.lo) throw this.err('[', st.loPos, 'range out of order in character class')
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
      if (st.range === 'started') throw this.err('[', st.loPos, 'invalid range in character class')
      set.addSet(s)
      st.range = 'no'
      if (this.peek() === 0x2d && this.peek(1) >= 0 && this.peek(1) !== 0x5d)
        throw this.err('[', at, 'invalid range in character class')
    }
    for (let first = true; ; first = false) {
      const c = this.peek()
      if (c < 0) throw missing()
      if (!first && c === 0x5d && !inQuote) {
        this.pos++
        break
      }
      const at = this.pos
      if (inQuote) {
        if (c === 0x5c && this.peek(1) === 0x45) {
          inQuote = false
          this.pos += 2
        } else {
          this.pos++
          char(c, at)
        }
        continue
      }
      if (this.flags.xx && (c === 0x20 || c === 0x09)) {
        this.pos++
        continue
      }
      if (c === 0x5b && this.isPosixStart(at)) {
        if (st.range === 'started') throw this.err('[', st.loPos, 'invalid range in character class')
        if (this.peek(1) !== 0x3a)
          throw this.err('POSIX collating element', at, 'POSIX collating elements are not supported')
        const end = this.posixEnd(at + 1)
        let nameStart = at + 2
        const neg = this.p.charCodeAt(nameStart) === 0x5e
        if (neg) nameStart++
        const name = this.p.slice(nameStart, end)
        const make = Object.prototype.hasOwnProperty.call(POSIX_CLASSES, name)
          ? POSIX_CLASSES[name]
          : undefined
        if (make === undefined) throw this.err('POSIX class', at, `unknown POSIX class name "${name}"`)
        this.pos = end + 2
        member(neg ? make().negate() : make(), at)
        continue
      }
      if (c === 0x2d && st.range === 'ok') {
        this.pos++
        st.range = 'started'
        continue
      }
      if (c !== 0x5c) {
        this.pos++
        char(c, at)
        continue
      }
      const d = this.peek(1)
      if (d === 0x51 /* Q */ || d === 0x45 /* E */) {
        inQuote = d === 0x51
        this.pos += 2
        continue
      }
      const item = this.classEscape(start)
      if (item.kind === 'byte') char(item.b, at)
      else member(item.set, at)
    }
    if (st.range === 'started') set.add(0x2d) // `a-]`: the hyphen is a literal
    if (this.flags.i) set.foldAscii()
    return { type: 'set', set: negate ? set.negate() : set, pos: start }
  }

  /** An escape inside a class (at the backslash): a byte or a set. */
  private classEscape(classStart: number): ClassItem {
    const start = this.pos
    this.pos++ // backslash
    const d = this.peek()
    if (d < 0) throw this.err('[', classStart, 'missing terminating ] for character class')
    if (d === 0x62 /* b */) {
      this.pos++
      return { kind: 'byte', b: 0x08 }
    }
    if (isOctal(d)) return { kind: 'byte', b: this.readOctal(3, start) }
    const simple = this.simpleEscape(d, start)
    if (simple !== null) return simple
    throw this.err(`\\${String.fromCharCode(d)}`, start, 'escape sequence is invalid in character class')
  }

  /** Consumes queued \Q...\E literals (see parseEscape). */
  takeQuoted(): Node[] | null {
    const q = this.pendingQuoted
    this.pendingQuoted = null
    return q
  }
}

/** Length in bytes of every match of `n`, or null when it can vary (PCRE's fixed-length lookbehind rule). */
export function fixedLength(n: Node): number | null {
  switch (n.type) {
    case 'empty':
    case 'assert':
    case 'look':
      return 0
    case 'set':
      return 1
    case 'backref':
      return null
    case 'group':
      return fixedLength(n.body)
    case 'seq': {
      let sum = 0
      for (const it of n.items) {
        const l = fixedLength(it)
        if (l === null) return null
        sum += l
      }
      return sum
    }
    case 'alt': {
      let len: number | null = null
      for (const a of n.alts) {
        const l = fixedLength(a)
        if (l === null || (len !== null && l !== len)) return null
        len = l
      }
      return len ?? 0
    }
    case 'repeat': {
      if (n.min !== n.max) return null
      const l = fixedLength(n.body)
      return l === null ? null : l * n.min
    }
  }
}

function hasBackref(n: Node): boolean {
  switch (n.type) {
    case 'backref':
      return true
    case 'seq':
      return n.items.some(hasBackref)
    case 'alt':
      return n.alts.some(hasBackref)
    case 'group':
    case 'repeat':
      return hasBackref(n.body)
    default:
      return false
  }
}
