/**
 * Synchronous MD5 and SHA-1 over binary strings (WebCrypto's digest() is async and the
 * transformation pipeline is synchronous). Outputs are the raw digests as binary strings
 * (16 / 20 bytes), like v2's t:md5 / t:sha1; CRS follows them with t:hexEncode.
 */

/**
 * Reused between calls (one synchronous call at a time; grows, never shrinks): typed arrays over
 * 64 bytes are off-heap allocations, dearer than hashing a short value.
 */
let WORDS = new Int32Array(256)
const SHA1_SCHEDULE = new Int32Array(80)

/**
 * Message bytes + padding, as 32-bit words (little- or big-endian), in WORDS; returns the
 * number of words (a multiple of 16).
 */
function padWords(s: string, bigEndian: boolean): number {
  const n = s.length
  const count = (((n + 8) >>> 6) + 1) * 16
  if (WORDS.length < count) WORDS = new Int32Array(Math.max(count, 2 * WORDS.length))
  const words = WORDS
  words.fill(0, 0, count)
  for (let i = 0; i < n; i++) {
    const shift = bigEndian ? 24 - (i & 3) * 8 : (i & 3) * 8
    words[i >> 2] = (words[i >> 2] ?? 0) | ((s.charCodeAt(i) & 0xff) << shift)
  }
  const shift = bigEndian ? 24 - (n & 3) * 8 : (n & 3) * 8
  words[n >> 2] = (words[n >> 2] ?? 0) | (0x80 << shift)
  const bitsLo = (n << 3) | 0
  const bitsHi = Math.floor(n / 0x20000000) | 0
  const last = count - 1
  if (bigEndian) {
    words[last - 1] = bitsHi
    words[last] = bitsLo
  } else {
    words[last - 1] = bitsLo
    words[last] = bitsHi
  }
  return count
}

function wordsToBinary(words: number[], bigEndian: boolean): string {
  let out = ''
  for (const w of words) {
    if (bigEndian)
      out += String.fromCharCode((w >>> 24) & 0xff, (w >>> 16) & 0xff, (w >>> 8) & 0xff, w & 0xff)
    else out += String.fromCharCode(w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, (w >>> 24) & 0xff)
  }
  return out
}

const MD5_S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21]
const MD5_K = new Int32Array(64)
for (let i = 0; i < 64; i++) MD5_K[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 0x100000000) | 0

/** t:md5: the 16-byte MD5 digest (RFC 1321). */
export function md5(input: string): string {
  const count = padWords(input, false)
  const w = WORDS
  let a0 = 0x67452301
  let b0 = 0xefcdab89 | 0
  let c0 = 0x98badcfe | 0
  let d0 = 0x10325476
  for (let off = 0; off < count; off += 16) {
    let a = a0
    let b = b0
    let c = c0
    let d = d0
    for (let i = 0; i < 64; i++) {
      let f: number
      let g: number
      if (i < 16) {
        f = (b & c) | (~b & d)
        g = i
      } else if (i < 32) {
        f = (d & b) | (~d & c)
        g = (5 * i + 1) & 15
      } else if (i < 48) {
        f = b ^ c ^ d
        g = (3 * i + 5) & 15
      } else {
        f = c ^ (b | ~d)
        g = (7 * i) & 15
      }
      const s = MD5_S[(i >> 4) * 4 + (i & 3)] ?? 0
      const x = (a + f + (MD5_K[i] ?? 0) + (w[off + g] ?? 0)) | 0
      a = d
      d = c
      c = b
      b = (b + ((x << s) | (x >>> (32 - s)))) | 0
    }
    a0 = (a0 + a) | 0
    b0 = (b0 + b) | 0
    c0 = (c0 + c) | 0
    d0 = (d0 + d) | 0
  }
  return wordsToBinary([a0, b0, c0, d0], false)
}

/** t:sha1: the 20-byte SHA-1 digest (FIPS 180-4). */
export function sha1(input: string): string {
  const count = padWords(input, true)
  const w = WORDS
  const m = SHA1_SCHEDULE
  let h0 = 0x67452301
  let h1 = 0xefcdab89 | 0
  let h2 = 0x98badcfe | 0
  let h3 = 0x10325476
  let h4 = 0xc3d2e1f0 | 0
  for (let off = 0; off < count; off += 16) {
    for (let t = 0; t < 16; t++) m[t] = w[off + t] ?? 0
    for (let t = 16; t < 80; t++) {
      const x = (m[t - 3] ?? 0) ^ (m[t - 8] ?? 0) ^ (m[t - 14] ?? 0) ^ (m[t - 16] ?? 0)
      m[t] = (x << 1) | (x >>> 31)
    }
    let a = h0
    let b = h1
    let c = h2
    let d = h3
    let e = h4
    for (let t = 0; t < 80; t++) {
      let f: number
      let k: number
      if (t < 20) {
        f = (b & c) | (~b & d)
        k = 0x5a827999
      } else if (t < 40) {
        f = b ^ c ^ d
        k = 0x6ed9eba1
      } else if (t < 60) {
        f = (b & c) | (b & d) | (c & d)
        k = 0x8f1bbcdc | 0
      } else {
        f = b ^ c ^ d
        k = 0xca62c1d6 | 0
      }
      const tmp = (((a << 5) | (a >>> 27)) + f + e + k + (m[t] ?? 0)) | 0
      e = d
      d = c
      c = (b << 30) | (b >>> 2)
      b = a
      a = tmp
    }
    h0 = (h0 + a) | 0
    h1 = (h1 + b) | 0
    h2 = (h2 + c) | 0
    h3 = (h3 + d) | 0
    h4 = (h4 + e) | 0
  }
  return wordsToBinary([h0, h1, h2, h3, h4], true)
}
