import type { BinaryString } from '../bytes'
import type { BodyContext, BodyProcessor, BodyProcessorName, BodyResult } from './types'
import { processUrlencoded } from './urlencoded'
import { processMultipart } from './multipart'
import { processJson } from './json'
import { processXml } from './xml'

export type * from './types'
export { parseUrlencoded, parseQueryString, ARGUMENTS_LIMIT_MSG, type UrlencodedParse } from './urlencoded'

/** The body-processor registry, keyed by the v2 name (ctl:requestBodyProcessor=NAME). */
export const BODY_PROCESSORS: Record<BodyProcessorName, BodyProcessor> = {
  URLENCODED: processUrlencoded,
  MULTIPART: processMultipart,
  JSON: processJson,
  XML: processXml,
}

export function isBodyProcessorName(name: string): name is BodyProcessorName {
  return name === 'URLENCODED' || name === 'MULTIPART' || name === 'JSON' || name === 'XML'
}

/** Run one processor on the whole buffered body. Total: never throws. */
export function processBody(name: BodyProcessorName, body: BinaryString, ctx: BodyContext): BodyResult {
  return BODY_PROCESSORS[name](body, ctx)
}

function startsWithAsciiCi(s: BinaryString, prefix: string): boolean {
  if (s.length < prefix.length) return false
  for (let i = 0; i < prefix.length; i++) {
    let c = s.charCodeAt(i)
    if (c >= 0x41 && c <= 0x5a) c |= 0x20
    if (c !== prefix.charCodeAt(i)) return false
  }
  return true
}

/**
 * The processor v2 picks by itself from the Content-Type (before any ctl:requestBodyProcessor):
 * a case-insensitive prefix match, so "application/x-www-form-urlencodedfoo" is URLENCODED and
 * "multipart/mixed" is nothing (recorded on 2.9.7). JSON and XML are only chosen by rules
 * (200000/200001 in modsecurity.conf-recommended). Leading whitespace is ignored (Apache strips it).
 */
export function defaultBodyProcessor(contentType: BinaryString | undefined): BodyProcessorName | undefined {
  if (contentType === undefined) return undefined
  let i = 0
  while (i < contentType.length && (contentType.charCodeAt(i) === 0x20 || contentType.charCodeAt(i) === 0x09))
    i++
  const ct = i === 0 ? contentType : contentType.slice(i)
  if (startsWithAsciiCi(ct, 'application/x-www-form-urlencoded')) return 'URLENCODED'
  if (startsWithAsciiCi(ct, 'multipart/form-data')) return 'MULTIPART'
  return undefined
}
