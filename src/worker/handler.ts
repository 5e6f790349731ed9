import type { RuleEngineMode } from '../bundle/schema'
import {
  bytesToBinary,
  inspectsResponseBody,
  Transaction,
  utf8ToBinary,
  type Interruption,
} from '../engine/index'
import { alertLines, errorLine } from './alert-log'
import { contentLength, readPrefix, rejoin } from './body'
import { engineOverride, failMode, type Env } from './env'
import { buildInbound, type Inbound } from './inbound'
import { handleOps } from './ops'
import { originRequest, outboundRequest, type OutboundBody } from './origin'
import { failureResponse, interruptionResponse } from './outcome'
import type { FinalResponse } from '../engine/audit/index'
import {
  auditSettings,
  finalResponse,
  newAuditUniqueId,
  writeAudit,
  type AuditBucket,
  type AuditSettings,
} from './r2-audit'
import type { LinkedWaf } from './waf-program'

/** What the handler needs from the runtime besides the request (ExecutionContext in a Worker). */
export interface Waiter {
  waitUntil(p: Promise<unknown>): void
}

/** The origin call, replaceable for the CRS runner's in-process origin; default: global fetch. */
export type OriginFetch = (request: Request) => Promise<Response>

export interface HandlerOptions {
  /** write one log line (default console.log) */
  log?: (line: string) => void
  origin?: OriginFetch
  /** audit log settings over those of the vars (tests: shorter retry delays) */
  audit?: Partial<AuditSettings>
}

/**
 * One request through the WAF:
 *  1. ops endpoints (only with ADMIN_TOKEN);
 *  2. WAF_ENGINE=Off (or SecRuleEngine Off): the request goes to the origin untouched; otherwise
 *     WAF_ENGINE is the transaction's SecRuleEngine (TransactionOptions.ruleEngine: as if the
 *     rule set said so, ctl:ruleEngine still applies);
 *  3. phase 1 on the request line and headers; phase 2 after reading the body, only when the
 *     transaction has request body access (SecRequestBodyAccess / ctl:requestBodyAccess; v2
 *     gives REQUEST_BODY, ARGS_POST, FILES... nothing without it), at most
 *     SecRequestBodyLimit + 1 bytes: the engine answers 413 (Reject) or inspects the first
 *     limit bytes (ProcessPartial; DetectionOnly) and the origin still gets the whole body;
 *     SecRequestBodyNoFilesLimit is the engine's: 413 in every mode, as 2.9.7 does;
 *  4. an interruption answers the client (the origin is never called); otherwise the inspected
 *     request goes to the origin;
 *  5. phase 3 on the response status and headers; phase 4 on the response body when the engine
 *     reads it (inspectsResponseBody: SecResponseBodyAccess, SecResponseBodyMimeType; at most
 *     SecResponseBodyLimit + 1 bytes read: Reject answers 500, ProcessPartial inspects the
 *     first limit bytes and sends the whole body); other responses stream through unbuffered;
 *  6. phase 5, the alert log, persistence and the audit log (r2-audit.ts: one R2 object per
 *     audited transaction, with what the client got) run after the answer (ctx.waitUntil).
 *
 * Failures of the WAF itself (an exception from the engine, which must not happen on any
 * request data) are logged and then, per WAF_FAIL_MODE: "closed" (default) answers 500 with the
 * block page, "open" forwards the request uninspected. A request that cannot be inspected must
 * not reach the origin by default: an input that crashes the engine would otherwise be a bypass.
 */
export async function handleRequest(
  request: Request,
  env: Env,
  ctx: Waiter,
  waf: LinkedWaf,
  options: HandlerOptions = {},
): Promise<Response> {
  const log = options.log ?? console.log
  const fetchOrigin = options.origin ?? ((r: Request) => fetch(r))
  const inbound = buildInbound(request)

  const ops = await handleOps(request, inbound.url, env, waf)
  if (ops !== undefined) return ops

  const mode: RuleEngineMode = engineOverride(env) ?? waf.program.config.ruleEngine
  // GET/HEAD with a body: forwarded by copying a Request (see outboundRequest)
  let source: Request | undefined =
    (inbound.method === 'GET' || inbound.method === 'HEAD') && request.body !== null ? request : undefined
  if (mode === 'Off') return fetchOrigin(originRequest(inbound, request.body, env, source))

  const client = inbound.engine.clientAddress
  // mod_unique_id-style: the id carries its time, so the audit record's key follows from it
  inbound.engine.uniqueId = newAuditUniqueId()
  let tx: Transaction | undefined
  let forwardBody: OutboundBody = request.body
  let itp: Interruption | undefined
  try {
    tx = new Transaction(waf.program, inbound.engine, { ruleEngine: mode })
    itp = await tx.processRequestHeaders()
    if (itp === undefined) {
      let body: string | undefined
      if (tx.state.requestBodyAccess && request.body !== null) {
        if (source !== undefined) source = request.clone()
        const limit = tx.state.requestBodyLimit
        const prefix = await readPrefix(request.body, limit)
        // the engine sees at most limit + 1 bytes: enough to know the limit was exceeded
        body = bytesToBinary(prefix.complete ? prefix.bytes : prefix.bytes.subarray(0, limit + 1))
        if (source !== undefined) {
          // the clone carries the whole body to the origin
          prefix.rest?.cancel().catch(() => undefined)
          forwardBody = null
        } else forwardBody = rejoin(prefix, contentLength(inbound.headers), (p) => ctx.waitUntil(p))
      }
      itp = await tx.processRequestBody(body)
    }
  } catch (e) {
    const id = tx?.state.uniqueId ?? '-'
    log(errorLine(client, id, 'request inspection failed', e))
    if (failMode(env) === 'open') return fetchOrigin(originRequest(inbound, forwardBody, env, source))
    return failureResponse(id, inbound.method, env.BLOCK_PAGE)
  }
  const t = tx
  const settings = { ...auditSettings(env), ...options.audit }
  // `generated`: the WAF made the response (its body goes to audit part E), not the origin
  const finish = (res: Response, generated: boolean): void =>
    ctx.waitUntil(
      finishTransaction(t, client, log, {
        final: finalResponse(res, generated),
        bucket: env.AUDIT,
        settings,
      }),
    )

  if (itp !== undefined) {
    if (itp.kind === 'proxy' && itp.location !== undefined && itp.location !== '') {
      const proxied = await proxyTo(
        inbound,
        forwardBody,
        source,
        itp.location,
        fetchOrigin,
        log,
        client,
        t.state.uniqueId,
      )
      finish(proxied, false)
      return proxied
    }
    if (forwardBody instanceof ReadableStream) forwardBody.cancel().catch(() => undefined)
    source?.body?.cancel().catch(() => undefined)
    const blocked = interruptionResponse(itp, t.state.uniqueId, inbound.method, env.BLOCK_PAGE)
    finish(blocked, true)
    return blocked
  }

  let upstream: Response
  try {
    upstream = await fetchOrigin(originRequest(inbound, forwardBody, env, source))
  } catch (e) {
    log(errorLine(client, t.state.uniqueId, 'origin unreachable', e))
    upstream = new Response('Bad Gateway\n', { status: 502, headers: { 'content-type': 'text/plain' } })
  }

  let res: Response
  let generated: boolean
  try {
    res = await inspectResponse(t, upstream, inbound, env, ctx)
    generated = t.interruption !== undefined
  } catch (e) {
    log(errorLine(client, t.state.uniqueId, 'response inspection failed', e))
    generated = !(failMode(env) === 'open' && !upstream.bodyUsed)
    if (!generated) res = upstream
    else {
      if (failMode(env) !== 'open') upstream.body?.cancel().catch(() => undefined)
      res = failureResponse(t.state.uniqueId, inbound.method, env.BLOCK_PAGE)
    }
  }
  finish(res, generated)
  return res
}

/** Phases 3 and 4, then the client's response. */
async function inspectResponse(
  tx: Transaction,
  upstream: Response,
  inbound: Inbound,
  env: Env,
  ctx: Waiter,
): Promise<Response> {
  const headers: [string, string][] = []
  let contentType: string | undefined
  for (const [name, value] of upstream.headers) {
    const v = utf8ToBinary(value)
    headers.push([utf8ToBinary(name), v])
    if (name === 'content-type') contentType = v
  }
  let itp = await tx.processResponseHeaders(upstream.status, 'HTTP/1.1', headers)
  if (itp !== undefined) {
    upstream.body?.cancel().catch(() => undefined)
    return interruptionResponse(itp, tx.state.uniqueId, inbound.method, env.BLOCK_PAGE)
  }
  const s = tx.state
  // the engine's own decision (ctl:responseBodyAccess in phases 1-3 included): other responses
  // stream through without being read
  if (upstream.body === null || !inspectsResponseBody(tx, contentType)) {
    // phase 4 still runs (rules on response headers, TX...), without a body to read
    itp = await tx.processResponseBody(undefined)
    if (itp !== undefined) {
      upstream.body?.cancel().catch(() => undefined)
      return interruptionResponse(itp, tx.state.uniqueId, inbound.method, env.BLOCK_PAGE)
    }
    return upstream
  }
  const limit = s.responseBodyLimit
  const prefix = await readPrefix(upstream.body, limit)
  itp = await tx.processResponseBody(
    bytesToBinary(prefix.complete ? prefix.bytes : prefix.bytes.subarray(0, limit + 1)),
  )
  if (itp !== undefined) {
    prefix.rest?.cancel().catch(() => undefined)
    return interruptionResponse(itp, tx.state.uniqueId, inbound.method, env.BLOCK_PAGE)
  }
  const out = new Headers(upstream.headers)
  // a decoded (Content-Encoding) body has another length: let the runtime frame it
  const length = upstream.headers.has('content-encoding') ? undefined : contentLength(upstream.headers)
  if (length === undefined) out.delete('content-length')
  const body = rejoin(prefix, length, (p) => ctx.waitUntil(p))
  return new Response(body, { status: upstream.status, statusText: upstream.statusText, headers: out })
}

/** The `proxy` action: the inspected request goes to the rule's URL instead of the origin. */
async function proxyTo(
  inbound: Inbound,
  body: OutboundBody,
  source: Request | undefined,
  target: string,
  fetchOrigin: OriginFetch,
  log: (line: string) => void,
  client: string,
  uniqueId: string,
): Promise<Response> {
  try {
    return await fetchOrigin(outboundRequest(target, inbound.method, inbound.headers, body, source))
  } catch (e) {
    log(errorLine(client, uniqueId, 'proxy target unreachable', e))
    return new Response('Bad Gateway\n', { status: 502, headers: { 'content-type': 'text/plain' } })
  }
}

/** What the audit log writer needs after phase 5 (r2-audit.ts). */
export interface AuditSink {
  final: Promise<FinalResponse>
  bucket: AuditBucket | undefined
  settings: AuditSettings
}

/** Phase 5, the alert log, persistent collections, the audit log. Runs after the answer. */
export async function finishTransaction(
  tx: Transaction,
  client: string,
  log: (line: string) => void,
  audit?: AuditSink,
): Promise<void> {
  try {
    await tx.processLogging()
  } catch (e) {
    log(errorLine(client, tx.state.uniqueId, 'phase 5 failed', e))
  }
  for (const line of alertLines(tx, client)) log(line)
  try {
    await tx.persist()
  } catch (e) {
    log(errorLine(client, tx.state.uniqueId, 'persisting collections failed', e))
  }
  if (audit !== undefined) await writeAudit(tx, await audit.final, audit.bucket, audit.settings, log, client)
}
