import { at } from './chars'

/** s[i..] starts with `<!--` */
function htmlOpen(s: string, i: number): boolean {
  return (
    at(s, i) === 0x3c &&
    i + 3 < s.length &&
    at(s, i + 1) === 0x21 &&
    at(s, i + 2) === 0x2d &&
    at(s, i + 3) === 0x2d
  )
}

/**
 * t:replaceComments: each C comment `/* ... *\/` becomes one space; an unterminated comment
 * runs to the end and also becomes one space. A stray `*\/` is left alone.
 */
export function replaceComments(input: string): string {
  let i = input.indexOf('/*')
  if (i < 0) return input
  const n = input.length
  let out = input.slice(0, i)
  let start = i
  while (i < n) {
    if (input.charCodeAt(i) === 0x2f && i + 1 < n && input.charCodeAt(i + 1) === 0x2a) {
      out += input.slice(start, i)
      const close = input.indexOf('*/', i + 2)
      out += ' '
      if (close < 0) return out // unterminated: one space, end of input
      i = close + 2
      start = i
    } else i++
  }
  return out + input.slice(start)
}

/**
 * t:removeComments, reproducing ModSecurity 2.9 exactly:
 * - `/*` and `<!--` open a comment, removed up to `*\/` or `-->`; the byte right after the
 *   terminator is copied without being examined (so `/*a*\/#` keeps the `#`), and when the
 *   terminator ends the input that byte is the C string's terminating NUL, which v2 copies;
 * - outside a comment, `--` or `#` ends the output (everything from there on is removed);
 * - an unterminated comment is replaced by one space.
 */
export function removeComments(input: string): string {
  const n = input.length
  let out = ''
  let start = 0
  let i = 0
  let changed = false
  while (i < n) {
    const c = input.charCodeAt(i)
    if (c === 0x2f && i + 1 < n && input.charCodeAt(i + 1) === 0x2a) {
      out += input.slice(start, i)
      i += 2
    } else if (c === 0x3c && htmlOpen(input, i)) {
      out += input.slice(start, i)
      i += 4
    } else if ((c === 0x2d && i + 1 < n && input.charCodeAt(i + 1) === 0x2d) || c === 0x23) {
      return out + input.slice(start, i)
    } else {
      i++
      continue
    }
    changed = true
    // inside a comment
    let closed = false
    while (i < n) {
      const d = input.charCodeAt(i)
      if (d === 0x2a && i + 1 < n && input.charCodeAt(i + 1) === 0x2f) {
        i += 2
        closed = true
        break
      }
      if (d === 0x2d && i + 2 < n && input.charCodeAt(i + 1) === 0x2d && input.charCodeAt(i + 2) === 0x3e) {
        i += 3
        closed = true
        break
      }
      i++
    }
    if (!closed) return out + ' '
    out += String.fromCharCode(at(input, i)) // copied unexamined (NUL past the end)
    i++
    start = i
  }
  if (!changed) return input
  return start >= n ? out : out + input.slice(start)
}

/** Any comment marker removeCommentsChar deletes (`<!--` and `-->` contain `--`). */
const MARKER = /\/\*|\*\/|--|#/
/**
 * Runs of markers, each tried in the order v2 tries them at one position: leftmost-first
 * alternation with one alternative per first byte (`-->` before `--`) removes exactly what v2's
 * left-to-right scan removes, resuming after each marker as it does; a run of markers (`####`)
 * is one match.
 */
const MARKERS = /(?:\/\*|\*\/|<!--|-->|--|#)+/g

/** t:removeCommentsChar: deletes the comment markers `/*`, `*\/`, `<!--`, `-->`, `--` and `#`. */
export function removeCommentsChar(input: string): string {
  return MARKER.test(input) ? input.replace(MARKERS, '') : input
}
