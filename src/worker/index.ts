/**
 * The Worker: the WAF in front of an origin. The rule set is compiled at build time
 * (`npm run build:rules` -> rules/build/bundle.json, imported as "waf-bundle") and linked once
 * per isolate, here at module scope: a bundle the engine refuses fails the deployment instead of
 * the requests. The warm-up (WAF_WARMUP) runs here too, reading the vars through the module-scope
 * `env` of cloudflare:workers.
 */
import { env } from 'cloudflare:workers'
import bundle from 'waf-bundle'
import { DohResolver } from './doh'
import type { Env } from './env'
import { handleRequest } from './handler'
import { KvStore } from './kv-store'
import { inspectionBudgetOf, linkWaf, warmWaf } from './waf-program'

// @rbl resolves through DNS-over-HTTPS (doh.ts), one cache per isolate; DOH_URL/DOH_TIMEOUT_MS
// are applied per request because env is only known there
const resolver = new DohResolver()
// persistent collections in the COLLECTIONS KV namespace (kv-store.ts); one store per isolate,
// which coalesces the writes of one key (KV takes about one per second); bound per request
const collections = new KvStore()
// the inspection budget per transaction (WAF_INSPECTION_BUDGET; a bad value fails the start)
const inspectionBudget = inspectionBudgetOf((env as Env).WAF_INSPECTION_BUDGET)
const waf = linkWaf(bundle, { resolver, store: collections, inspectionBudget })
// compile the costliest regexes and phrase lists now, within Workers' startup limit, instead of
// on the first requests (WAF_WARMUP; waf-program.ts). The ops status endpoint reports it.
warmWaf(waf, (env as Env).WAF_WARMUP)

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    resolver.configure(env)
    collections.configure(env.COLLECTIONS, env.COLLECTIONS_TIMEOUT_MS)
    return handleRequest(request, env, ctx, waf)
  },
} satisfies ExportedHandler<Env>
