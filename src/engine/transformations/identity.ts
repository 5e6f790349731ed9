import type { BinaryString } from '../bytes'

/**
 * When a transformation cannot change a value: most of CRS's transformation calls on benign
 * requests return their input (urlDecodeUni on a value without `%` or `+`, htmlEntityDecode
 * without `&`...; 325 of the 366 calls of the benchmark GET). The evaluator keeps, per value,
 * the set of byte classes below that occur in it (computed once per value, tx-scratch.ts), and
 * skips a transformation whose trigger classes (IDENTITY_UNLESS) are all absent: its result is
 * the input. Each entry is checked against the implementation by a property test
 * (identity.test.ts: random values without the trigger classes come back unchanged).
 * Transformations without an entry always run.
 */
export const CLS = {
  UPPER: 1,
  PCT: 2,
  PLUS: 4,
  AMP: 8,
  BSL: 16,
  NUL: 32,
  HIGH: 64,
  SP: 128,
  /** HT LF VT FF CR */
  WSX: 256,
  SLASH: 512,
  STAR: 1024,
  DASH: 2048,
  HASH: 4096,
  DOT: 8192,
  /** `"` `'` */
  QUOTE: 16384,
  /** `^` `,` `;` */
  CMD: 32768,
} as const

/** the classes of each byte (0: none) */
export const BYTE_CLASSES: Uint16Array = (() => {
  const t = new Uint16Array(256)
  for (let c = 0x41; c <= 0x5a; c++) t[c] = CLS.UPPER
  for (let c = 0x80; c <= 0xff; c++) t[c] = CLS.HIGH
  for (let c = 0x09; c <= 0x0d; c++) t[c] = CLS.WSX
  const one: [string, number][] = [
    ['%', CLS.PCT],
    ['+', CLS.PLUS],
    ['&', CLS.AMP],
    ['\\', CLS.BSL],
    ['\0', CLS.NUL],
    [' ', CLS.SP],
    ['/', CLS.SLASH],
    ['*', CLS.STAR],
    ['-', CLS.DASH],
    ['#', CLS.HASH],
    ['.', CLS.DOT],
    ['"', CLS.QUOTE],
    ["'", CLS.QUOTE],
    ['^', CLS.CMD],
    [',', CLS.CMD],
    [';', CLS.CMD],
  ]
  for (const [ch, cls] of one) t[ch.charCodeAt(0)] = cls
  return t
})()

/** The union of the classes of a value's bytes. */
export function classesOf(s: BinaryString): number {
  let m = 0
  for (let i = 0; i < s.length; i++) m |= BYTE_CLASSES[s.charCodeAt(i) & 0xff] as number
  return m
}

const WS = CLS.SP | CLS.WSX

/** By transformation name: the classes without which it returns its input unchanged. */
export const IDENTITY_UNLESS: Readonly<Record<string, number>> = {
  urlDecode: CLS.PCT | CLS.PLUS,
  urlDecodeUni: CLS.PCT | CLS.PLUS,
  lowercase: CLS.UPPER,
  htmlEntityDecode: CLS.AMP,
  jsDecode: CLS.BSL,
  cssDecode: CLS.BSL,
  removeNulls: CLS.NUL,
  replaceNulls: CLS.NUL,
  utf8toUnicode: CLS.NUL | CLS.HIGH,
  removeWhitespace: WS | CLS.HIGH,
  compressWhitespace: WS | CLS.HIGH,
  trim: WS,
  trimLeft: WS,
  trimRight: WS,
  replaceComments: CLS.SLASH,
  removeCommentsChar: CLS.SLASH | CLS.STAR | CLS.DASH | CLS.HASH,
  normalisePath: CLS.SLASH | CLS.DOT,
  normalisePathWin: CLS.SLASH | CLS.BSL | CLS.DOT,
  cmdLine: CLS.NUL | CLS.QUOTE | CLS.BSL | CLS.CMD | WS | CLS.UPPER,
}
