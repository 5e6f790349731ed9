import { IttyRouter, type IRequest, type IttyRouterType } from 'itty-router'
import type { RuleEngineMode } from '../bundle/schema'
import { adminPrefix, engineOverride, failMode, type Env } from './env'
import { auditGetResponse, auditListResponse } from './r2-audit'
import type { LinkedWaf } from './waf-program'

/**
 * Operations endpoints under ADMIN_PREFIX (default "/.waf/"), for the people running the WAF:
 *
 *   GET <prefix>status   what is deployed: bundle format and sources, rule counts per phase,
 *                        engine mode (bundle, WAF_ENGINE override, effective), components,
 *                        what the isolate warmed at start (WAF_WARMUP)
 *   GET <prefix>audit/<unique_id>   the audit record of a transaction (the id on the block page)
 *   GET <prefix>audit?since=2h&status=4xx&rule=942100&limit=100   audit records' metadata
 *
 * They exist only when the ADMIN_TOKEN secret is set; without it, paths under the prefix are
 * ordinary traffic (inspected and forwarded). Every call needs `Authorization: Bearer <token>`;
 * the token is compared in constant time (SHA-256 of both sides, crypto.subtle.timingSafeEqual),
 * so neither its content nor its length leaks through timing.
 */

interface OpsArgs {
  waf: LinkedWaf
  env: Env
}

type OpsRouter = IttyRouterType<IRequest, [OpsArgs]>

let cached: { prefix: string; router: OpsRouter } | undefined

function json(value: unknown, status = 200, extra?: Record<string, string>): Response {
  return new Response(JSON.stringify(value, null, 2) + '\n', {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extra },
  })
}

/** rule (chain) counts per phase, SecMarker placeholders excluded */
function ruleCounts(waf: LinkedWaf): { perPhase: Record<string, number>; total: number; ids: number } {
  const perPhase: Record<string, number> = {}
  const ids = new Set<number>()
  let total = 0
  const phases = waf.bundle.phases
  for (let p = 0; p < phases.length; p++) {
    const list = phases[p] ?? []
    let n = 0
    for (let i = 0; i < list.length; i++) {
      const r = list[i]
      if (r === undefined || r.marker !== undefined) continue
      n++
      ids.add(r.id)
    }
    perPhase[String(p + 1)] = n
    total += n
  }
  return { perPhase, total, ids: ids.size }
}

export function statusReport(waf: LinkedWaf, env: Env): unknown {
  const b = waf.bundle
  const c = b.config
  const override = engineOverride(env)
  const effective: RuleEngineMode = override ?? c.ruleEngine
  return {
    bundle: { format: b.format, formatVersion: b.formatVersion, compiler: b.compiler, sources: b.sources },
    components: b.components,
    rules: ruleCounts(waf),
    engine: {
      bundle: c.ruleEngine,
      override: override ?? null,
      effective,
      failMode: failMode(env),
    },
    limits: {
      requestBodyAccess: c.requestBodyAccess,
      requestBodyLimit: c.requestBodyLimit,
      requestBodyLimitAction: c.requestBodyLimitAction,
      responseBodyAccess: c.responseBodyAccess,
      responseBodyLimit: c.responseBodyLimit,
      responseBodyLimitAction: c.responseBodyLimitAction,
      responseBodyMimeTypes: c.responseBodyMimeTypes,
    },
    origin:
      env.ORIGIN_URL !== undefined && env.ORIGIN_URL !== '' ? env.ORIGIN_URL : 'zone origin (request URL)',
    // what this isolate compiled at start (WAF_WARMUP); null: nothing
    warmup: waf.warmup,
  }
}

function routerFor(prefix: string): OpsRouter {
  if (cached !== undefined && cached.prefix === prefix) return cached.router
  const router: OpsRouter = IttyRouter<IRequest, [OpsArgs]>({ base: prefix.slice(0, -1) })
  router.get('/status', (_req: IRequest, a: OpsArgs) => json(statusReport(a.waf, a.env)))
  router.get('/audit/:id', (req: IRequest, a: OpsArgs) => auditGetResponse(a.env.AUDIT, req.params.id ?? ''))
  router.get('/audit', (req: IRequest, a: OpsArgs) => auditListResponse(a.env.AUDIT, req.query))
  router.all('*', () => json({ error: 'not found' }, 404))
  cached = { prefix, router }
  return router
}

async function sha256(s: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest('SHA-256', new TextEncoder().encode(s))
}

/** constant-time comparison of the presented token with ADMIN_TOKEN */
export async function tokenMatches(presented: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([sha256(presented), sha256(expected)])
  return crypto.subtle.timingSafeEqual(a, b)
}

function bearer(request: Request): string | undefined {
  const h = request.headers.get('authorization')
  if (h === null) return undefined
  const m = /^Bearer[ \t]+(.+?)[ \t]*$/i.exec(h)
  return m === null ? undefined : m[1]
}

/** The ops answer for this request, or undefined when it is not an ops request (ordinary traffic). */
export async function handleOps(
  request: Request,
  url: URL,
  env: Env,
  waf: LinkedWaf,
): Promise<Response | undefined> {
  const token = env.ADMIN_TOKEN
  if (token === undefined || token === '') return undefined
  const prefix = adminPrefix(env)
  if (!url.pathname.startsWith(prefix) && url.pathname !== prefix.slice(0, -1)) return undefined
  const presented = bearer(request)
  if (presented === undefined || !(await tokenMatches(presented, token))) {
    return json({ error: 'unauthorized' }, 401, { 'www-authenticate': 'Bearer realm="edge-waf"' })
  }
  const r = (await routerFor(prefix).fetch(request, { waf, env })) as Response | undefined
  return r ?? json({ error: 'not found' }, 404)
}
