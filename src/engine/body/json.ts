import type { BinaryString } from '../bytes'
import type { Arg, BodyContext, BodyResult } from './types'
import * as L from './json-lexer'

/**
 * JSON body processor with ModSecurity 2.9.7 semantics (yajl callbacks in msc_json.c),
 * recorded in test/vectors/body/json.json. Our own tokenizer (json-lexer.ts) and an explicit
 * stack: no JSON.parse, no recursion, duplicate keys and key order kept.
 *
 * Argument names (v2 keeps a `prefix` and a `current key`):
 * - a scalar is named "prefix.key", or "key" without prefix; a top-level scalar is named "";
 * - an object value extends the prefix with its key ({"a":{"b":1}} -> "a.b"); the top-level
 *   object does not;
 * - an array extends the prefix with its key and keeps the key, so elements repeat it
 *   ({"a":[1]} -> "a.a", {"a":[[1]]} -> "a.a.a"); a top-level array uses "array"
 *   ([1] -> "array.array");
 * - closing a container cuts the prefix at its last '.', the part after it becomes the key
 *   again. Keys containing dots therefore shift later names: {"a.b":{"c":1},"d":2} gives
 *   "a.b.c" and then "a.d" (v2 does exactly this).
 * Values: strings decoded (UTF-8 bytes; a lone high surrogate escape is '?'), numbers as their
 * literal text, true/false as words, null as "".
 * Limits: every array and every object but the top-level one counts one level against
 * SecRequestBodyJsonDepthLimit ("JSON depth limit exceeded"); SecArgumentsLimit (counting the
 * query-string arguments too) cancels the parse at the first argument over it. Arguments seen
 * before an error are kept. In v2 the JSON arguments go to ARGS but not ARGS_POST.
 * Errors read "JSON parsing error: <yajl message>", or "JSON parser error: <yajl message>" when
 * found only at the end of the body (e.g. "parse error: premature EOF\n"); for the latter v2
 * aborts the request with HTTP 500 before phase 2, we report REQBODY_ERROR instead.
 */

const S_VALUE = 0 // a value is expected (document start, after ':' or after ',' in an array)
const S_MAP_START = 1 // after '{'
const S_MAP_KEY = 2 // after ',' in an object
const S_MAP_COLON = 3
const S_MAP_GOT = 4 // after a value in an object
const S_ARRAY_START = 5 // after '['
const S_ARRAY_GOT = 6 // after a value in an array
const S_DONE = 7

const CANCELLED = 'parse error: client cancelled parse via callback return value\n'

interface Frame {
  array: boolean
  /** counted against the depth limit */
  counted: boolean
}

class JsonParser {
  readonly args: Arg[] = []
  prefix: BinaryString | null = null
  key: BinaryString | null = null
  depth = 0
  count: number
  readonly stack: Frame[] = []
  error = ''
  finishing = false

  constructor(
    readonly depthLimit: number,
    readonly argsLimit: number,
    existing: number,
  ) {
    this.count = existing
  }

  /** a scalar callback; false = cancel */
  scalar(value: BinaryString): boolean {
    if (this.count >= this.argsLimit) return false
    const k = this.key ?? ''
    this.args.push([this.prefix !== null ? this.prefix + '.' + k : k, value])
    this.count++
    return true
  }

  /** start_map / start_array; false = depth limit exceeded */
  open(array: boolean): boolean {
    let counted = true
    if (array) {
      if (this.key === null && this.prefix === null) {
        this.prefix = 'array'
        this.key = 'array'
      } else this.prefix = this.prefix !== null ? this.prefix + '.' + (this.key ?? '') : this.key
    } else if (this.key !== null) {
      this.prefix = this.prefix !== null ? this.prefix + '.' + this.key : this.key
    } else counted = false
    this.stack.push({ array, counted })
    if (!counted) return true
    this.depth++
    return this.depth <= this.depthLimit
  }

  close(): void {
    const f = this.stack.pop()
    if (f?.counted) this.depth--
    if (this.prefix === null) return
    const dot = this.prefix.lastIndexOf('.')
    if (dot >= 0) {
      this.key = this.prefix.slice(dot + 1)
      this.prefix = this.prefix.slice(0, dot)
    } else {
      this.key = this.prefix
      this.prefix = null
    }
  }

  /** the state after a value completes inside the current container */
  afterValue(): number {
    const top = this.stack[this.stack.length - 1]
    if (top === undefined) return S_DONE
    return top.array ? S_ARRAY_GOT : S_MAP_GOT
  }

  fail(msg: string): void {
    this.error = (this.finishing ? 'JSON parser error: ' : 'JSON parsing error: ') + msg
  }

  run(body: BinaryString): void {
    const lx = new L.JsonLexer(body)
    const n = body.length
    let state = S_VALUE
    for (;;) {
      const t = lx.next()
      // a number that ends the body is only emitted by yajl_complete_parse
      if (t === L.T_NUMBER && lx.pos >= n) this.finishing = true
      if (state === S_DONE) {
        // yajl: any token after the document, even a malformed one, is trailing garbage
        if (t === L.T_EOF) return
        if (t === L.T_ERROR && lx.errorPos >= n) this.finishing = true
        return this.fail('parse error: trailing garbage\n')
      }
      if (t === L.T_ERROR) {
        if (lx.errorPos >= n) this.finishing = true
        return this.fail('lexical error: ' + lx.error + '\n')
      }
      if (t === L.T_EOF) {
        this.finishing = true
        return this.fail('parse error: premature EOF\n')
      }
      switch (state) {
        case S_MAP_START:
        case S_MAP_KEY:
          if (t === L.T_STRING) {
            this.key = lx.value
            state = S_MAP_COLON
          } else if (t === L.T_RBRACE && state === S_MAP_START) {
            this.close()
            state = this.afterValue()
          } else return this.fail('parse error: invalid object key (must be a string)\n')
          break
        case S_MAP_COLON:
          if (t !== L.T_COLON)
            return this.fail("parse error: object key and value must be separated by a colon (':')\n")
          state = S_VALUE
          break
        case S_MAP_GOT:
          if (t === L.T_COMMA) state = S_MAP_KEY
          else if (t === L.T_RBRACE) {
            this.close()
            state = this.afterValue()
          } else return this.fail("parse error: after key and value, inside map, I expect ',' or '}'\n")
          break
        case S_ARRAY_GOT:
          if (t === L.T_COMMA) state = S_VALUE
          else if (t === L.T_RBRACKET) {
            this.close()
            state = this.afterValue()
          } else return this.fail("parse error: after array element, I expect ',' or ']'\n")
          break
        default: {
          // S_VALUE or S_ARRAY_START
          if (t === L.T_RBRACKET && state === S_ARRAY_START) {
            this.close()
            state = this.afterValue()
            break
          }
          let v: BinaryString | undefined
          if (t === L.T_STRING || t === L.T_NUMBER) v = lx.value
          else if (t === L.T_TRUE) v = 'true'
          else if (t === L.T_FALSE) v = 'false'
          else if (t === L.T_NULL) v = ''
          if (v !== undefined) {
            if (!this.scalar(v)) return this.fail(CANCELLED)
            state = this.afterValue()
          } else if (t === L.T_LBRACE || t === L.T_LBRACKET) {
            const array = t === L.T_LBRACKET
            if (!this.open(array)) return this.fail('JSON depth limit exceeded')
            state = array ? S_ARRAY_START : S_MAP_START
          } else return this.fail('parse error: unallowed token at this point in JSON text\n')
        }
      }
    }
  }
}

export function processJson(body: BinaryString, ctx: BodyContext): BodyResult {
  const p = new JsonParser(
    ctx.config.requestBodyJsonDepthLimit,
    ctx.config.argumentsLimit,
    ctx.argsCount ?? 0,
  )
  // v2 does not run the JSON parser on an empty body
  if (body.length > 0) p.run(body)
  return {
    args: p.args,
    argsOrigin: 'JSON',
    error: p.error !== '',
    errorMsg: p.error,
    urlencodedError: false,
  }
}
