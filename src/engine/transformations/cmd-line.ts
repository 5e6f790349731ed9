import { scratch, scratchString } from './scratch'

/**
 * t:cmdLine (v2 registers it as `cmdline`; names are case-insensitive), as ModSecurity 2.9:
 * processing stops at the first NUL byte (v2 loops over a C string), `\ " ' ^` are deleted,
 * runs of space , ; HT CR LF become one space, a space before `/` or `(` is dropped, every
 * other byte is lowercased (ASCII only).
 */
export function cmdLine(input: string): string {
  const n = input.length
  // most values contain nothing cmdLine changes: answer them without building a copy
  let f = 0
  while (f < n && !CHANGES[input.charCodeAt(f) & 0xff]) f++
  if (f === n) return input
  const out = scratch(n + 1)
  let j = 0
  // A space is emitted lazily: v2 writes it and takes it back when `/` or `(` follows.
  let space = false
  for (let i = 0; i < n; i++) {
    const c = input.charCodeAt(i) & 0xff
    if (c === 0) break
    switch (c) {
      case 0x22: // "
      case 0x27: // '
      case 0x5c: // \
      case 0x5e: // ^
        break
      case 0x20:
      case 0x2c: // ,
      case 0x3b: // ;
      case 0x09:
      case 0x0d:
      case 0x0a:
        space = true
        break
      case 0x2f: // /
      case 0x28: // (
        space = false
        out[j++] = c
        break
      default:
        if (space) out[j++] = 0x20
        space = false
        out[j++] = c >= 0x41 && c <= 0x5a ? c + 0x20 : c
    }
  }
  if (space) out[j++] = 0x20
  const s = scratchString(j)
  return s === input ? input : s
}

/** Bytes that can make cmdLine's output differ from its input (NUL, deleted, spacing, A-Z). */
const CHANGES = (() => {
  const t = new Uint8Array(256)
  for (const c of [0x00, 0x22, 0x27, 0x5c, 0x5e, 0x20, 0x2c, 0x3b, 0x09, 0x0d, 0x0a]) t[c] = 1
  for (let c = 0x41; c <= 0x5a; c++) t[c] = 1
  return t
})()
