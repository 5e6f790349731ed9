/**
 * Parser for SecUnicodeMapFile content (ModSecurity's unicode.mapping), pure, for the compiler
 * to run at build time; the result goes to TransformEnv.unicodeMap for t:urlDecodeUni.
 *
 * Reproduces v2's loader (SecUnicodeMapFile <file> <codePage>):
 * - the table starts with the IDNA full stops U+3002, U+FF0E, U+FF61 and U+002E mapped to `.`
 *   (RFC 3490 3.1), which the file may override;
 * - the file is split into tokens on space, tab, CR and LF; a token whose leading decimal
 *   number (C atol()) equals the code page starts the section; from there every `hex:hex`
 *   token maps a code point to a byte, and the first token without `:` after at least one
 *   mapping ends it. Code points above U+FFFF are ignored (v2 only looks up 4-digit %u escapes).
 * Returns the map code point -> byte value (the low byte is what t:urlDecodeUni emits).
 */
export function parseUnicodeMap(text: string, codePage: number): Map<number, number> {
  const map = new Map<number, number>([
    [0x3002, 0x2e],
    [0xff61, 0x2e],
    [0xff0e, 0x2e],
    [0x002e, 0x2e],
  ])
  let found = false
  let processing = false
  const tokens = text.split(/[ \t\r\n]+/)
  for (const tok of tokens) {
    if (tok.length === 0) continue
    if (atol(tok) === codePage) found = true
    const colon = tok.indexOf(':')
    if (found && colon >= 0) {
      processing = true
      const code = scanHex(tok.slice(0, colon))
      const value = scanHex(tok.slice(colon + 1))
      if (code !== undefined && value !== undefined && code >= 0 && code <= 0xffff) map.set(code, value)
    }
    if (processing && colon < 0) break
  }
  return map
}

/** C atol(): optional sign, then decimal digits; 0 when there are none. */
function atol(s: string): number {
  let i = 0
  let sign = 1
  if (s[0] === '+' || s[0] === '-') {
    sign = s[0] === '-' ? -1 : 1
    i++
  }
  let v = 0
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x30 || c > 0x39) break
    v = v * 10 + (c - 0x30)
  }
  return sign * v
}

/** sscanf("%x"): optional 0x prefix then hex digits; undefined when there are none. */
function scanHex(s: string): number | undefined {
  const m = /^[+-]?(?:0[xX])?([0-9a-fA-F]+)/.exec(s)
  if (m === null || m[1] === undefined) return undefined
  const v = parseInt(m[1], 16)
  return s.startsWith('-') ? -v : v
}
