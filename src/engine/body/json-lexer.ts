import type { BinaryString } from '../bytes'

/**
 * A JSON tokenizer that behaves like yajl 2.1 (ModSecurity 2.9.7's JSON library) as v2 sets it
 * up: strict JSON, no comments, UTF-8 validated in strings (yajl's loose check: lead byte and
 * continuation bytes only, so overlong forms and surrogates pass), error texts as yajl words them.
 * It works on the whole body plus one trailing space (yajl_complete_parse feeds a single space to
 * flush a pending number), without recursion and without JSON.parse.
 */

export const T_LBRACE = 1
export const T_RBRACE = 2
export const T_LBRACKET = 3
export const T_RBRACKET = 4
export const T_COMMA = 5
export const T_COLON = 6
export const T_STRING = 7
export const T_NUMBER = 8
export const T_TRUE = 9
export const T_FALSE = 10
export const T_NULL = 11
/** the input ended inside a token or before one: yajl wants more input */
export const T_EOF = 12
export const T_ERROR = 13

const E_UTF8 = 'invalid bytes in UTF8 string.'
const E_ESCAPE = "inside a string, '\\' occurs before a character which it may not."
const E_STRCHAR = 'invalid character inside string.'
const E_HEX = "invalid (non-hex) character occurs after '\\u' inside string."
const E_CHAR = 'invalid char in json text.'
const E_LITERAL = 'invalid string in json text.'
const E_EXP = 'malformed number, a digit is required after the exponent.'
const E_DEC = 'malformed number, a digit is required after the decimal point.'
const E_MINUS = 'malformed number, a digit is required after the minus sign.'
const E_COMMENT = 'probable comment found in input text, comments are not enabled.'

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}

/** UTF-32 code point -> UTF-8 bytes, as yajl's Utf32toUtf8 ('?' above 0x1FFFFF) */
function utf8(cp: number): BinaryString {
  if (cp < 0x80) return String.fromCharCode(cp)
  if (cp < 0x800) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f))
  if (cp < 0x10000)
    return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f))
  if (cp < 0x200000)
    return String.fromCharCode(
      0xf0 | (cp >> 18),
      0x80 | ((cp >> 12) & 0x3f),
      0x80 | ((cp >> 6) & 0x3f),
      0x80 | (cp & 0x3f),
    )
  return '?'
}

function hex4(s: BinaryString, at: number): number {
  return parseInt(s.slice(at, at + 4), 16)
}

export class JsonLexer {
  /** body + ' ' */
  readonly s: BinaryString
  pos = 0
  /** start and end of the last token */
  start = 0
  /** decoded string or raw number text of the last token */
  value: BinaryString = ''
  /** lexical error text when next() returned T_ERROR */
  error = ''
  /** where the error was found */
  errorPos = 0

  constructor(body: BinaryString) {
    this.s = body + ' '
  }

  private fail(msg: string, at: number): number {
    this.error = msg
    this.errorPos = at
    return T_ERROR
  }

  next(): number {
    const s = this.s
    const n = s.length
    let p = this.pos
    while (p < n) {
      const c = s.charCodeAt(p)
      if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) p++
      else break
    }
    this.start = p
    if (p >= n) {
      this.pos = p
      return T_EOF
    }
    const c = s.charCodeAt(p)
    this.pos = p + 1
    switch (c) {
      case 0x7b:
        return T_LBRACE
      case 0x7d:
        return T_RBRACE
      case 0x5b:
        return T_LBRACKET
      case 0x5d:
        return T_RBRACKET
      case 0x2c:
        return T_COMMA
      case 0x3a:
        return T_COLON
      case 0x22:
        return this.string(p + 1)
      case 0x74:
        return this.literal(p, 'true', T_TRUE)
      case 0x66:
        return this.literal(p, 'false', T_FALSE)
      case 0x6e:
        return this.literal(p, 'null', T_NULL)
      case 0x2f:
        return this.fail(E_COMMENT, p)
    }
    if (c === 0x2d || isDigit(c)) return this.number(p)
    return this.fail(E_CHAR, p)
  }

  private literal(p: number, word: string, tok: number): number {
    const s = this.s
    for (let i = 1; i < word.length; i++) {
      if (p + i >= s.length) {
        this.pos = s.length
        return T_EOF
      }
      if (s.charCodeAt(p + i) !== word.charCodeAt(i)) return this.fail(E_LITERAL, p + i)
    }
    this.pos = p + word.length
    return tok
  }

  private number(p: number): number {
    const s = this.s
    const n = s.length
    const start = p
    if (s.charCodeAt(p) === 0x2d) {
      p++
      if (p >= n) return this.eof()
      if (!isDigit(s.charCodeAt(p))) return this.fail(E_MINUS, p)
    }
    if (s.charCodeAt(p) === 0x30) p++
    else while (p < n && isDigit(s.charCodeAt(p))) p++
    if (p < n && s.charCodeAt(p) === 0x2e) {
      p++
      if (p >= n) return this.eof()
      if (!isDigit(s.charCodeAt(p))) return this.fail(E_DEC, p)
      while (p < n && isDigit(s.charCodeAt(p))) p++
    }
    if (p < n && (s.charCodeAt(p) === 0x65 || s.charCodeAt(p) === 0x45)) {
      p++
      if (p < n && (s.charCodeAt(p) === 0x2b || s.charCodeAt(p) === 0x2d)) p++
      if (p >= n) return this.eof()
      if (!isDigit(s.charCodeAt(p))) return this.fail(E_EXP, p)
      while (p < n && isDigit(s.charCodeAt(p))) p++
    }
    if (p >= n) return this.eof()
    this.value = s.slice(start, p)
    this.pos = p
    return T_NUMBER
  }

  private eof(): number {
    this.pos = this.s.length
    return T_EOF
  }

  /** A string starting after its opening quote: validate (as yajl's lexer), then decode. */
  private string(p: number): number {
    const s = this.s
    const n = s.length
    const begin = p
    let escapes = false
    while (p < n) {
      const c = s.charCodeAt(p)
      if (c === 0x22) break
      if (c === 0x5c) {
        escapes = true
        if (p + 1 >= n) return this.eof()
        const e = s.charCodeAt(p + 1)
        if (e === 0x75) {
          for (let i = 2; i < 6; i++) {
            if (p + i >= n) return this.eof()
            if (!isHex(s.charCodeAt(p + i))) return this.fail(E_HEX, p + i)
          }
          p += 6
        } else if (
          e === 0x22 ||
          e === 0x5c ||
          e === 0x2f ||
          e === 0x62 ||
          e === 0x66 ||
          e === 0x6e ||
          e === 0x72 ||
          e === 0x74
        ) {
          p += 2
        } else return this.fail(E_ESCAPE, p + 1)
      } else if (c < 0x20) {
        return this.fail(E_STRCHAR, p)
      } else if (c >= 0x80) {
        let more: number
        if (c >> 5 === 0x06) more = 1
        else if (c >> 4 === 0x0e) more = 2
        else if (c >> 3 === 0x1e) more = 3
        else return this.fail(E_UTF8, p)
        for (let i = 1; i <= more; i++) {
          if (p + i >= n) return this.eof()
          if (s.charCodeAt(p + i) >> 6 !== 0x02) return this.fail(E_UTF8, p + i)
        }
        p += more + 1
      } else p++
    }
    if (p >= n) return this.eof()
    this.pos = p + 1
    this.value = escapes ? decode(s, begin, p) : s.slice(begin, p)
    return T_STRING
  }
}

/** yajl_string_decode over a validated string body s[from, to) */
function decode(s: BinaryString, from: number, to: number): BinaryString {
  let out = ''
  let run = from
  let p = from
  while (p < to) {
    if (s.charCodeAt(p) !== 0x5c) {
      p++
      continue
    }
    out += s.slice(run, p)
    const e = s.charCodeAt(p + 1)
    p += 2
    switch (e) {
      case 0x62:
        out += '\b'
        break
      case 0x66:
        out += '\f'
        break
      case 0x6e:
        out += '\n'
        break
      case 0x72:
        out += '\r'
        break
      case 0x74:
        out += '\t'
        break
      case 0x75: {
        let cp = hex4(s, p)
        p += 4
        if ((cp & 0xfc00) === 0xd800) {
          if (p + 1 < to && s.charCodeAt(p) === 0x5c && s.charCodeAt(p + 1) === 0x75) {
            // yajl joins any following \u escape, low surrogate or not
            const lo = hex4(s, p + 2)
            cp = ((cp & 0x3f) << 10) | ((((cp >> 6) & 0xf) + 1) << 16) | (lo & 0x3ff)
            p += 6
          } else {
            out += '?'
            break
          }
        }
        out += utf8(cp)
        break
      }
      default:
        out += String.fromCharCode(e) // \" \\ \/
    }
    run = p
  }
  return out + s.slice(run, to)
}
