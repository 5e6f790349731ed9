import { isCSpace, isSpaceOrNbsp } from './chars'

/**
 * t:compressWhitespace: every run of whitespace (C isspace(): HT LF VT FF CR SP, plus NBSP 0xA0)
 * becomes one space, at the ends too.
 */
export function compressWhitespace(input: string): string {
  const n = input.length
  let out = ''
  let start = 0
  let changed = false
  for (let i = 0; i < n;) {
    const c = input.charCodeAt(i)
    if (!isSpaceOrNbsp(c)) {
      i++
      continue
    }
    let j = i + 1
    while (j < n && isSpaceOrNbsp(input.charCodeAt(j))) j++
    if (j - i > 1 || c !== 0x20) changed = true
    out += input.slice(start, i) + ' '
    i = j
    start = j
  }
  if (!changed) return input
  return out + input.slice(start)
}

/** t:removeWhitespace: removes every HT LF VT FF CR SP and NBSP (0xA0) byte. */
export function removeWhitespace(input: string): string {
  const n = input.length
  let out = ''
  let start = 0
  for (let i = 0; i < n; i++) {
    if (!isSpaceOrNbsp(input.charCodeAt(i))) continue
    out += input.slice(start, i)
    start = i + 1
  }
  if (start === 0) return input
  return out + input.slice(start)
}

/** t:trimLeft: removes leading C isspace() bytes (HT LF VT FF CR SP; not NBSP). */
export function trimLeft(input: string): string {
  let i = 0
  while (i < input.length && isCSpace(input.charCodeAt(i))) i++
  return i === 0 ? input : input.slice(i)
}

/** t:trimRight: removes trailing C isspace() bytes (HT LF VT FF CR SP; not NBSP). */
export function trimRight(input: string): string {
  let i = input.length
  while (i > 0 && isCSpace(input.charCodeAt(i - 1))) i--
  return i === input.length ? input : input.slice(0, i)
}

/** t:trim: trimLeft + trimRight. */
export function trim(input: string): string {
  return trimRight(trimLeft(input))
}
