import type { Action, CtlAction, SetvarAction, Template, TemplatePart } from '../../bundle/schema'
import { asciiLower, atoi } from '../log-escape'
import type { LinkedAction, LinkedCtl, TargetException } from '../program'

/**
 * Bundle actions -> prepared actions, once per isolate. Arguments are split where v2 splits
 * them (first '=' for setenv/initcol/expirevar/deprecatevar, first '.' for the collection),
 * ctl values are parsed and their regexes compiled here, never per request.
 */

/** Split a template at the first `sep` found in its literal text. */
export function splitTemplate(t: Template, sep: string): [Template, Template | undefined] {
  if (typeof t === 'string') {
    const i = t.indexOf(sep)
    return i < 0 ? [t, undefined] : [t.slice(0, i), t.slice(i + 1)]
  }
  for (let p = 0; p < t.length; p++) {
    const part = t[p]
    if (typeof part !== 'string') continue
    const i = part.indexOf(sep)
    if (i < 0) continue
    const left: TemplatePart[] = t.slice(0, p)
    const right: TemplatePart[] = t.slice(p + 1)
    if (i > 0) left.push(part.slice(0, i))
    if (i + 1 < part.length) right.unshift(part.slice(i + 1))
    return [simplify(left), simplify(right)]
  }
  return [t, undefined]
}

function simplify(parts: TemplatePart[]): Template {
  if (parts.length === 0) return ''
  if (parts.length === 1 && typeof parts[0] === 'string') return parts[0]
  return parts
}

function isCSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d)
}

function trimStart(t: Template): Template {
  const first = typeof t === 'string' ? t : t[0]
  if (typeof first !== 'string') return t
  let i = 0
  while (i < first.length && isCSpace(first.charCodeAt(i))) i++
  if (i === 0) return t
  if (typeof t === 'string') return t.slice(i)
  const rest = t.slice(1)
  if (i < first.length) rest.unshift(first.slice(i))
  return simplify(rest)
}

function literal(t: Template): string {
  return typeof t === 'string' ? t : t.map((p) => (typeof p === 'string' ? p : '')).join('')
}

function regex(src: string): RegExp | undefined {
  try {
    return new RegExp(src)
  } catch {
    return undefined
  }
}

function onOff(v: string): boolean | undefined {
  const l = asciiLower(v.trim())
  if (l === 'on' || l === 'true' || l === '1') return true
  if (l === 'off' || l === 'false' || l === '0') return false
  return undefined
}

/** v2 rule_id_in_range: comma-separated ids and a-b ranges, parsed with atoi. */
export function parseIdRanges(v: string): [number, number][] {
  const out: [number, number][] = []
  for (const p of v.split(',')) {
    if (p === '') continue
    const dash = p.indexOf('-')
    if (dash < 0) {
      const n = atoi(p)
      out.push([n, n])
    } else out.push([atoi(p), atoi(p.slice(dash + 1))])
  }
  return out
}

function targetExceptions(list: string | undefined): TargetException[] {
  const out: TargetException[] = []
  if (list === undefined) return out
  for (const t of list.split(',')) {
    if (t === '') continue
    const colon = t.indexOf(':')
    if (colon < 0) out.push({ fname: asciiLower(t), fkey: undefined })
    else out.push({ fname: asciiLower(t.slice(0, colon)), fkey: asciiLower(t.slice(colon + 1)) })
  }
  return out
}

export function linkCtl(a: CtlAction): LinkedCtl {
  const v = a.value
  switch (a.option) {
    case 'ruleEngine': {
      const l = asciiLower(v)
      if (l === 'on') return { o: 'ruleEngine', v: 'On' }
      if (l === 'off') return { o: 'ruleEngine', v: 'Off' }
      if (l === 'detectiononly') return { o: 'ruleEngine', v: 'DetectionOnly' }
      return { o: 'noop', v }
    }
    case 'ruleRemoveById':
      return { o: 'ruleRemoveById', v, ranges: parseIdRanges(v) }
    case 'ruleRemoveByTag':
    case 'ruleRemoveByMsg':
      return { o: a.option, v, rx: regex(v) }
    case 'ruleRemoveTargetById':
    case 'ruleRemoveTargetByTag':
    case 'ruleRemoveTargetByMsg': {
      const parts = v.split(';')
      const head = parts[0] ?? ''
      const byId = a.option === 'ruleRemoveTargetById'
      return {
        o: a.option,
        v: head,
        rx: byId ? undefined : regex(head),
        ranges: byId ? parseIdRanges(head) : [],
        targets: targetExceptions(parts[1]),
      }
    }
    case 'requestBodyProcessor':
      return { o: 'requestBodyProcessor', v }
    case 'requestBodyAccess':
    case 'responseBodyAccess':
      return { o: a.option, on: onOff(v) }
    case 'forceRequestBodyVariable': {
      const l = asciiLower(v)
      return { o: 'forceRequestBodyVariable', on: l === 'on' ? true : l === 'off' ? false : undefined }
    }
    case 'requestBodyLimit':
    case 'responseBodyLimit':
    case 'debugLogLevel':
      return { o: a.option, n: atoi(v) }
    case 'auditEngine': {
      const l = asciiLower(v)
      return {
        o: 'auditEngine',
        v: l === 'on' ? 'On' : l === 'off' ? 'Off' : l === 'relevantonly' ? 'RelevantOnly' : undefined,
      }
    }
    case 'auditLogParts':
      return { o: 'auditLogParts', v }
    default:
      return { o: 'noop', v }
  }
}

function collectionAndName(t: Template): [string, Template] {
  const [col, name] = splitTemplate(t, '.')
  return [asciiLower(literal(col).trim()), name ?? '']
}

export function linkAction(a: Action): LinkedAction {
  switch (a.name) {
    case 'setvar': {
      const s = a as SetvarAction
      let op = s.op
      let value: Template = s.value ?? ''
      if (op === '=') {
        // v2 skips whitespace after '=' before looking for a '+'/'-' (relative change)
        value = trimStart(value)
        const first = typeof value === 'string' ? value : value[0]
        if (typeof first === 'string' && (first.startsWith('+') || first.startsWith('-'))) {
          op = first.startsWith('+') ? '+' : '-'
          value = typeof value === 'string' ? value.slice(1) : simplify([first.slice(1), ...value.slice(1)])
        }
      }
      return { k: 'setvar', collection: asciiLower(s.collection), key: s.key, op, value }
    }
    case 'ctl':
      return { k: 'ctl', ctl: linkCtl(a as CtlAction) }
  }
  const arg: Template = 'arg' in a && a.arg !== undefined ? a.arg : ''
  switch (a.name) {
    case 'setenv': {
      const [name, value] = splitTemplate(arg, '=')
      return { k: 'setenv', name, value }
    }
    case 'initcol': {
      const [col, key] = splitTemplate(arg, '=')
      return { k: 'initcol', collection: asciiLower(literal(col).trim()), key: key ?? '' }
    }
    case 'setsid':
    case 'setuid':
    case 'setrsc':
      return { k: a.name, key: arg }
    case 'expirevar': {
      const [left, secs] = splitTemplate(arg, '=')
      const [collection, name] = collectionAndName(left)
      return { k: 'expirevar', collection, name, seconds: secs ?? '1' }
    }
    case 'deprecatevar': {
      const [left, amount] = splitTemplate(arg, '=')
      const [collection, name] = collectionAndName(left)
      return { k: 'deprecatevar', collection, name, amount: amount ?? '1' }
    }
    case 'sanitiseArg':
    case 'sanitizeArg':
      return { k: 'sanitise', what: 'arg', name: literal(arg) }
    case 'sanitiseMatched':
    case 'sanitizeMatched':
    case 'sanitiseMatchedBytes':
    case 'sanitizeMatchedBytes':
      return { k: 'sanitise', what: 'matched', name: literal(arg) }
    case 'sanitiseRequestHeader':
    case 'sanitizeRequestHeader':
      return { k: 'sanitise', what: 'requestHeader', name: literal(arg) }
    case 'sanitiseResponseHeader':
    case 'sanitizeResponseHeader':
      return { k: 'sanitise', what: 'responseHeader', name: literal(arg) }
    default:
      return { k: 'noop', name: a.name }
  }
}
