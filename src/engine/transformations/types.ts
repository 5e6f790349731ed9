import type { BinaryString } from '../bytes'

/** Configuration a transformation may depend on (linked once per isolate from the bundle). */
export interface TransformEnv {
  /** SecUnicodeMapFile table for the configured code page (t:urlDecodeUni): code point -> byte */
  unicodeMap?: ReadonlyMap<number, number>
}

/**
 * A transformation: binary string in, binary string out (one char per byte, see bytes.ts).
 * Returns the input itself (same reference) when nothing changes. Total: never throws.
 */
export type TransformFn = (input: BinaryString, env: TransformEnv) => BinaryString

export interface TransformationDef {
  /** canonical SecLang name, e.g. "urlDecodeUni" */
  name: string
  fn: TransformFn
  /** one line: what it does, in the Reference Manual's terms, and where we differ (if ever) */
  doc: string
}
