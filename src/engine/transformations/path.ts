import { bytesToBinary } from '../bytes'

const SLASH = 0x2f
const BSLASH = 0x5c
const DOT = 0x2e

/**
 * ModSecurity 2.9's path normaliser (normalise_path_inplace), reproduced step by step because
 * CRS results depend on its exact output: removes `./` and `x/../` segments and repeated
 * slashes, never climbs above the root of an absolute path, keeps leading `../` of a relative
 * path, and drops a trailing slash the input did not have. With win, `\` is treated as `/`
 * (and rewritten to `/`).
 */
function normalise(input: string, win: boolean): string {
  const n = input.length
  if (n === 0) return input
  // without a slash (or backslash) and a dot nothing below can change: no copy needed
  let f = 0
  while (f < n) {
    const c = input.charCodeAt(f)
    if (c === SLASH || c === DOT || (win && c === BSLASH)) break
    f++
  }
  if (f === n) return input
  if (SCRATCH.length < n) SCRATCH = new Uint8Array(Math.max(n, 2 * SCRATCH.length))
  const b = SCRATCH
  for (let k = 0; k < n; k++) b[k] = input.charCodeAt(k)
  const get = (k: number): number => (k < n ? (b[k] ?? 0) : 0)
  const end = n - 1
  const first = get(0)
  const last = get(end)
  const relative = !(first === SLASH || (win && first === BSLASH))
  const trailing = last === SLASH || (win && last === BSLASH)
  let src = 0
  let dst = 0
  let ldst = 1
  let hitroot = false
  let done = false

  while (!done && src <= end && dst <= end) {
    if (win) {
      if (get(src) === BSLASH) b[src] = SLASH
      if (src < end && get(src + 1) === BSLASH) b[src + 1] = SLASH
    }
    let skipCopy = false
    let normalize = true
    if (src === end) done = true
    else if (get(src + 1) !== SLASH) normalize = false

    if (normalize) {
      const c = get(src)
      if (src !== end && c === SLASH) {
        // empty segment: the copy below collapses the slashes
      } else if (c === DOT) {
        if (dst > 0 && get(dst - 1) === DOT) {
          // back-reference
          if (relative && (hitroot || dst - 2 <= 0)) {
            hitroot = true
          } else {
            dst -= 3
            while (dst > 0 && get(dst) !== SLASH) dst--
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
        } else if (get(dst - 1) === SLASH) {
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
      if (get(src) === SLASH) {
        while (src < end && (get(src + 1) === SLASH || (win && get(src + 1) === BSLASH))) src++
        if (relative && dst === 0) {
          src++
          copy = false
        }
      }
      if (copy) b[dst++] = get(src++)
    }
    ldst = dst
  }
  if (!trailing && dst > 0 && get(dst - 1) === SLASH) {
    ldst--
    dst--
  }
  const len = Math.max(ldst, 0)
  if (len === n) {
    let same = true
    for (let k = 0; k < n && same; k++) same = b[k] === input.charCodeAt(k)
    if (same) return input
  }
  return bytesToBinary(b.slice(0, len))
}

/** the working copy of the path (one synchronous call at a time; grows, never shrinks) */
let SCRATCH = new Uint8Array(256)

/** t:normalisePath (alias normalizePath): removes multiple slashes and ./ ../ segments. */
export function normalisePath(input: string): string {
  return normalise(input, false)
}

/** t:normalisePathWin (alias normalizePathWin): normalisePath after `\` -> `/`. */
export function normalisePathWin(input: string): string {
  return normalise(input, true)
}
