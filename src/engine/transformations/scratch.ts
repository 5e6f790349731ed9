import { bytesToBinary } from '../bytes'

/**
 * One reusable output buffer for the transformations that write bytes (one synchronous call at a
 * time; it grows, never shrinks). A new Uint8Array over 64 bytes is an off-heap allocation in
 * V8 (~350 ns, measured), more than the work of most transformations on a header value.
 */
let BUF = new Uint8Array(4096)

/** A buffer of at least n bytes (its contents are garbage: write before reading). */
export function scratch(n: number): Uint8Array {
  if (BUF.length < n) BUF = new Uint8Array(Math.max(n, 2 * BUF.length))
  return BUF
}

/** The first n bytes of the buffer as a binary string. */
export function scratchString(n: number): string {
  return bytesToBinary(BUF.subarray(0, n))
}
