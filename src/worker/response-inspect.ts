import { asciiLower } from '../engine/log-escape'

/**
 * Whether phase 4 gets the response body: its media type (Content-Type without parameters,
 * ASCII lower case) is one of SecResponseBodyMimeType. The same test as the engine's
 * (bodies.ts), made here first so that responses the engine would not inspect are streamed
 * through without being read.
 */
export function inspectedMimeType(contentType: string | null, mimeTypes: readonly string[]): boolean {
  if (contentType === null) return false
  const semi = contentType.indexOf(';')
  const mt = asciiLower((semi < 0 ? contentType : contentType.slice(0, semi)).trim())
  return mimeTypes.includes(mt)
}
