import type { TransformationDef, TransformFn } from './types'
import { base64Decode, base64DecodeExt, base64Encode } from './base64'
import { lowercase, uppercase } from './case'
import { cmdLine } from './cmd-line'
import { removeComments, removeCommentsChar, replaceComments } from './comments'
import { escapeSeqDecode } from './escape-seq'
import { md5, sha1 } from './hash'
import { hexDecode, hexEncode, sqlHexDecode } from './hex'
import { htmlEntityDecode } from './html'
import { cssDecode, jsDecode } from './js-css'
import { length, none } from './misc'
import { removeNulls, replaceNulls } from './nulls'
import { parityEven7bit, parityOdd7bit, parityZero7bit } from './parity'
import { normalisePath, normalisePathWin } from './path'
import { urlDecode, urlDecodeUni, urlEncode } from './url'
import { utf8toUnicode } from './utf8'
import { compressWhitespace, removeWhitespace, trim, trimLeft, trimRight } from './whitespace'

export { parseUnicodeMap } from './unicode-map'

function def(name: string, fn: TransformFn, doc: string): TransformationDef {
  return { name, fn, doc }
}

/**
 * The transformation registry, keyed by canonical SecLang name (the Reference Manual's
 * spelling). Semantics are ModSecurity 2.9.7's, byte for byte (verified against recorded
 * vectors in test/vectors/transformations). Rule names are matched case-insensitively, as v2
 * does: resolve them with TRANSFORMATION_ALIASES / resolveTransformation().
 */
export const TRANSFORMATIONS: Record<string, TransformationDef> = {
  base64Decode: def('base64Decode', base64Decode, 'Base64-decodes the leading run of base64 digits (APR).'),
  base64DecodeExt: def('base64DecodeExt', base64DecodeExt, 'Forgiving base64 decode: skips invalid bytes.'),
  base64Encode: def('base64Encode', base64Encode, 'Base64-encodes (with = padding).'),
  cmdLine: def('cmdLine', cmdLine, 'Command-line normalisation; stops at the first NUL like v2.'),
  compressWhitespace: def(
    'compressWhitespace',
    compressWhitespace,
    'Whitespace runs (incl. 0xA0) -> one space.',
  ),
  cssDecode: def('cssDecode', cssDecode, 'CSS 2 escapes -> bytes (last two hex digits, full-width fix).'),
  escapeSeqDecode: def('escapeSeqDecode', escapeSeqDecode, 'ANSI C escape sequences -> bytes.'),
  hexDecode: def('hexDecode', hexDecode, 'Pairs of hex digits -> bytes (unvalidated, odd byte dropped).'),
  hexEncode: def('hexEncode', hexEncode, 'Bytes -> lowercase hex.'),
  htmlEntityDecode: def(
    'htmlEntityDecode',
    htmlEntityDecode,
    'Numeric entities and quot/amp/lt/gt/nbsp -> bytes.',
  ),
  jsDecode: def('jsDecode', jsDecode, 'JavaScript escapes -> bytes (\\uHHHH: low byte, full-width fix).'),
  length: def('length', length, 'Byte length as a decimal string.'),
  lowercase: def('lowercase', lowercase, 'ASCII A-Z -> a-z only.'),
  md5: def('md5', md5, 'Raw 16-byte MD5 digest.'),
  none: def('none', none, 'No change; in a rule, clears the inherited transformations.'),
  normalisePath: def('normalisePath', normalisePath, 'Removes //, ./ and x/../ path segments.'),
  normalisePathWin: def('normalisePathWin', normalisePathWin, 'normalisePath after \\ -> /.'),
  parityEven7bit: def('parityEven7bit', parityEven7bit, 'Even parity in bit 7 (v2: parity over 8 bits).'),
  parityOdd7bit: def('parityOdd7bit', parityOdd7bit, 'Odd parity in bit 7 (v2: parity over 8 bits).'),
  parityZero7bit: def('parityZero7bit', parityZero7bit, 'Clears bit 7.'),
  removeComments: def(
    'removeComments',
    removeComments,
    'Removes /* */ and <!-- --> comments; cuts at -- or #.',
  ),
  removeCommentsChar: def(
    'removeCommentsChar',
    removeCommentsChar,
    'Removes comment markers /* */ <!-- --> -- #.',
  ),
  removeNulls: def('removeNulls', removeNulls, 'Removes NUL bytes.'),
  removeWhitespace: def('removeWhitespace', removeWhitespace, 'Removes HT LF VT FF CR SP and 0xA0.'),
  replaceComments: def('replaceComments', replaceComments, '/* ... */ (also unterminated) -> one space.'),
  replaceNulls: def('replaceNulls', replaceNulls, 'NUL bytes -> spaces.'),
  sha1: def('sha1', sha1, 'Raw 20-byte SHA-1 digest.'),
  sqlHexDecode: def('sqlHexDecode', sqlHexDecode, 'SQL 0xHEX literals -> bytes.'),
  trim: def('trim', trim, 'Removes leading and trailing HT LF VT FF CR SP.'),
  trimLeft: def('trimLeft', trimLeft, 'Removes leading HT LF VT FF CR SP.'),
  trimRight: def('trimRight', trimRight, 'Removes trailing HT LF VT FF CR SP.'),
  uppercase: def('uppercase', uppercase, 'ASCII a-z -> A-Z only. libModSecurity v3 addition, not in v2.'),
  urlDecode: def('urlDecode', urlDecode, '%HH and + decoding; invalid % sequences kept.'),
  urlDecodeUni: def('urlDecodeUni', urlDecodeUni, 'urlDecode plus IIS %uHHHH (unicode map or low byte).'),
  urlEncode: def('urlEncode', urlEncode, 'URL-encodes all but * 0-9 A-Z a-z; space -> +.'),
  utf8toUnicode: def(
    'utf8toUnicode',
    utf8toUnicode,
    'UTF-8 sequences -> %uHHHH; v2 handling of invalid bytes.',
  ),
}

/**
 * Transformations without a byte-exact implementation, with the reason. The coverage test
 * requires every registry key to have recorded vectors or an entry here. Empty: all are done.
 */
export const NOT_IMPLEMENTED: Readonly<Record<string, string>> = {}

/** ASCII-only lower-casing (rule text; never request data). */
function asciiLower(s: string): string {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    out += c >= 0x41 && c <= 0x5a ? String.fromCharCode(c + 0x20) : s.charAt(i)
  }
  return out
}

/**
 * Lower-cased transformation name -> canonical registry key. ModSecurity 2.9 keeps its
 * transformations in an APR table, whose lookups are case-insensitive, so `t:URLDECODE`,
 * `t:cmdline` (v2's own spelling) and `t:Utf8toUnicode` (ditto) all work; verified on 2.9.7.
 * normalizePath / normalizePathWin are v2's alternative spellings.
 */
export const TRANSFORMATION_ALIASES: Readonly<Record<string, string>> = (() => {
  const aliases: Record<string, string> = {}
  for (const name of Object.keys(TRANSFORMATIONS)) aliases[asciiLower(name)] = name
  aliases['normalizepath'] = 'normalisePath'
  aliases['normalizepathwin'] = 'normalisePathWin'
  return aliases
})()

/** The transformation a rule's `t:name` refers to (case-insensitive), or undefined. */
export function resolveTransformation(name: string): TransformationDef | undefined {
  const canonical = TRANSFORMATION_ALIASES[asciiLower(name)]
  return canonical === undefined ? undefined : TRANSFORMATIONS[canonical]
}
