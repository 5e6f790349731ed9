/**
 * go-ftw runs `data` through Go's text/template with the sprig functions before sending it
 * (test/data.go). The CRS tests use it only to build large bodies: `{{ "1" | repeat 64200 }}`.
 * This evaluates that subset: text outside actions is literal; an action is a string literal
 * optionally piped into `repeat N`, or `repeat N "s"`; `{{-` / `-}}` trim the adjacent white
 * space as in Go. Anything else is reported (never silently sent differently from go-ftw).
 */
import { FtwFormatError } from './yaml-values'

function parseGoString(src: string, where: string): { value: string; rest: string } {
  if (src.startsWith('`')) {
    const end = src.indexOf('`', 1)
    if (end < 0) throw new FtwFormatError(`${where}: unterminated raw string in template`)
    return { value: src.slice(1, end), rest: src.slice(end + 1) }
  }
  if (!src.startsWith('"')) throw new FtwFormatError(`${where}: expected a string literal in template action`)
  let value = ''
  for (let i = 1; i < src.length; i++) {
    const c = src[i] as string
    if (c === '"') return { value, rest: src.slice(i + 1) }
    if (c === '\\') {
      const n = src[++i]
      const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' }
      const m = n === undefined ? undefined : map[n]
      if (m === undefined)
        throw new FtwFormatError(`${where}: unsupported escape \\${n ?? ''} in template string`)
      value += m
    } else {
      value += c
    }
  }
  throw new FtwFormatError(`${where}: unterminated string in template`)
}

function evalAction(action: string, where: string): string {
  const a = action.trim()
  let m = /^repeat\s+(\d+)\s+(.*)$/s.exec(a)
  if (m !== null) {
    const s = parseGoString((m[2] as string).trim(), where)
    if (s.rest.trim() !== '') throw new FtwFormatError(`${where}: unsupported template action {{${action}}}`)
    return s.value.repeat(Number(m[1]))
  }
  const s = parseGoString(a, where)
  const rest = s.rest.trim()
  if (rest === '') return s.value
  m = /^\|\s*repeat\s+(\d+)$/.exec(rest)
  if (m === null) throw new FtwFormatError(`${where}: unsupported template action {{${action}}}`)
  return s.value.repeat(Number(m[1]))
}

/** Expand the template actions in `data`; text without "{{" is returned as is. */
export function expandGoTemplate(data: string, where: string): string {
  if (!data.includes('{{')) return data
  let out = ''
  let i = 0
  while (i < data.length) {
    const open = data.indexOf('{{', i)
    if (open < 0) {
      out += data.slice(i)
      break
    }
    let text = data.slice(i, open)
    const close = data.indexOf('}}', open + 2)
    if (close < 0) throw new FtwFormatError(`${where}: unclosed template action`)
    let action = data.slice(open + 2, close)
    if (action.startsWith('- ')) {
      text = text.replace(/[ \t\r\n]+$/, '')
      action = action.slice(2)
    }
    let trimAfter = false
    if (action.endsWith(' -')) {
      trimAfter = true
      action = action.slice(0, -2)
    }
    out += text + evalAction(action, where)
    i = close + 2
    if (trimAfter) while (i < data.length && ' \t\r\n'.includes(data[i] as string)) i++
  }
  return out
}
