import type { Interruption } from '../engine/index'
import { renderBlockPage } from './block-page'

/**
 * The client's answer when a rule (or an engine limit) interrupts the transaction:
 * - deny (and the engine's 413 / 500 for body limits): the status with the block page;
 * - redirect: the status (301/302/303/307, default 302) and Location, no body;
 * - drop: ModSecurity closes the TCP connection without answering. A Worker cannot reset the
 *   client's connection (the Cloudflare edge owns it and would answer an exception with its own
 *   error page), so we answer the status the engine logs (403) with an empty body and
 *   `connection: close`: the client gets nothing to parse and the connection is not reused;
 * - proxy is not an answer: the handler forwards to the target instead (see handler.ts).
 * Block answers are never cached (cache-control: no-store).
 */
export function interruptionResponse(
  itp: Interruption,
  uniqueId: string,
  method: string,
  blockPage: string | undefined,
): Response {
  const headers = new Headers({ 'cache-control': 'no-store' })
  switch (itp.kind) {
    case 'redirect':
      headers.set('location', headerSafe(itp.location ?? '/'))
      return new Response(null, { status: itp.status, headers })
    case 'drop':
      headers.set('connection', 'close')
      return new Response(null, { status: itp.status > 0 ? itp.status : 403, headers })
    default: {
      const status = itp.status >= 200 && itp.status <= 599 ? itp.status : 403
      headers.set('content-type', 'text/html; charset=utf-8')
      const body = method === 'HEAD' ? null : renderBlockPage(blockPage, status, uniqueId)
      return new Response(body, { status, headers })
    }
  }
}

/** A binary string as a header value: bytes outside visible ASCII are percent-encoded. */
export function headerSafe(s: string): string {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x21 || c > 0x7e) out += '%' + (c & 0xff).toString(16).toUpperCase().padStart(2, '0')
    else out += s.charAt(i)
  }
  return out
}

/** The answer when the WAF itself failed and WAF_FAIL_MODE is closed. */
export function failureResponse(uniqueId: string, method: string, blockPage: string | undefined): Response {
  const headers = new Headers({ 'cache-control': 'no-store', 'content-type': 'text/html; charset=utf-8' })
  return new Response(method === 'HEAD' ? null : renderBlockPage(blockPage, 500, uniqueId), {
    status: 500,
    headers,
  })
}
