import type { BinaryString } from '../bytes'
import type { Arg, BodyContext, BodyResult } from './types'

/**
 * application/x-www-form-urlencoded parsing with ModSecurity 2.9.7 semantics, shared by the
 * URLENCODED body processor (ARGS_POST) and the query string (ARGS_GET). Recorded behaviour
 * (test/vectors/body/urlencoded.json, query.json):
 * - pairs are split on SecArgumentSeparator (one byte, default '&'), then on the first '=';
 *   `a` without '=' is name "a" with value ""; '=' alone is ["", ""];
 * - every separator ends a pair, even an empty one ("a&&b" has ["", ""] in the middle, "&a"
 *   starts with one); the end of input ends a pair only if it is non-empty ("a=1&" is one pair);
 * - names and values are decoded once: '+' is a space, %HH (either case) is the byte; an
 *   invalid % sequence (%zz, %4, a trailing %, %u0041) is kept as is and sets URLENCODED_ERROR;
 * - duplicates are kept in order; nothing else (whitespace, NUL, CR/LF, high bytes) is special;
 * - SecArgumentsLimit: the argument that would exceed the limit is dropped, parsing stops and
 *   REQBODY_ERROR is set with "SecArgumentsLimit exceeded" (also for the query string, in v2).
 */

export const ARGUMENTS_LIMIT_MSG = 'SecArgumentsLimit exceeded'

export interface UrlencodedParse {
  args: Arg[]
  /** an invalid %-sequence was seen (URLENCODED_ERROR) */
  invalid: boolean
  /** SecArgumentsLimit was reached: args holds the arguments that fitted */
  limitExceeded: boolean
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  const l = c | 0x20
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10
  return -1
}

/** set by decodeRange: the last decoded range held an invalid %-sequence */
let lastInvalid = false

/** Decode s[start, end) with '+' -> ' ' and %HH; invalid sequences are kept literally. */
function decodeRange(s: BinaryString, start: number, end: number): BinaryString {
  lastInvalid = false
  let plain = true
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i)
    if (c === 0x25 || c === 0x2b) {
      plain = false
      break
    }
  }
  if (plain) return start === 0 && end === s.length ? s : s.slice(start, end)
  let out = ''
  let runStart = start
  let i = start
  while (i < end) {
    const c = s.charCodeAt(i)
    if (c === 0x2b) {
      out += s.slice(runStart, i) + ' '
      i++
      runStart = i
    } else if (c === 0x25) {
      const hi = i + 2 < end ? hexVal(s.charCodeAt(i + 1)) : -1
      const lo = hi >= 0 ? hexVal(s.charCodeAt(i + 2)) : -1
      if (lo >= 0) {
        out += s.slice(runStart, i) + String.fromCharCode((hi << 4) | lo)
        i += 3
        runStart = i
      } else {
        lastInvalid = true
        i++
      }
    } else i++
  }
  return out + s.slice(runStart, end)
}

/**
 * Parse urlencoded text. `separator` is SecArgumentSeparator (its first byte is used),
 * `limit` is SecArgumentsLimit and `existing` the number of arguments already collected for
 * the transaction (v2 counts ARGS_GET and ARGS_POST together against the limit).
 */
export function parseUrlencoded(
  s: BinaryString,
  separator = '&',
  limit = Infinity,
  existing = 0,
): UrlencodedParse {
  const sep = separator.length > 0 ? separator.charCodeAt(0) : 0x26
  const args: Arg[] = []
  let invalid = false
  let limitExceeded = false
  let count = existing
  const n = s.length
  let start = 0
  for (let i = 0; i <= n; i++) {
    const atEnd = i === n
    if (!atEnd && s.charCodeAt(i) !== sep) continue
    if (atEnd && i === start) break
    // pair s[start, i)
    let eq = -1
    for (let j = start; j < i; j++) {
      if (s.charCodeAt(j) === 0x3d) {
        eq = j
        break
      }
    }
    if (count >= limit) {
      limitExceeded = true
      break
    }
    let name: BinaryString
    let value: BinaryString
    if (eq < 0) {
      name = decodeRange(s, start, i)
      if (lastInvalid) invalid = true
      value = ''
    } else {
      name = decodeRange(s, start, eq)
      if (lastInvalid) invalid = true
      value = decodeRange(s, eq + 1, i)
      if (lastInvalid) invalid = true
    }
    args.push([name, value])
    count++
    start = i + 1
  }
  return { args, invalid, limitExceeded }
}

/**
 * ARGS_GET: the query string (without '?') parsed as v2 does, with the config's separator and
 * limit. When the limit is exceeded v2 sets REQBODY_ERROR / REQBODY_ERROR_MSG
 * ("SecArgumentsLimit exceeded") even for a GET without body (recorded: query.json).
 */
export function parseQueryString(
  query: BinaryString,
  config: { argumentSeparator: string; argumentsLimit: number },
): UrlencodedParse {
  return parseUrlencoded(query, config.argumentSeparator, config.argumentsLimit, 0)
}

/** The URLENCODED body processor. */
export function processUrlencoded(body: BinaryString, ctx: BodyContext): BodyResult {
  const r = parseUrlencoded(body, ctx.config.argumentSeparator, ctx.config.argumentsLimit, ctx.argsCount ?? 0)
  return {
    args: r.args,
    argsOrigin: 'BODY',
    error: r.limitExceeded,
    errorMsg: r.limitExceeded ? ARGUMENTS_LIMIT_MSG : '',
    urlencodedError: r.invalid,
  }
}
