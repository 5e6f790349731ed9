/**
 * Parsing of the three parts of a SecRule: the variable list, the operator and the action list,
 * as ModSecurity 2.9 reads them (re.c msre_parse_targets / msre_parse_actions). Positions are
 * offsets inside the argument text; the caller maps them to file:line:col.
 */

export class SyntaxProblem extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message)
  }
}

export interface RawVariable {
  name: string
  key?: string
  /** key given as /regex/ */
  keyIsRegex?: boolean
  count: boolean
  exclude: boolean
  offset: number
}

/**
 * `ARGS|!ARGS:foo|&TX:bar|REQUEST_COOKIES:/^a|b$/|XML:/*`: split on `|` outside /regex/ keys and
 * quotes. A key is `/regex/` when it starts and ends with '/' (v2); XML XPath keys start with '/'
 * too and are kept literal for XML.
 */
export function parseVariables(text: string): RawVariable[] {
  const out: RawVariable[] = []
  let p = 0
  const n = text.length
  while (p < n) {
    while (p < n && (text[p] === ' ' || text[p] === '\t')) p++
    const start = p
    let count = false
    let exclude = false
    if (text[p] === '!') {
      exclude = true
      p++
    } else if (text[p] === '&') {
      count = true
      p++
    }
    if (text[p] === '&' && exclude) throw new SyntaxProblem('"!" and "&" cannot be combined', p)
    const nameStart = p
    while (p < n && /[A-Za-z0-9_]/.test(text[p] ?? '')) p++
    const name = text.slice(nameStart, p)
    if (name.length === 0) {
      throw new SyntaxProblem(
        p < n ? `invalid character ${JSON.stringify(text[p])} in variable list` : 'empty variable name',
        p,
      )
    }
    const v: RawVariable = { name, count, exclude, offset: start }
    if (text[p] === ':' || text[p] === '.') {
      p++
      if (text[p] === "'") {
        const close = text.indexOf("'", p + 1)
        if (close < 0) throw new SyntaxProblem('unterminated quoted variable key', p)
        v.key = text.slice(p + 1, close)
        p = close + 1
      } else if (text[p] === '/' && name.toUpperCase() !== 'XML') {
        // /regex/ up to the next unescaped '/' that is followed by '|' or the end
        let q = p + 1
        let found = -1
        while (q < n) {
          if (text[q] === '\\') {
            q += 2
            continue
          }
          if (text[q] === '/' && (q + 1 === n || text[q + 1] === '|' || text[q + 1] === ' ')) {
            found = q
            break
          }
          q++
        }
        if (found < 0) throw new SyntaxProblem('unterminated /regex/ variable key', p)
        v.key = text.slice(p + 1, found)
        v.keyIsRegex = true
        p = found + 1
      } else {
        const ks = p
        while (p < n && text[p] !== '|') p++
        v.key = text.slice(ks, p).trimEnd()
      }
      if (v.key === '' && !v.keyIsRegex) throw new SyntaxProblem(`empty key after "${name}:"`, p)
    }
    out.push(v)
    while (p < n && (text[p] === ' ' || text[p] === '\t')) p++
    if (p < n) {
      if (text[p] !== '|') throw new SyntaxProblem(`expected "|" between variables, found ${JSON.stringify(text[p])}`, p)
      p++
      if (p >= n) throw new SyntaxProblem('variable list ends with "|"', p - 1)
    }
  }
  if (out.length === 0) throw new SyntaxProblem('empty variable list', 0)
  return out
}

export interface RawOperator {
  name: string
  negated: boolean
  arg: string
  /** offset of the name (after '@') */
  offset: number
  argOffset: number
  /** no '@' was written: the implicit @rx */
  implicit: boolean
}

/** `@name arg`, `!@name arg`, or a bare pattern (implicit @rx). */
export function parseOperator(text: string): RawOperator {
  let p = 0
  let negated = false
  if (text[0] === '!') {
    negated = true
    p = 1
  }
  if (text[p] !== '@') {
    return { name: 'rx', negated, arg: text.slice(p), offset: p, argOffset: p, implicit: true }
  }
  p++
  const nameStart = p
  while (p < text.length && /[A-Za-z0-9_]/.test(text[p] ?? '')) p++
  const name = text.slice(nameStart, p)
  if (name.length === 0) throw new SyntaxProblem('missing operator name after "@"', p)
  if (p < text.length && text[p] !== ' ' && text[p] !== '\t') {
    throw new SyntaxProblem(`invalid character ${JSON.stringify(text[p])} in operator name`, p)
  }
  while (text[p] === ' ' || text[p] === '\t') p++
  return { name, negated, arg: text.slice(p), offset: nameStart, argOffset: p, implicit: false }
}

export interface RawAction {
  name: string
  value?: string
  /** the value was written in single quotes */
  quoted: boolean
  offset: number
  valueOffset: number
}

/**
 * `id:1,phase:2,t:none,msg:'a, b',setvar:'tx.x=+1'`: comma-separated; a value may be in single
 * quotes, inside which `\'` is a quote and commas do not split.
 */
export function parseActions(text: string): RawAction[] {
  const out: RawAction[] = []
  let p = 0
  const n = text.length
  while (p < n) {
    while (p < n && (text[p] === ' ' || text[p] === '\t' || text[p] === ',')) {
      if (text[p] === ',' && out.length === 0) throw new SyntaxProblem('action list starts with ","', p)
      p++
    }
    if (p >= n) break
    const start = p
    while (p < n && /[A-Za-z0-9_]/.test(text[p] ?? '')) p++
    const name = text.slice(start, p)
    if (name.length === 0) throw new SyntaxProblem(`invalid character ${JSON.stringify(text[p])} in action list`, p)
    while (text[p] === ' ' || text[p] === '\t') p++
    const action: RawAction = { name, quoted: false, offset: start, valueOffset: p }
    if (text[p] === ':') {
      p++
      while (text[p] === ' ' || text[p] === '\t') p++
      action.valueOffset = p
      if (text[p] === "'") {
        let value = ''
        let q = p + 1
        let closed = false
        while (q < n) {
          const c = text[q]
          if (c === '\\' && text[q + 1] === "'") {
            value += "'"
            q += 2
            continue
          }
          if (c === "'") {
            closed = true
            break
          }
          value += c
          q++
        }
        if (!closed) throw new SyntaxProblem(`unterminated quoted value of action "${name}"`, p)
        action.value = value
        action.quoted = true
        p = q + 1
        while (text[p] === ' ' || text[p] === '\t') p++
        if (p < n && text[p] !== ',') {
          throw new SyntaxProblem(`unexpected text after the quoted value of action "${name}"`, p)
        }
      } else {
        const vs = p
        while (p < n && text[p] !== ',') p++
        action.value = text.slice(vs, p).trimEnd()
      }
    } else if (p < n && text[p] !== ',') {
      throw new SyntaxProblem(`expected ":" or "," after action "${name}"`, p)
    }
    out.push(action)
    if (text[p] === ',') {
      p++
      if (p >= n || text.slice(p).trim() === '') throw new SyntaxProblem('action list ends with ","', p - 1)
    }
  }
  return out
}
