import type { Node } from './ast'
import type { ByteSet } from './byte-set'
import type { RegexTranslateError } from './errors'

/** The inline options in force at the parser's position ((?imnsxU), (?^)). */
export interface Flags {
  i: boolean
  m: boolean
  s: boolean
  x: boolean
  xx: boolean
  n: boolean
  U: boolean
}

/**
 * What the parser's helpers (parse-escape.ts, parse-class.ts, parse-quantifier.ts) see of the
 * Parser (parser.ts): the pattern, the position they advance, the options in force, and the
 * few node builders that depend on parser state.
 */
export interface ParserCursor {
  /** the pattern (a binary string) */
  readonly p: string
  /** index of the next char to read */
  pos: number
  readonly flags: Readonly<Flags>
  /** capturing groups opened so far */
  readonly groupCount: number
  /** see Parser.pendingQuoted */
  pendingQuoted: Node[] | null
  /** the char code at pos + k, or -1 past the end */
  peek(k?: number): number
  err(construct: string, offset: number, reason: string): RegexTranslateError
  /** skip white space and # comments in extended mode */
  skipExtended(): void
  /** a one-byte set node, folded under (?i) */
  literal(b: number, pos: number): Node
  /** a set node, folded under (?i) */
  classNode(set: ByteSet, pos: number): Node
  readName(terminator: number, construct: string): string
  namedBackref(name: string, start: number): Node
  numberedBackref(n: number, start: number): Node
}
