import type { BodyContext } from './body/types'
import { DEFAULT_BODY_PROCESSORS } from './body-processors'
import type { BinaryString } from './bytes'
import { asciiLower } from './log-escape'
import type { Transaction } from './transaction'
import type { TxState } from './tx-state'
import { headerValue } from './variables/headers'

/**
 * Request and response bodies before phases 2 and 4 (v2 msc_reqbody.c / apache2_io.c):
 * - the request body is read only with SecRequestBodyAccess On (ctl:requestBodyAccess);
 *   over SecRequestBodyLimit it is refused with 413 (Reject, engine On) or cut to the limit
 *   with INBOUND_DATA_ERROR=1 (ProcessPartial, or DetectionOnly as v2 forces partial there);
 * - the processor is REQBODY_PROCESSOR (Content-Type default or ctl:requestBodyProcessor); a
 *   name without processor sets REQBODY_ERROR like v2's "Unknown request body processor";
 * - REQUEST_BODY exists for URLENCODED, or with ctl:forceRequestBodyVariable=On when no
 *   processor applies (msc_reqbody.c); REQUEST_BODY_LENGTH always counts the bytes read;
 * - SecRequestBodyNoFilesLimit (recorded on 2.9.7: test/vectors/engine/nofiles-limit.json)
 *   counts the whole body for URLENCODED, JSON and XML and for a body without processor only
 *   with ctl:forceRequestBodyVariable=On; for MULTIPART the part header lines (with their line
 *   ends and the empty line) and the values of non-file parts, not boundaries, preamble,
 *   epilogue nor file contents (BodyResult.noFilesLength). Reaching the limit (count >= limit)
 *   refuses the request with 413 in every mode: 2.9.7 does so with SecRequestBodyLimitAction
 *   ProcessPartial and with SecRuleEngine DetectionOnly too. Phase 2 does not run; phase 5 sees
 *   no body variables, INBOUND_DATA_ERROR=1 and REQBODY_ERROR=1 with an empty message. 2.9.7
 *   counts the bytes it received, also the piece that crossed SecRequestBodyLimit with
 *   ProcessPartial (a 200-byte body counts 200 with a 150-byte limit): we count the body as
 *   given, before the SecRequestBodyLimit cut (the Worker hands over at most limit + 1 bytes);
 *   a multipart body is counted by the parser on the cut body;
 * - the response body is inspected with SecResponseBodyAccess On and a Content-Type listed in
 *   SecResponseBodyMimeType (responseMimeListed); over SecResponseBodyLimit: 500 (Reject,
 *   engine On) or cut with OUTBOUND_DATA_ERROR=1.
 */
export function processRequestBodyData(s: TxState): void {
  const raw = s.req.body
  if (!s.requestBodyAccess || raw === undefined) return
  let body = raw
  if (body.length > s.requestBodyLimit) {
    s.inboundError = true
    if (s.program.config.requestBodyLimitAction === 'Reject' && s.ruleEngine === 'On') {
      s.engineMessages.push(
        'Request body (Content-Length) is larger than the configured limit (' + s.requestBodyLimit + ').',
      )
      s.interruption = { status: 413, kind: 'deny', ruleId: 0, phase: 2 }
      s.requestBody = ''
      return
    }
    body = body.slice(0, s.requestBodyLimit)
  }
  s.requestBody = body
  const name = s.reqbodyProcessor
  // bytes counted against SecRequestBodyNoFilesLimit; -1: not counted (no or unknown processor)
  let noFiles = s.forceRequestBodyVariable ? raw.length : -1
  if (name !== undefined) {
    const proc = s.program.bodyProcessors[name]
    if (proc === undefined) {
      s.reqbodyError = true
      s.reqbodyErrorMsg = 'Unknown request body processor: ' + name
      noFiles = -1
    } else if (
      name !== 'MULTIPART' &&
      proc === DEFAULT_BODY_PROCESSORS[name] &&
      raw.length >= s.program.config.requestBodyNoFilesLimit
    ) {
      // the engine's URLENCODED, JSON and XML count the whole body: the request is refused below
      // whatever the parse gives (its result is discarded), so the body is not parsed
      noFiles = raw.length
    } else {
      const ctx: BodyContext = {
        contentType: headerValue(s.headers(), 'content-type') ?? '',
        config: s.program.config,
        argsCount: s.argsGet().length,
        options: s.program.bodyOptions,
      }
      try {
        const res = proc(body, ctx)
        s.bodyResult = res
        s.reqbodyError = res.error
        s.reqbodyErrorMsg = res.errorMsg
        noFiles = res.noFilesLength ?? raw.length
      } catch {
        s.reqbodyError = true
        s.reqbodyErrorMsg = 'Request body processor failed'
        noFiles = raw.length
      }
    }
  }
  s.requestBodyVisible = name === 'URLENCODED' || (name === undefined && s.forceRequestBodyVariable)
  const noFilesLimit = s.program.config.requestBodyNoFilesLimit
  if (noFiles >= 0 && noFiles >= noFilesLimit) {
    s.engineMessages.push(
      'Request body no files data length is larger than the configured limit (' + noFilesLimit + ').',
    )
    s.interruption = { status: 413, kind: 'deny', ruleId: 0, phase: 2 }
    s.inboundError = true
    s.reqbodyError = true
    s.reqbodyErrorMsg = ''
    s.bodyResult = undefined
    s.requestBody = ''
    s.requestBodyVisible = false
  }
  s.invalidate()
}

/**
 * Whether SecResponseBodyMimeType lists a response's Content-Type, as v2's output filter decides
 * (recorded on 2.9.7: test/vectors/engine/response-mime.json): the value up to the first ';',
 * ASCII lower case, nothing trimmed ("text/html ; charset=utf-8" is the type "text/html ", not
 * listed); a response without Content-Type has the type "null" (SecResponseBodyMimeType null).
 * The list is lower case already (the compiler folds the directive's arguments).
 */
export function responseMimeListed(
  mimeTypes: readonly string[],
  contentType: BinaryString | null | undefined,
): boolean {
  let mt = 'null'
  if (contentType !== null && contentType !== undefined) {
    const semi = contentType.indexOf(';')
    mt = asciiLower(semi < 0 ? contentType : contentType.slice(0, semi))
  }
  for (let i = 0; i < mimeTypes.length; i++) if (mimeTypes[i] === mt) return true
  return false
}

/**
 * Whether processResponseBody(body) will hand the body to phase 4 for a response with this
 * Content-Type (the value given to processResponseHeaders): SecResponseBodyAccess after ctl
 * (ctl:responseBodyAccess up to phase 3 counts), the MIME type list, and phase 4 running at all
 * (no interruption, no `allow`, engine not Off). The Worker asks before reading the body, so
 * that responses the engine would not inspect stream through unread.
 */
export function inspectsResponseBody(tx: Transaction, contentType: BinaryString | null | undefined): boolean {
  const s = tx.state
  return (
    s.phase < 4 &&
    s.interruption === undefined &&
    s.allowScope !== 'all' &&
    s.ruleEngine !== 'Off' &&
    s.responseBodyAccess &&
    responseMimeListed(s.program.config.responseBodyMimeTypes, contentType)
  )
}

export function processResponseBodyData(s: TxState, body: BinaryString): void {
  if (!s.responseBodyAccess) return
  if (
    !responseMimeListed(
      s.program.config.responseBodyMimeTypes,
      headerValue(s.responseHeaders ?? [], 'content-type'),
    )
  )
    return
  let b = body
  if (b.length > s.responseBodyLimit) {
    s.outboundError = true
    if (s.program.config.responseBodyLimitAction === 'Reject' && s.ruleEngine === 'On') {
      s.engineMessages.push(
        'Response body too large (over limit of ' + s.responseBodyLimit + ', total not specified).',
      )
      s.interruption = { status: 500, kind: 'deny', ruleId: 0, phase: 4 }
      return
    }
    b = b.slice(0, s.responseBodyLimit)
  }
  s.responseBody = b
}
