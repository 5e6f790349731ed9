import type { Node, ParsedPattern } from './ast'
import { ByteSet } from './byte-set'
import { RegexTranslateError } from './errors'
import { parseClass } from './parse-class'
import { parseEscape } from './parse-escape'
import { isQuantifierStart, parseQuantifiers, readBraces } from './parse-quantifier'
import type { Flags, ParserCursor } from './parser-cursor'
import { isDigit, isNameChar, isPatternSpace } from './pattern-chars'
import { fixedLength, hasBackref } from './regex-length'

/**
 * PCRE2 (10.42, 8-bit, non-UTF, default "C" tables) pattern -> AST, with the options ModSecurity
 * compiles @rx patterns with:
 *   v2 (mod_security2): DOTALL | DOLLAR_ENDONLY
 *   v3 (libmodsecurity 3, Coraza): DOTALL | MULTILINE
 * Newline convention LF. Inline options (?imnsxU) and (?^) are applied while parsing, so the AST
 * is flag-free (see ast.ts). Everything the emitters could not reproduce exactly is rejected
 * here with a RegexTranslateError (offset + construct).
 *
 * This file holds the recursive descent (alternation, sequence, atoms) and groups with their
 * options; escapes, classes and quantifiers are in parse-escape.ts, parse-class.ts and
 * parse-quantifier.ts, which work on the Parser through ParserCursor (parser-cursor.ts).
 */
export type Mode = 'v2' | 'v3'

export class Parser implements ParserCursor {
  // the public members are the ParserCursor (parser-cursor.ts) that the parse-*.ts helpers use
  pos = 0
  flags: Flags
  groupCount = 0
  private readonly names = new Map<string, number>()
  private readonly pendingNamedRefs: { name: string; node: { group: number }; pos: number }[] = []
  private readonly dollarEndOnly: boolean

  constructor(
    readonly p: string,
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

  err(construct: string, offset: number, reason: string): RegexTranslateError {
    return new RegexTranslateError(construct, offset, reason)
  }

  peek(k = 0): number {
    const at = this.pos + k
    return at < this.p.length ? this.p.charCodeAt(at) : -1
  }

  /** Skip white space and # comments in extended mode (outside classes). */
  skipExtended(): void {
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

  literal(b: number, pos: number): Node {
    const set = ByteSet.of(b)
    if (this.flags.i) set.foldAscii()
    return { type: 'set', set, pos }
  }

  classNode(set: ByteSet, pos: number): Node {
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
        if (isQuantifierStart(this))
          throw this.err('quantifier', this.pos, 'quantifier does not follow a repeatable item')
        continue
      }
      items.push(parseQuantifiers(this, atom, atomPos))
    }
    if (items.length === 0) return { type: 'empty', pos: start }
    return items.length === 1 ? (items[0] as Node) : { type: 'seq', items, pos: start }
  }

  // ---- atoms ---------------------------------------------------------------------------------

  private parseAtom(): Node | null {
    const start = this.pos
    const c = this.peek()
    switch (c) {
      case 0x28 /* ( */:
        return this.parseGroup()
      case 0x5b /* [ */:
        return parseClass(this)
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
        return parseEscape(this)
      case 0x2a:
      case 0x2b:
      case 0x3f:
        throw this.err('quantifier', start, 'quantifier does not follow a repeatable item')
      case 0x7b /* { */:
        if (readBraces(this, false) !== null)
          throw this.err('quantifier', start, 'quantifier does not follow a repeatable item')
        this.pos++
        return this.literal(c, start)
      default:
        this.pos++
        return this.literal(c, start)
    }
  }

  readName(terminator: number, construct: string): string {
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
  namedBackref(name: string, start: number): Node {
    const node = { type: 'backref' as const, group: 0, caseless: this.flags.i, pos: start }
    this.pendingNamedRefs.push({ name, node, pos: start })
    return node
  }

  numberedBackref(n: number, start: number): Node {
    if (n === 0) throw this.err('backreference', start, 'a numbered reference must not be zero')
    // existence is checked once the whole pattern is parsed (forward references are legal)
    return { type: 'backref', group: n, caseless: this.flags.i, pos: start }
  }

  /**
   * Items that precede the atom parseAtom() returns, so that a following quantifier binds to the
   * atom only: the literals of a \Q...\E run but its last, and the `\b` of `[[:<:]]`/`[[:>:]]`.
   */
  pendingQuoted: Node[] | null = null

  /** Consumes queued \Q...\E literals (see parseEscape). */
  takeQuoted(): Node[] | null {
    const q = this.pendingQuoted
    this.pendingQuoted = null
    return q
  }
}
