import type { RuleEngineMode } from '../bundle/schema'

/**
 * The Worker's bindings (wrangler.toml). Every variable is optional: without any of them the
 * Worker forwards to the zone's origin with the rule set's own SecRuleEngine.
 */
export interface Env {
  /**
   * Base URL of the origin (e.g. "https://app.internal.example:8443/base"). Unset: the request
   * goes to its own URL, i.e. the zone's origin behind the Cloudflare route (fetch(request)).
   */
  ORIGIN_URL?: string
  /** Incident switch: "On" | "DetectionOnly" | "Off" replaces the bundle's SecRuleEngine. */
  WAF_ENGINE?: string
  /** Secret (wrangler secret put ADMIN_TOKEN): enables the ops endpoints. */
  ADMIN_TOKEN?: string
  /** Path prefix of the ops endpoints; default "/.waf/". */
  ADMIN_PREFIX?: string
  /** What an unexpected engine exception does: "closed" (default, answer 500) or "open" (forward uninspected). */
  WAF_FAIL_MODE?: string
  /** HTML of the block page; `{{status}}`, `{{unique_id}}` and `{{reason}}` are replaced. */
  BLOCK_PAGE?: string
  /** persistent collections: IP, SESSION, USER, GLOBAL, RESOURCE (initcol, setsid...; kv-store.ts) */
  COLLECTIONS?: KVNamespace
  /** a COLLECTIONS read slower than this (ms) counts as failed (TX:COLLECTION_LOAD_FAILED); default 1000 */
  COLLECTIONS_TIMEOUT_MS?: string
  /** audit log objects (SecAuditEngine), one per audited transaction: r2-audit.ts */
  AUDIT?: R2Bucket
  /** request/response bodies in an audit record: at most this many bytes; default 65536 */
  AUDIT_BODY_LIMIT?: string
  /** header values always masked in audit records, comma-separated, or "none"; default Authorization, Proxy-Authorization, Cookie, Set-Cookie */
  AUDIT_MASK_HEADERS?: string
  /** SecUploadKeepFiles: an uploaded file larger than this (bytes) is not kept; default 1048576 */
  AUDIT_FILE_LIMIT?: string
  /** SecUploadKeepFiles: at most this many bytes of files kept per transaction; default 10485760 */
  AUDIT_FILES_LIMIT?: string
  /**
   * Warm-up at isolate start (waf-program.ts warmWaf): unset: the largest regexes and phrase lists
   * of the configured paranoia level up to 128 KiB; a number of bytes; "all"; "off".
   */
  WAF_WARMUP?: string
  /**
   * Inspection budget per transaction in work units (engine budget.ts; waf-program.ts
   * inspectionBudgetOf): unset: the default (2,000,000, about 10 ms); a number; "off".
   */
  WAF_INSPECTION_BUDGET?: string
  /** DNS-over-HTTPS endpoint (JSON API) for @rbl; default https://cloudflare-dns.com/dns-query (doh.ts) */
  DOH_URL?: string
  /** @rbl query timeout in milliseconds; default 1000 */
  DOH_TIMEOUT_MS?: string
}

export type FailMode = 'open' | 'closed'

export const DEFAULT_ADMIN_PREFIX = '/.waf/'

/** WAF_ENGINE as a mode; undefined when unset or not one of the three names (then the bundle's mode applies). */
export function engineOverride(env: Env): RuleEngineMode | undefined {
  const v = env.WAF_ENGINE
  if (v === undefined) return undefined
  const t = v.trim()
  // accepted case-insensitively, as SecRuleEngine is
  switch (t.toLowerCase()) {
    case 'on':
      return 'On'
    case 'off':
      return 'Off'
    case 'detectiononly':
      return 'DetectionOnly'
    default:
      return undefined
  }
}

export function failMode(env: Env): FailMode {
  return env.WAF_FAIL_MODE !== undefined && env.WAF_FAIL_MODE.trim().toLowerCase() === 'open'
    ? 'open'
    : 'closed'
}

/** ADMIN_PREFIX normalised to "/name/" */
export function adminPrefix(env: Env): string {
  let p =
    env.ADMIN_PREFIX === undefined || env.ADMIN_PREFIX.trim() === ''
      ? DEFAULT_ADMIN_PREFIX
      : env.ADMIN_PREFIX.trim()
  if (!p.startsWith('/')) p = '/' + p
  if (!p.endsWith('/')) p += '/'
  return p
}
