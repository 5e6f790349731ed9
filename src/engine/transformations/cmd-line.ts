/**
 * t:cmdLine (v2 registers it as `cmdline`; names are case-insensitive), as ModSecurity 2.9:
 * processing stops at the first NUL byte (v2 loops over a C string), `\ " ' ^` are deleted,
 * runs of space , ; HT CR LF become one space, a space before `/` or `(` is dropped, every
 * other byte is lowercased (ASCII only).
 */
export function cmdLine(input: string): string {
  const n = input.length
  let out = ''
  let space = false
  for (let i = 0; i < n; i++) {
    const c = input.charCodeAt(i)
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
        if (!space) {
          out += ' '
          space = true
        }
        break
      case 0x2f: // /
      case 0x28: // (
        if (space) out = out.slice(0, -1)
        space = false
        out += input.charAt(i)
        break
      default:
        out += c >= 0x41 && c <= 0x5a ? String.fromCharCode(c + 0x20) : input.charAt(i)
        space = false
    }
  }
  return out === input ? input : out
}
