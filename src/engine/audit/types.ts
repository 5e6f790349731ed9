import type { BinaryString } from '../bytes'

/**
 * One audit log record: everything ModSecurity 2.9 writes for a transaction, already
 * sanitised and capped, independent of the output format. `formatNative` and `formatJson`
 * write the parts listed in `parts` (SecAuditLogParts after ctl:auditLogParts).
 * Byte data (request line, headers, bodies) are binary strings (one char per byte).
 */
export interface AuditRecord {
  uniqueId: string
  /** the native format's section boundary: 8 hex digits */
  boundary: string
  /** the parts to write, canonical order, A and Z always included: e.g. "ABCFHZ" */
  parts: string
  /** transaction start, ms since the epoch */
  timeMs: number
  /** transaction duration until the record was built, microseconds */
  durationUs: number
  client: { address: string; port: number }
  server: { address: string; port: number }
  request: AuditRequest
  response: AuditResponsePart
  /** part H "Message:" lines (alert messages, escaped as in the error log) */
  messages: string[]
  /** set when a rule interrupted the transaction (part H "Action: Intercepted (phase N)") */
  action?: { phase: number; message: string }
  /** producer and SecComponentSignature values */
  producer: string[]
  /** what runs the WAF ("Server:" in part H) */
  serverSignature: string
  /** SecWebAppId, session id (setsid), user id (setuid) when any is set */
  webAppInfo?: [string, string, string]
  sensorId?: string
  /** names of what was masked, one entry per masked value */
  sanitised: { args: string[]; requestHeaders: string[]; responseHeaders: string[] }
  engineMode: 'ENABLED' | 'DETECTION_ONLY' | 'DISABLED'
  /** original sizes of bodies cut to the record's body limit */
  truncated: { requestBody?: number; responseBody?: number }
  /** part J: the multipart files, when the request had any */
  uploads?: { files: AuditFile[]; total: number }
  /** part K: the rules that matched, in match order */
  matchedRules: MatchedRule[]
}

export interface AuditRequest {
  /** request line as received, arguments sanitised */
  line: BinaryString
  method: BinaryString
  protocol: string
  headers: [BinaryString, BinaryString][]
  /** part C: the request body the WAF read (sanitised when URLENCODED), capped */
  body?: BinaryString
  /** part I for multipart bodies: the form fields as urlencoded text (files left out) */
  multipartFields?: BinaryString
}

export interface AuditResponsePart {
  protocol: string
  status: number
  reason: string
  headers: [BinaryString, BinaryString][]
  /** part E: the response body as inspected (or the block page the WAF answered with), capped */
  body?: BinaryString
}

export interface AuditFile {
  /** 1-based, in body order among the file parts */
  index: number
  /** form field name */
  field: BinaryString
  /** the filename= value */
  name: BinaryString
  size: number
  /** the part's Content-Type, '' when it had none */
  contentType: BinaryString
  /** bucket key of the stored file (SecUploadKeepFiles) */
  stored?: string
  /** why a file that should have been kept was not (over the size limit, write failure) */
  notStored?: string
}

export interface MatchedRule {
  /** starter first, then the chain links */
  links: RuleText[]
}

export interface RuleText {
  /** the chain starter's id (links have none of their own) */
  id?: number
  phase: number
  file: string
  line: number
  /** SecLang text rebuilt from the bundle (see rule-text.ts) */
  unparsed: string
  operator: string
  operatorParam: string
  target: string
  negated: boolean
  isChained: boolean
  chainStarter: boolean
  rev?: string
  ver?: string
  severity?: number
  accuracy?: number
  maturity?: number
  tags?: string[]
}

/** What the client received (the Worker knows it; the engine does not). */
export interface FinalResponse {
  status: number
  /** the response headers as sent */
  headers: ReadonlyArray<readonly [BinaryString, BinaryString]>
  /**
   * The body when the WAF produced the response itself (block page): v2 logs the error page
   * its output filter saw in part E. Undefined for origin responses (their inspected body, if
   * any, comes from the transaction).
   */
  generatedBody?: BinaryString
}

/** Settings of the record builder (the Worker fills them from its vars). */
export interface AuditOptions {
  /** request and response bodies in the record are cut to this many bytes (default 65536) */
  bodyLimit?: number
  /**
   * Header names (any case) whose values are always masked, in requests and responses, on top
   * of sanitiseRequestHeader / sanitiseResponseHeader. Default DEFAULT_MASKED_HEADERS.
   */
  maskHeaders?: readonly string[]
  /** the "Producer:" name (default "edge-waf"), followed by SecComponentSignature values */
  producer?: string
  /** the "Server:" line (default "Cloudflare Workers") */
  server?: string
  /** uploaded files that were kept (by 1-based file index): bucket key, or why not */
  files?: ReadonlyMap<number, { stored?: string; notStored?: string }>
  /** ms since the epoch when the record is built (default the transaction's clock) */
  now?: number
}

export const DEFAULT_BODY_LIMIT = 65536

/** Masked by default: credentials and session tokens have no place in an audit trail. */
export const DEFAULT_MASKED_HEADERS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
]
