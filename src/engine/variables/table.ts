import type { PhaseNumber } from '../../bundle/schema'

/**
 * The variable table: every ModSecurity 2.9 variable the engine answers at the edge, with its
 * kind (collection: takes `:key`, `:/regex/`, `&`; scalar: one value or none) and the first
 * phase in which it can hold a value (v2's "availability"). The compiler refuses names that are
 * not here (VARIABLES_NOT_AVAILABLE gives the reason for the v2 names we cannot offer).
 * The resolvers live in ./registry.ts; a meta-test checks both lists agree.
 */
export type VariableKind = 'collection' | 'scalar'

export interface VariableInfo {
  kind: VariableKind
  /** first phase in which the variable can have a value */
  phase: PhaseNumber
  /**
   * v2 refuses the collection without a key selector ("Missing mandatory parameter for
   * variable TX", recorded on 2.9.7; TX:/regex/ and &TX:/regex/ are fine)
   */
  keyRequired?: true
  doc: string
}

const c = (phase: PhaseNumber, doc: string): VariableInfo => ({ kind: 'collection', phase, doc })
const ck = (phase: PhaseNumber, doc: string): VariableInfo => ({
  kind: 'collection',
  phase,
  keyRequired: true,
  doc,
})
const s = (phase: PhaseNumber, doc: string): VariableInfo => ({ kind: 'scalar', phase, doc })

export const VARIABLES: Record<string, VariableInfo> = {
  ARGS: c(1, 'query-string then body arguments, in order, duplicates kept'),
  ARGS_COMBINED_SIZE: s(1, 'sum of the lengths of all argument names and values'),
  ARGS_GET: c(1, 'query-string arguments'),
  ARGS_GET_NAMES: c(1, 'query-string argument names'),
  ARGS_NAMES: c(1, 'all argument names'),
  ARGS_POST: c(2, 'body arguments (URLENCODED, MULTIPART fields)'),
  ARGS_POST_NAMES: c(2, 'body argument names'),
  DURATION: s(1, 'microseconds since the transaction started'),
  ENV: ck(1, 'environment: values given to the transaction plus setenv'),
  FILES: c(2, 'uploaded file names (filename= of file parts)'),
  FILES_COMBINED_SIZE: s(2, 'total size of uploaded files'),
  FILES_NAMES: c(2, 'form field names of file parts'),
  FILES_SIZES: c(2, 'sizes of uploaded files'),
  FILES_TMPNAMES: c(2, 'synthetic temporary names of uploaded files'),
  FILES_TMP_CONTENT: c(2, 'uploaded file contents (only when the body processor keeps them)'),
  FULL_REQUEST: s(2, 'request line, headers and body as received'),
  FULL_REQUEST_LENGTH: s(2, 'length of FULL_REQUEST'),
  GEO: c(1, 'geolocation from edge metadata'),
  GLOBAL: ck(1, 'persistent collection (initcol:global)'),
  HIGHEST_SEVERITY: s(1, 'lowest severity number matched so far (255 when none)'),
  INBOUND_DATA_ERROR: s(2, '1 when the request body exceeded SecRequestBodyLimit'),
  IP: ck(1, 'persistent collection (initcol:ip)'),
  MATCHED_VAR: s(1, 'value of the last matched target (after transformations)'),
  MATCHED_VARS: c(1, 'targets matched by the current rule chain'),
  MATCHED_VARS_NAMES: c(1, 'names of the targets matched by the current rule chain'),
  MATCHED_VAR_NAME: s(1, 'name of the last matched target, e.g. ARGS:foo'),
  MODSEC_BUILD: s(1, 'ModSecurity build number this engine emulates (2.9.7)'),
  MULTIPART_BOUNDARY_QUOTED: s(2, 'multipart flag'),
  MULTIPART_BOUNDARY_WHITESPACE: s(2, 'multipart flag'),
  MULTIPART_CRLF_LF_LINES: s(2, 'multipart flag'),
  MULTIPART_DATA_AFTER: s(2, 'multipart flag'),
  MULTIPART_DATA_BEFORE: s(2, 'multipart flag'),
  MULTIPART_FILE_LIMIT_EXCEEDED: s(2, 'multipart flag'),
  MULTIPART_FILENAME: s(2, 'last filename= seen in a part header'),
  MULTIPART_HEADER_FOLDING: s(2, 'multipart flag'),
  MULTIPART_INVALID_HEADER_FOLDING: s(2, 'multipart flag'),
  MULTIPART_INVALID_PART: s(2, 'multipart flag'),
  MULTIPART_INVALID_QUOTING: s(2, 'multipart flag'),
  MULTIPART_LF_LINE: s(2, 'multipart flag'),
  MULTIPART_MISSING_SEMICOLON: s(2, 'multipart flag'),
  MULTIPART_NAME: s(2, 'last name= seen in a part header'),
  MULTIPART_PART_HEADERS: c(2, 'part header lines, keyed by part name'),
  MULTIPART_STRICT_ERROR: s(2, 'OR of the strict multipart flags'),
  MULTIPART_UNMATCHED_BOUNDARY: s(2, 'multipart flag'),
  OUTBOUND_DATA_ERROR: s(4, '1 when the response body exceeded SecResponseBodyLimit'),
  QUERY_STRING: s(1, 'raw query string (without "?"); absent when the URI has no "?"'),
  REMOTE_ADDR: s(1, 'client address'),
  REMOTE_HOST: s(1, 'client address (no reverse DNS, as Apache with HostnameLookups Off)'),
  REMOTE_PORT: s(1, 'client port'),
  REQBODY_ERROR: s(1, '1 when the body processor failed'),
  REQBODY_ERROR_MSG: s(1, 'body processor error message'),
  REQBODY_PROCESSOR: s(1, 'URLENCODED, MULTIPART, XML, JSON or "" when none'),
  REQBODY_PROCESSOR_ERROR: s(1, 'same as REQBODY_ERROR'),
  REQBODY_PROCESSOR_ERROR_MSG: s(1, 'same as REQBODY_ERROR_MSG'),
  REQUEST_BASENAME: s(1, 'last path segment of REQUEST_FILENAME'),
  REQUEST_BODY: s(2, 'raw body (URLENCODED, or forced with ctl:forceRequestBodyVariable)'),
  REQUEST_BODY_LENGTH: s(2, 'body length in bytes'),
  REQUEST_COOKIES: c(1, 'cookies (v0 or v1 parsing, SecCookieFormat)'),
  REQUEST_COOKIES_NAMES: c(1, 'cookie names'),
  REQUEST_FILENAME: s(1, 'decoded, normalised path (as Apache hands it to ModSecurity)'),
  REQUEST_HEADERS: c(1, 'request headers; duplicates merged with ", " as Apache does'),
  REQUEST_HEADERS_NAMES: c(1, 'request header names'),
  REQUEST_LINE: s(1, 'METHOD URI PROTOCOL (rebuilt)'),
  REQUEST_METHOD: s(1, 'request method'),
  REQUEST_PROTOCOL: s(1, 'request protocol'),
  REQUEST_URI: s(1, 'REQUEST_FILENAME plus "?" and the raw query string'),
  REQUEST_URI_RAW: s(1, 'request-target as sent'),
  RESOURCE: ck(1, 'persistent collection (initcol:resource / setrsc)'),
  RESPONSE_BODY: s(4, 'response body (when buffered and its MIME type is inspected)'),
  RESPONSE_CONTENT_LENGTH: s(3, 'response Content-Length'),
  RESPONSE_CONTENT_TYPE: s(3, 'response Content-Type'),
  RESPONSE_HEADERS: c(3, 'response headers'),
  RESPONSE_HEADERS_NAMES: c(3, 'response header names'),
  RESPONSE_PROTOCOL: s(3, 'response protocol'),
  RESPONSE_STATUS: s(3, 'response status code'),
  RULE: ck(1, 'metadata of the current rule: id rev severity msg logdata ver maturity accuracy'),
  SERVER_ADDR: s(1, 'server address'),
  SERVER_NAME: s(1, 'server name (Host header without port unless configured)'),
  SERVER_PORT: s(1, 'server port'),
  SESSION: ck(1, 'persistent collection (setsid)'),
  SESSIONID: s(1, 'value given to setsid'),
  STATUS_LINE: s(3, 'response status line, e.g. "HTTP/1.1 200 OK"'),
  TIME: s(1, 'YYYYMMDDhhmmss (UTC); v2 prints this, not the h:m:s the manual states'),
  TIME_DAY: s(1, 'day of month, 2 digits'),
  TIME_EPOCH: s(1, 'seconds since the epoch'),
  TIME_HOUR: s(1, 'hour, 2 digits (UTC)'),
  TIME_MIN: s(1, 'minute, 2 digits'),
  TIME_MON: s(1, 'month 01-12'),
  TIME_SEC: s(1, 'second, 2 digits'),
  TIME_WDAY: s(1, 'day of week, 0 = Sunday'),
  TIME_YEAR: s(1, 'four-digit year'),
  TX: ck(1, 'transaction collection'),
  UNIQUE_ID: s(1, 'transaction id'),
  URLENCODED_ERROR: s(1, '1 when an invalid %-sequence was seen in the query string or body'),
  USER: ck(1, 'persistent collection (setuid)'),
  USERAGENT_IP: s(1, 'client address (no mod_remoteip at the edge)'),
  USERID: s(1, 'value given to setuid'),
  WEBAPPID: s(1, 'SecWebAppId'),
  XML: c(2, 'XML body: XML:/* (all text) and XML://@* (attribute values)'),
}

/** v2 variables that cannot exist at the edge, with the reason the compiler reports. */
export const VARIABLES_NOT_AVAILABLE: Record<string, string> = {
  AUTH_TYPE: 'set by Apache authentication modules; there is no web-server authentication at the edge',
  REMOTE_USER: 'set by Apache authentication modules; there is no web-server authentication at the edge',
  PATH_INFO: 'Apache handler path info; there is no handler at the edge',
  MULTIPART_CRLF_LINE: 'the multipart body processor does not report this v2-only flag',
  PERF_ALL: 'per-phase performance counters are not tracked',
  PERF_COMBINED: 'per-phase performance counters are not tracked',
  PERF_GC: 'per-phase performance counters are not tracked',
  PERF_LOGGING: 'per-phase performance counters are not tracked',
  PERF_PHASE1: 'per-phase performance counters are not tracked',
  PERF_PHASE2: 'per-phase performance counters are not tracked',
  PERF_PHASE3: 'per-phase performance counters are not tracked',
  PERF_PHASE4: 'per-phase performance counters are not tracked',
  PERF_PHASE5: 'per-phase performance counters are not tracked',
  PERF_RULES: 'per-phase performance counters are not tracked',
  PERF_SREAD: 'per-phase performance counters are not tracked',
  PERF_SWRITE: 'per-phase performance counters are not tracked',
  SCRIPT_BASENAME: 'there is no script file at the edge (Apache handler variable)',
  SCRIPT_FILENAME: 'there is no script file at the edge (Apache handler variable)',
  SCRIPT_GID: 'there is no script file at the edge (Apache handler variable)',
  SCRIPT_GROUPNAME: 'there is no script file at the edge (Apache handler variable)',
  SCRIPT_MODE: 'there is no script file at the edge (Apache handler variable)',
  SCRIPT_UID: 'there is no script file at the edge (Apache handler variable)',
  SCRIPT_USERNAME: 'there is no script file at the edge (Apache handler variable)',
  SDBM_DELETE_ERROR: 'persistent collections use the PersistentStore, not SDBM files',
  STREAM_INPUT_BODY: 'stream body inspection (@rsub) is not supported',
  STREAM_OUTPUT_BODY: 'stream body inspection (@rsub) is not supported',
  WEBSERVER_ERROR_LOG: 'there is no web server error log at the edge',
}
