import { scratch, scratchString } from './scratch'

const SLASH = 0x2f
const BSLASH = 0x5c
const DOT = 0x2e

/**
 * True when normalise(input) is input itself, decided without running it (n > 0). The
 * normaliser only acts on a byte followed by `/` or on the last byte. Without `\` (win), `//`
 * and `./`, nothing is removed, so the output is the input (every byte is copied to the same
 * place) unless the last byte is a `.` that ends the input as `.`, `..` or `/.` (self- or
 * back-reference at the end). Anything else goes through the full normaliser.
 */
function unchanged(input: string, win: boolean): boolean {
  if (win && input.indexOf('\\') >= 0) return false
  if (input.indexOf('/') >= 0 && (input.indexOf('//') >= 0 || input.indexOf('./') >= 0)) return false
  const n = input.length
  if (input.charCodeAt(n - 1) !== DOT) return true
  if (n === 1) return false
  const p = input.charCodeAt(n - 2)
  return p !== DOT && p !== SLASH
}

/**
 * ModSecurity 2.9's path normaliser (normalise_path_inplace), reproduced step by step because
 * CRS results depend on its exact output: removes `./` and `x/../` segments and repeated
 * slashes, never climbs above the root of an absolute path, keeps leading `../` of a relative
 * path, and drops a trailing slash the input did not have. With win, `\` is treated as `/`
 * (and rewritten to `/`). Works in the scratch buffer; the byte after the input is a NUL
 * (v2's C string terminator), and no index past it is read.
 */
function normalise(input: string, win: boolean): string {
  const n = input.length
  if (n === 0 || unchanged(input, win)) return input
  const b = scratch(n + 1)
  for (let k = 0; k < n; k++) b[k] = input.charCodeAt(k)
  b[n] = 0
  const end = n - 1
  const first = b[0] ?? 0
  const last = b[end] ?? 0
  const relative = !(first === SLASH || (win && first === BSLASH))
  const trailing = last === SLASH || (win && last === BSLASH)
  let src = 0
  let dst = 0
  let ldst = 1
  let hitroot = false
  let done = false

  while (!done && src <= end && dst <= end) {
    if (win) {
      if ((b[src] ?? 0) === BSLASH) b[src] = SLASH
      if (src < end && (b[src + 1] ?? 0) === BSLASH) b[src + 1] = SLASH
    }
    let skipCopy = false
    let normalize = true
    if (src === end) done = true
    else if ((b[src + 1] ?? 0) !== SLASH) normalize = false

    if (normalize) {
      const c = b[src] ?? 0
      if (src !== end && c === SLASH) {
        // empty segment: the copy below collapses the slashes
      } else if (c === DOT) {
        if (dst > 0 && (b[dst - 1] ?? 0) === DOT) {
          // back-reference
          if (relative && (hitroot || dst - 2 <= 0)) {
            hitroot = true
          } else {
            dst -= 3
            while (dst > 0 && (b[dst] ?? 0) !== SLASH) dst--
            if (dst <= 0) {
              hitroot = true
              dst = 0
              if (!relative && src === end) dst++
            }
            if (done) skipCopy = true
            else src++
          }
        } else if (dst === 0) {
          // relative self-reference
          if (done) skipCopy = true
          else src++
        } else if ((b[dst - 1] ?? 0) === SLASH) {
          // self-reference
          if (done) skipCopy = true
          else {
            dst--
            src++
          }
        }
      } else if (dst > 0) hitroot = false
    }

    if (!skipCopy) {
      let copy = true
      if ((b[src] ?? 0) === SLASH) {
        while (src < end && ((b[src + 1] ?? 0) === SLASH || (win && (b[src + 1] ?? 0) === BSLASH))) src++
        if (relative && dst === 0) {
          src++
          copy = false
        }
      }
      if (copy) b[dst++] = b[src++] ?? 0
    }
    ldst = dst
  }
  if (!trailing && dst > 0 && (b[dst - 1] ?? 0) === SLASH) {
    ldst--
    dst--
  }
  const len = Math.max(ldst, 0)
  if (len === n) {
    let same = true
    for (let k = 0; k < n && same; k++) same = b[k] === input.charCodeAt(k)
    if (same) return input
  }
  return scratchString(len)
}

/** t:normalisePath (alias normalizePath): removes multiple slashes and ./ ../ segments. */
export function normalisePath(input: string): string {
  return normalise(input, false)
}

/** t:normalisePathWin (alias normalizePathWin): normalisePath after `\` -> `/`. */
export function normalisePathWin(input: string): string {
  return normalise(input, true)
}
