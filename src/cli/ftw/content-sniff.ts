/**
 * The Content-Type Go's net/http sets on a response whose handler did not set one
 * (http.DetectContentType, the WHATWG MIME sniffing algorithm). albedo relies on it, so the
 * CRS response tests see e.g. "text/html; charset=utf-8" for an HTML body and
 * "text/plain; charset=utf-8" for text - which decides whether the response body is inspected
 * (SecResponseBodyMimeType). Covered: the HTML, XML, PDF, PostScript, BOM-text, common image /
 * archive signatures, and the text-vs-binary decision; anything else is application/octet-stream.
 */

const HTML_TAGS = [
  '<!DOCTYPE HTML',
  '<HTML',
  '<HEAD',
  '<SCRIPT',
  '<IFRAME',
  '<H1',
  '<DIV',
  '<FONT',
  '<TABLE',
  '<A',
  '<STYLE',
  '<TITLE',
  '<B',
  '<BODY',
  '<BR',
  '<P',
  '<!--',
]

const EXACT: [string, string][] = [
  ['%PDF-', 'application/pdf'],
  ['%!PS-Adobe-', 'application/postscript'],
  ['\xFE\xFF', 'text/plain; charset=utf-16be'],
  ['\xFF\xFE', 'text/plain; charset=utf-16le'],
  ['\xEF\xBB\xBF', 'text/plain; charset=utf-8'],
  ['GIF87a', 'image/gif'],
  ['GIF89a', 'image/gif'],
  ['\x89PNG\x0D\x0A\x1A\x0A', 'image/png'],
  ['\xFF\xD8\xFF', 'image/jpeg'],
  ['BM', 'image/bmp'],
  ['PK\x03\x04', 'application/zip'],
  ['\x1F\x8B\x08', 'application/x-gzip'],
  ['\x00\x00\x01\x00', 'image/x-icon'],
]

function isWs(c: number): boolean {
  return c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d || c === 0x20
}

function isBinaryByte(c: number): boolean {
  return c <= 0x08 || c === 0x0b || (c >= 0x0e && c <= 0x1a) || (c >= 0x1c && c <= 0x1f)
}

/** `body` is a binary string; only its first 512 bytes are considered, as in Go */
export function detectContentType(body: string): string {
  const data = body.slice(0, 512)
  let i = 0
  while (i < data.length && isWs(data.charCodeAt(i))) i++
  const head = data.slice(i)
  const upper = head.replace(/[a-z]+/g, (m) => m.toUpperCase())
  for (const tag of HTML_TAGS) {
    if (!upper.startsWith(tag)) continue
    // a tag must be followed by a space or '>' (the comment opener by anything)
    if (tag === '<!--') return 'text/html; charset=utf-8'
    const next = head.charCodeAt(tag.length)
    if (next === 0x20 || next === 0x3e) return 'text/html; charset=utf-8'
  }
  if (head.startsWith('<?xml')) return 'text/xml; charset=utf-8'
  for (const [sig, type] of EXACT) if (data.startsWith(sig)) return type
  for (let j = 0; j < data.length; j++)
    if (isBinaryByte(data.charCodeAt(j))) return 'application/octet-stream'
  return 'text/plain; charset=utf-8'
}
