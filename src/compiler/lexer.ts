/**
 * SecLang lexer: turns a configuration file into directives (name + arguments with positions),
 * reading it the way Apache httpd 2.4 reads configuration for mod_security2:
 *
 * - the file is bytes; we read it as latin1 so one char is one byte (regexes stay byte patterns);
 * - a line ending in a single backslash continues on the next line (the backslash and the newline
 *   are removed; the next line's leading whitespace is kept, as ap_cfg_getline does; a line
 *   ending in two backslashes, or with blanks after the backslash, does not continue);
 * - a line whose first non-blank char is `#` is a comment (also when it is continued);
 * - arguments are separated by whitespace; an argument may be quoted with " or ' and then spans
 *   to the matching quote; inside an argument `\\` becomes `\` and `\<quote>` becomes the quote
 *   (Apache's substring_conf); any other backslash is kept verbatim;
 * - `<IfDefine NAME>` / `<IfDefine !NAME>` ... `</IfDefine>` sections are returned as directives
 *   named `<IfDefine` / `</IfDefine` for the resolver to evaluate.
 */
import { CompileError, makeExcerpt } from './diagnostics'

export interface Token {
  /** argument text after quote processing */
  value: string
  /** was the argument quoted (and with which quote) */
  quote: '"' | "'" | ''
  line: number
  col: number
  /** offset of each char of the raw token in the logical line, for positions inside an argument */
  rawStart: number
}

export interface DirectiveNode {
  /** directive name as written */
  name: string
  args: Token[]
  /** file name for diagnostics */
  file: string
  /** absolute path of the file (base for relative paths in arguments) */
  path: string
  line: number
  col: number
  /** last physical line of the directive (Apache's line number for it, which v2 logs as [line]) */
  lastLine: number
  /** the whole logical line (continuations joined), for excerpts */
  text: string
  /** maps an offset in `text` to [line, col] of the physical file */
  posAt(offset: number): [number, number]
}

interface LogicalLine {
  text: string
  /** physical line (1-based) and column (1-based) of every char of text */
  lines: number[]
  cols: number[]
}

function joinContinuations(source: string): LogicalLine[] {
  const physical = source.split('\n')
  const out: LogicalLine[] = []
  let cur: LogicalLine | undefined
  for (let i = 0; i < physical.length; i++) {
    let raw = physical[i] ?? ''
    if (raw.endsWith('\r')) raw = raw.slice(0, -1)
    const lineNo = i + 1
    // Apache continues only on [^\\]\\ at the very end of the line (no trailing blanks)
    const continued = raw.endsWith('\\') && !raw.endsWith('\\\\')
    const body = continued ? raw.slice(0, -1) : raw
    if (cur === undefined) cur = { text: '', lines: [], cols: [] }
    for (let c = 0; c < body.length; c++) {
      cur.lines.push(lineNo)
      cur.cols.push(c + 1)
    }
    cur.text += body
    if (!continued || i === physical.length - 1) {
      // sentinel position for "end of line" diagnostics
      cur.lines.push(lineNo)
      cur.cols.push(body.length + 1)
      out.push(cur)
      cur = undefined
    }
  }
  return out
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\r'
}

/** Split a file into directives. Throws CompileError for unterminated quotes. */
export function lex(source: string, file: string, path: string = file): DirectiveNode[] {
  const result: DirectiveNode[] = []
  for (const ll of joinContinuations(source)) {
    const text = ll.text
    let p = 0
    while (isSpace(text[p])) p++
    if (p >= text.length || text[p] === '#') continue
    const posAt = (offset: number): [number, number] => {
      const o = Math.min(Math.max(offset, 0), ll.lines.length - 1)
      return [ll.lines[o] ?? 1, ll.cols[o] ?? 1]
    }
    const tokens: Token[] = []
    while (p < text.length) {
      while (isSpace(text[p])) p++
      if (p >= text.length) break
      const start = p
      const q = text[p]
      let value = ''
      let quote: Token['quote'] = ''
      if (q === '"' || q === "'") {
        quote = q
        p++
        let closed = false
        while (p < text.length) {
          const c = text[p]
          if (c === '\\' && (text[p + 1] === '\\' || text[p + 1] === q)) {
            value += text[p + 1]
            p += 2
            continue
          }
          if (c === q) {
            closed = true
            p++
            break
          }
          value += c
          p++
        }
        if (!closed) {
          const [line, col] = posAt(start)
          throw new CompileError(
            { file, line, col },
            `unterminated ${q === '"' ? 'double' : 'single'}-quoted argument`,
            makeExcerpt(text, start),
          )
        }
        if (p < text.length && !isSpace(text[p])) {
          const [line, col] = posAt(p)
          throw new CompileError(
            { file, line, col },
            `unexpected text after closing quote (arguments must be separated by whitespace)`,
            makeExcerpt(text, p),
          )
        }
      } else {
        while (p < text.length && !isSpace(text[p])) {
          if (text[p] === '\\' && text[p + 1] === '\\') {
            value += '\\'
            p += 2
            continue
          }
          value += text[p]
          p++
        }
      }
      const [line, col] = posAt(start)
      tokens.push({ value, quote, line, col, rawStart: start })
    }
    const first = tokens.shift()
    if (first === undefined) continue
    let name = first.value
    // "<IfDefine NAME>" : the '>' may be attached to the last argument
    if (name.startsWith('<')) {
      const last = tokens[tokens.length - 1]
      if (name.endsWith('>')) name = name.slice(0, -1)
      else if (last !== undefined && last.value.endsWith('>')) last.value = last.value.slice(0, -1)
    }
    result.push({ name, args: tokens, file, path, line: first.line, col: first.col, lastLine: ll.lines[ll.lines.length - 1] ?? first.line, text, posAt })
  }
  return result
}
