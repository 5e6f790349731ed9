/** Quantifiers: `*`, `+`, `?`, `{n,m}`, with the lazy `?` and possessive `+` suffixes. */
import type { Node } from './ast'
import type { ParserCursor } from './parser-cursor'

const MAX_REPEAT = 65535

export function isQuantifierStart(ps: ParserCursor): boolean {
  const c = ps.peek()
  if (c === 0x2a || c === 0x2b || c === 0x3f) return true
  return c === 0x7b && readBraces(ps, false) !== null
}

/** `{n}`, `{n,}`, `{n,m}` at pos (PCRE2 10.42: anything else, including `{,m}`, is literal text). */
export function readBraces(ps: ParserCursor, consume: boolean): { min: number; max: number } | null {
  const m = /^\{(\d+)(,(\d*))?\}/.exec(ps.p.slice(ps.pos, ps.pos + 16))
  if (!m) return null
  const min = Number(m[1])
  const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3])
  if (consume) {
    if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) {
      throw ps.err('quantifier', ps.pos, 'number too big in {} quantifier')
    }
    if (max < min) throw ps.err('quantifier', ps.pos, 'numbers out of order in {} quantifier')
    ps.pos += m[0].length
  }
  return { min, max }
}

export function parseQuantifiers(ps: ParserCursor, atom: Node, atomPos: number): Node {
  let node = atom
  let quantified = false
  for (;;) {
    ps.skipExtended()
    const qpos = ps.pos
    const c = ps.peek()
    let min: number
    let max: number
    if (c === 0x2a) {
      min = 0
      max = Infinity
      ps.pos++
    } else if (c === 0x2b) {
      min = 1
      max = Infinity
      ps.pos++
    } else if (c === 0x3f) {
      min = 0
      max = 1
      ps.pos++
    } else if (c === 0x7b && readBraces(ps, false) !== null) {
      const b = readBraces(ps, true)
      if (b === null) break
      min = b.min
      max = b.max
    } else break
    if (quantified) throw ps.err('quantifier', qpos, 'quantifier does not follow a repeatable item')
    quantified = true
    let greedy = !ps.flags.U
    let possessive = false
    if (ps.peek() === 0x3f) {
      ps.pos++
      greedy = !greedy
    } else if (ps.peek() === 0x2b) {
      ps.pos++
      possessive = true
      greedy = true
    }
    if (node.type === 'assert')
      throw ps.err('quantifier', qpos, 'quantifier does not follow a repeatable item')
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
