import type { BodyContext } from './body/types'
import type { BinaryString } from './bytes'
import { asciiLower } from './log-escape'
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
 * - the response body is inspected with SecResponseBodyAccess On and a Content-Type listed in
 *   SecResponseBodyMimeType; over SecResponseBodyLimit: 500 (Reject, engine On) or cut with
 *   OUTBOUND_DATA_ERROR=1.
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
  if (name !== undefined) {
    const proc = s.program.bodyProcessors[name]
    if (proc === undefined) {
      s.reqbodyError = true
      s.reqbodyErrorMsg = 'Unknown request body processor: ' + name
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
      } catch {
        s.reqbodyError = true
        s.reqbodyErrorMsg = 'Request body processor failed'
      }
    }
  }
  s.requestBodyVisible = name === 'URLENCODED' || (name === undefined && s.forceRequestBodyVariable)
  s.invalidate()
}

function mimeType(ct: string | undefined): string | undefined {
  if (ct === undefined) return undefined
  const semi = ct.indexOf(';')
  return asciiLower((semi < 0 ? ct : ct.slice(0, semi)).trim())
}

export function processResponseBodyData(s: TxState, body: BinaryString): void {
  if (!s.responseBodyAccess) return
  const mt = mimeType(headerValue(s.responseHeaders ?? [], 'content-type'))
  if (mt === undefined || !s.program.config.responseBodyMimeTypes.includes(mt)) return
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
