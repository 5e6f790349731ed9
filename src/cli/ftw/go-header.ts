/**
 * go-ftw's request header list (ftwhttp/header.go): an ordered list of [name, value] where
 * lookups compare names after Go's textproto.CanonicalMIMEHeaderKey. Names and values are
 * binary strings (UTF-8 bytes of the YAML text).
 */

function isTokenByte(c: number): boolean {
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return true
  return "!#$%&'*+-.^_`|~".includes(String.fromCharCode(c))
}

/** textproto.CanonicalMIMEHeaderKey: "content-type" -> "Content-Type"; a name with a non-token byte is returned unchanged. */
export function canonicalHeaderKey(name: string): string {
  for (let i = 0; i < name.length; i++) if (!isTokenByte(name.charCodeAt(i))) return name
  let out = ''
  let upper = true
  for (let i = 0; i < name.length; i++) {
    let c = name.charCodeAt(i)
    if (upper && c >= 0x61 && c <= 0x7a) c -= 32
    else if (!upper && c >= 0x41 && c <= 0x5a) c += 32
    out += String.fromCharCode(c)
    upper = c === 0x2d
  }
  return out
}

export class GoHeaderList {
  readonly entries: [string, string][] = []

  add(name: string, value: string): void {
    this.entries.push([name, value])
  }

  hasAny(name: string): boolean {
    const k = canonicalHeaderKey(name)
    for (const [n] of this.entries) if (canonicalHeaderKey(n) === k) return true
    return false
  }

  /** HasAnyValue: a header of that name whose value equals `value` ignoring ASCII case (strings.EqualFold) */
  hasAnyValue(name: string, value: string): boolean {
    const k = canonicalHeaderKey(name)
    const v = value.toLowerCase()
    for (const [n, val] of this.entries) if (canonicalHeaderKey(n) === k && asciiLower(val) === v) return true
    return false
  }

  /** HasAnyValueContaining: a header of that name whose lower-cased value contains `needle` */
  hasAnyValueContaining(name: string, needle: string): boolean {
    const k = canonicalHeaderKey(name)
    const v = needle.toLowerCase()
    for (const [n, val] of this.entries)
      if (canonicalHeaderKey(n) === k && asciiLower(val).includes(v)) return true
    return false
  }
}

/** ASCII-only lower case (binary strings must not be folded as Latin-1) */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase())
}
