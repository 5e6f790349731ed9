/**
 * A set of bytes (0..255), the unit the translator reasons in: PCRE runs non-UTF on bytes, and the
 * engine's subjects are binary strings (one char per byte). Literal characters, classes, escapes
 * such as `\s`, and `.` all become byte sets, with case folding already applied, so that the
 * emitters never depend on a regex engine's own flags.
 */
export class ByteSet {
  readonly bits: Uint32Array

  constructor(bits?: Uint32Array) {
    this.bits = bits ? new Uint32Array(bits) : new Uint32Array(8)
  }

  static of(...bytes: number[]): ByteSet {
    const s = new ByteSet()
    for (const b of bytes) s.add(b)
    return s
  }

  static range(lo: number, hi: number): ByteSet {
    return new ByteSet().addRange(lo, hi)
  }

  static all(): ByteSet {
    return new ByteSet().addRange(0, 255)
  }

  has(b: number): boolean {
    return ((this.bits[b >> 5] ?? 0) & (1 << (b & 31))) !== 0
  }

  add(b: number): this {
    const w = b >> 5
    this.bits[w] = (this.bits[w] ?? 0) | (1 << (b & 31))
    return this
  }

  addRange(lo: number, hi: number): this {
    for (let b = lo; b <= hi; b++) this.add(b)
    return this
  }

  addSet(o: ByteSet): this {
    for (let i = 0; i < 8; i++) this.bits[i] = (this.bits[i] ?? 0) | (o.bits[i] ?? 0)
    return this
  }

  /** A new set: the complement within 0..255. */
  negate(): ByteSet {
    const s = new ByteSet()
    for (let i = 0; i < 8; i++) s.bits[i] = ~(this.bits[i] ?? 0)
    return s
  }

  intersects(o: ByteSet): boolean {
    for (let i = 0; i < 8; i++) if (((this.bits[i] ?? 0) & (o.bits[i] ?? 0)) !== 0) return true
    return false
  }

  equals(o: ByteSet): boolean {
    for (let i = 0; i < 8; i++) if ((this.bits[i] ?? 0) !== (o.bits[i] ?? 0)) return false
    return true
  }

  size(): number {
    let n = 0
    for (let b = 0; b < 256; b++) if (this.has(b)) n++
    return n
  }

  isEmpty(): boolean {
    for (let i = 0; i < 8; i++) if ((this.bits[i] ?? 0) !== 0) return false
    return true
  }

  isFull(): boolean {
    for (let i = 0; i < 8; i++) if (this.bits[i] !== 0xffffffff) return false
    return true
  }

  /** The single member, or -1 when the set has 0 or several members. */
  single(): number {
    let found = -1
    for (let b = 0; b < 256; b++) {
      if (!this.has(b)) continue
      if (found >= 0) return -1
      found = b
    }
    return found
  }

  /** Members as inclusive [lo, hi] ranges, ascending. */
  ranges(): [number, number][] {
    const out: [number, number][] = []
    let b = 0
    while (b < 256) {
      if (!this.has(b)) {
        b++
        continue
      }
      const lo = b
      while (b + 1 < 256 && this.has(b + 1)) b++
      out.push([lo, b])
      b++
    }
    return out
  }

  /** PCRE's default (C locale) caseless closure: adds the other case of every ASCII letter. Never touches bytes >= 0x80. */
  foldAscii(): this {
    for (let b = 0x41; b <= 0x5a; b++) {
      if (this.has(b) || this.has(b + 0x20)) {
        this.add(b)
        this.add(b + 0x20)
      }
    }
    return this
  }

  /** True when every ASCII letter in the set has its other case in the set too. */
  isAsciiFoldClosed(): boolean {
    for (let b = 0x41; b <= 0x5a; b++) if (this.has(b) !== this.has(b + 0x20)) return false
    return true
  }

  /**
   * True when the set is closed under JavaScript's non-Unicode `i` equivalence on bytes (see
   * JS_CASELESS_PAIRS): then `new RegExp(x, 'i')` matches exactly the same bytes as
   * `new RegExp(x)` for an atom `x` written for this set, positive or negated.
   */
  isJsCaselessClosed(): boolean {
    for (const [u, l] of JS_CASELESS_PAIRS) if (this.has(u) !== this.has(l)) return false
    return true
  }
}

/**
 * The byte pairs that JavaScript's `i` flag equates without `u`/`v` (ECMA-262 Canonicalize: the
 * char's toUpperCase when that is a single char, except that a char >= 0x80 never maps below
 * 0x80): A-Z/a-z and the Latin-1 letters 0xC0-0xDE/0xE0-0xFE except 0xD7/0xF7 (x / ÷). Every
 * other byte (µ 0xB5, ß 0xDF, ÿ 0xFF included) is equal only to itself. PCRE's default tables
 * fold only the ASCII pairs. Checked against V8 byte by byte in
 * test/unit/compiler/regex/js-caseless-model.test.ts.
 */
export const JS_CASELESS_PAIRS: readonly (readonly [number, number])[] = (() => {
  const out: [number, number][] = []
  for (let b = 0x41; b <= 0x5a; b++) out.push([b, b + 0x20])
  for (let b = 0xc0; b <= 0xde; b++) if (b !== 0xd7) out.push([b, b + 0x20])
  return out
})()

/** Bytes that JavaScript's `i` flag equates with another byte (both members of every pair). */
export const jsCasedBytes = (): ByteSet => {
  const s = new ByteSet()
  for (const [u, l] of JS_CASELESS_PAIRS) s.add(u).add(l)
  return s
}

/** The Latin-1 part of jsCasedBytes(): the bytes that JS folds and PCRE's default tables do not. */
export const latin1CasedBytes = (): ByteSet => {
  const s = new ByteSet()
  for (const [u, l] of JS_CASELESS_PAIRS) if (u >= 0x80) s.add(u).add(l)
  return s
}

/** Byte sets of PCRE2's default character tables (non-UTF, no UCP, "C" locale). */
export const SETS = {
  digit: () => ByteSet.range(0x30, 0x39),
  /** PCRE `\s`: HT LF VT FF CR and space (0x09-0x0D, 0x20). Not 0xA0 (JS `\s` has it), not 0x85. */
  space: () => ByteSet.range(0x09, 0x0d).add(0x20),
  word: () => ByteSet.range(0x30, 0x39).addRange(0x41, 0x5a).addRange(0x61, 0x7a).add(0x5f),
  /** `\h` in non-UTF mode: HT, space, NBSP. */
  hspace: () => ByteSet.of(0x09, 0x20, 0xa0),
  /** `\v` in non-UTF mode: LF VT FF CR and NEL. */
  vspace: () => ByteSet.range(0x0a, 0x0d).add(0x85),
}

/** POSIX classes as PCRE2's default tables define them (ASCII only). */
export const POSIX_CLASSES: Record<string, () => ByteSet> = {
  alpha: () => ByteSet.range(0x41, 0x5a).addRange(0x61, 0x7a),
  digit: SETS.digit,
  alnum: () => ByteSet.range(0x30, 0x39).addRange(0x41, 0x5a).addRange(0x61, 0x7a),
  upper: () => ByteSet.range(0x41, 0x5a),
  lower: () => ByteSet.range(0x61, 0x7a),
  space: SETS.space,
  blank: () => ByteSet.of(0x09, 0x20),
  cntrl: () => ByteSet.range(0x00, 0x1f).add(0x7f),
  graph: () => ByteSet.range(0x21, 0x7e),
  print: () => ByteSet.range(0x20, 0x7e),
  punct: () => ByteSet.range(0x21, 0x2f).addRange(0x3a, 0x40).addRange(0x5b, 0x60).addRange(0x7b, 0x7e),
  xdigit: () => ByteSet.range(0x30, 0x39).addRange(0x41, 0x46).addRange(0x61, 0x66),
  word: SETS.word,
  ascii: () => ByteSet.range(0x00, 0x7f),
}
