import type { BinaryString } from '../bytes'
import type { MultipartFlags } from './types'

/** Parts of a multipart body being parsed, and the flag set of the parser (see multipart.ts). */

export interface Part {
  name: BinaryString | undefined
  filename: BinaryString | undefined
  isFile: boolean
  /** field value pieces / file content pieces (content only when kept) */
  pieces: BinaryString[]
  size: number
  counted: boolean
  tmpName: BinaryString
  /** [header name, value] as stored for lookups (values unfolded) */
  headers: [BinaryString, BinaryString][]
  /** raw header lines without their line ending (MULTIPART_PART_HEADERS) */
  lines: BinaryString[]
}

export function newPart(): Part {
  return {
    name: undefined,
    filename: undefined,
    isFile: false,
    pieces: [],
    size: 0,
    counted: false,
    tmpName: '',
    headers: [],
    lines: [],
  }
}

function lowerAscii(s: BinaryString): BinaryString {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    out += c >= 0x41 && c <= 0x5a ? String.fromCharCode(c | 0x20) : s[i]
  }
  return out
}

export function headerIndex(p: Part, name: BinaryString): number {
  const l = lowerAscii(name)
  for (let i = 0; i < p.headers.length; i++) {
    const h = p.headers[i]
    if (h !== undefined && lowerAscii(h[0]) === l) return i
  }
  return -1
}

/** v2 remove_lf_crlf_inplace: drop one trailing "\n" and a "\r" before it */
export function stripLineEnd(s: BinaryString): BinaryString {
  const n = s.length
  if (n > 0 && s.charCodeAt(n - 1) === 0x0a)
    return n > 1 && s.charCodeAt(n - 2) === 0x0d ? s.slice(0, n - 2) : s.slice(0, n - 1)
  return s
}

/** C strlen: bytes before the first NUL */
export function cLen(s: BinaryString): number {
  const z = s.indexOf('\0')
  return z < 0 ? s.length : z
}

export interface Flags {
  error: boolean
  unmatched: boolean
  quoted: boolean
  whitespace: boolean
  dataBefore: boolean
  dataAfter: boolean
  folding: boolean
  lfLine: boolean
  crlfLine: boolean
  missingSemicolon: boolean
  invalidQuoting: boolean
  invalidPart: boolean
  invalidFolding: boolean
  fileLimit: boolean
}

export function newFlags(): Flags {
  return {
    error: false,
    unmatched: false,
    quoted: false,
    whitespace: false,
    dataBefore: false,
    dataAfter: false,
    folding: false,
    lfLine: false,
    crlfLine: false,
    missingSemicolon: false,
    invalidQuoting: false,
    invalidPart: false,
    invalidFolding: false,
    fileLimit: false,
  }
}

/** The MULTIPART_* variables; MULTIPART_STRICT_ERROR is the OR that v2 computes. */
export function flagsOf(f: Flags): MultipartFlags {
  const b = (x: boolean): number => (x ? 1 : 0)
  const strict =
    f.error ||
    f.quoted ||
    f.whitespace ||
    f.dataBefore ||
    f.dataAfter ||
    f.folding ||
    f.lfLine ||
    f.missingSemicolon ||
    f.invalidQuoting ||
    f.invalidPart ||
    f.invalidFolding ||
    f.fileLimit
  return {
    MULTIPART_STRICT_ERROR: b(strict),
    MULTIPART_UNMATCHED_BOUNDARY: b(f.unmatched),
    MULTIPART_BOUNDARY_QUOTED: b(f.quoted),
    MULTIPART_BOUNDARY_WHITESPACE: b(f.whitespace),
    MULTIPART_DATA_BEFORE: b(f.dataBefore),
    MULTIPART_DATA_AFTER: b(f.dataAfter),
    MULTIPART_HEADER_FOLDING: b(f.folding),
    MULTIPART_LF_LINE: b(f.lfLine),
    MULTIPART_CRLF_LF_LINES: b(f.lfLine && f.crlfLine),
    MULTIPART_MISSING_SEMICOLON: b(f.missingSemicolon),
    MULTIPART_INVALID_QUOTING: b(f.invalidQuoting),
    MULTIPART_INVALID_PART: b(f.invalidPart),
    MULTIPART_INVALID_HEADER_FOLDING: b(f.invalidFolding),
    MULTIPART_FILE_LIMIT_EXCEEDED: b(f.fileLimit),
  }
}
