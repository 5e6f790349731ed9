import {
  P_BSTRING,
  P_ESTRING,
  P_NQSTRING,
  P_NUMBER,
  P_QSTRING,
  P_USTRING,
  P_WORD,
  P_XSTRING,
  PARSER,
  WORD_STOP,
} from './sqli-chars'

/**
 * A quick "not SQLi" for the commonest values: one word (`first_name`, `Jane`, `true`, `books`)
 * or one run of digits (`42`, `62701`). Exact, without tokenizing:
 *
 * - A word: the first byte goes to the word parser or to one of the string-prefix parsers (b, e,
 *   n, q, u, x), which fall back to the word parser unless the next byte is ' (or & for u), and
 *   no byte is in the word parser's stop set, '.' or '`' (where a keyword may end a token). The
 *   input is then one token, a keyword type or a bareword. A digit run: parse_number reads it
 *   all as one number (no '.', no exponent, no suffix letter).
 * - Folding keeps that one token, or skips it (an SQL type, NOT), so the fingerprint has at most
 *   one type; the only one-type fingerprint in libinjection's set is X, which needs a token of
 *   type X (never a keyword type or a number). No '#' or "--" and no quote: no other pass runs.
 *
 * test/unit/engine/operators/libinjection/quick.test.ts checks it against the full detector.
 */

/** 1: a byte that may follow the first in a one-word input; 2: a digit */
const CLASS = new Uint8Array(256)
for (let c = 0; c < 256; c++) {
  if (WORD_STOP[c] !== 1 && c !== 0x2e && c !== 0x60) CLASS[c] = 1
}
for (let c = 0x30; c <= 0x39; c++) CLASS[c] = 3 // a digit is also a word byte

/** first-byte parsers that read a one-word input as one word */
const WORD_START = new Uint8Array(32)
for (const p of [P_WORD, P_BSTRING, P_ESTRING, P_NQSTRING, P_QSTRING, P_USTRING, P_XSTRING]) WORD_START[p] = 1

/** True when `s` (non-empty) is one word or one run of digits: libinjection says "not SQLi". */
export function isPlainWordOrNumber(s: string): boolean {
  const c0 = s.charCodeAt(0)
  const parser = PARSER[c0]
  if (parser === undefined) return false
  if (WORD_START[parser] === 1) return allOfClass(s, 1)
  // digits only (a '.' would make a decimal or a dot token)
  return parser === P_NUMBER && c0 !== 0x2e && allOfClass(s, 2)
}

/** every byte of s after the first has `bit` in CLASS */
function allOfClass(s: string, bit: number): boolean {
  for (let i = 1; i < s.length; i++) if (((CLASS[s.charCodeAt(i)] ?? 0) & bit) === 0) return false
  return true
}
