/**
 * The Worker: the WAF in front of an origin. The rule set is compiled at build time
 * (`npm run build:rules` -> rules/build/bundle.json, imported as "waf-bundle") and linked once
 * per isolate, here at module scope: a bundle the engine refuses fails the deployment instead of
 * the requests.
 */
import bundle from 'waf-bundle'
import { DohResolver } from './doh'
import type { Env } from './env'
import { handleRequest } from './handler'
import { linkWaf } from './waf-program'

// @rbl resolves through DNS-over-HTTPS (doh.ts), one cache per isolate; DOH_URL/DOH_TIMEOUT_MS
// are applied per request because env is only known there
const resolver = new DohResolver()
const waf = linkWaf(bundle, { resolver })

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    resolver.configure(env)
    return handleRequest(request, env, ctx, waf)
  },
} satisfies ExportedHandler<Env>
