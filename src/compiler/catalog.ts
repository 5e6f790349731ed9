/**
 * The SecLang language as ModSecurity 2.9 defines it: every operator, action and variable name
 * the compiler recognises (transformation names come from the engine's registry, which has all
 * of them). A name that is not here is an error ("unknown ...").
 * A name that is here but that the engine does not implement is refused with the engine's
 * reason (see the engine registries' NOT_IMPLEMENTED lists). Lookups are case-insensitive, as in
 * v2; the bundle always stores the canonical spelling below.
 */

/** v2.9 operators (38) + v3's rxGlobal/verifySVNR (refused unless the engine has them). */
export const OPERATOR_NAMES = [
  'beginsWith',
  'contains',
  'containsWord',
  'detectSQLi',
  'detectXSS',
  'endsWith',
  'eq',
  'fuzzyHash',
  'ge',
  'geoLookup',
  'gsbLookup',
  'gt',
  'inspectFile',
  'ipMatch',
  'ipMatchF',
  'ipMatchFromFile',
  'le',
  'lt',
  'noMatch',
  'pm',
  'pmf',
  'pmFromFile',
  'rbl',
  'rsub',
  'rx',
  'rxGlobal',
  'streq',
  'strmatch',
  'unconditionalMatch',
  'validateByteRange',
  'validateDTD',
  'validateHash',
  'validateSchema',
  'validateUrlEncoding',
  'validateUtf8Encoding',
  'verifyCC',
  'verifyCPF',
  'verifySSN',
  'verifySVNR',
  'within',
] as const

/** Operators whose argument names data files, read and inlined at build time. */
export const FILE_OPERATORS: Record<string, 'phrases' | 'cidrs'> = {
  pmFromFile: 'phrases',
  pmf: 'phrases',
  ipMatchFromFile: 'cidrs',
  ipMatchF: 'cidrs',
}

/** Aliases folded to one canonical operator in the bundle. */
export const OPERATOR_ALIASES: Record<string, string> = {
  pmf: 'pmFromFile',
  ipMatchF: 'ipMatchFromFile',
}

export type ActionGroup = 'disruptive' | 'flow' | 'metadata' | 'variable' | 'non-disruptive' | 'data'
export type ArgRule = 'none' | 'required' | 'optional'

export interface ActionInfo {
  group: ActionGroup
  arg: ArgRule
  /** may appear on a chained (non-starter) rule */
  inChain: boolean
  /** one value per rule (a later one overrides); otherwise each occurrence adds one */
  single: boolean
}

const A = (group: ActionGroup, arg: ArgRule, inChain: boolean, single: boolean): ActionInfo => ({
  group,
  arg,
  inChain,
  single,
})

/** v2.9's 47 actions (+ the sanitize* spellings). */
export const ACTION_INFO: Record<string, ActionInfo> = {
  accuracy: A('metadata', 'required', false, true),
  allow: A('disruptive', 'optional', false, true),
  append: A('non-disruptive', 'required', true, false),
  auditlog: A('non-disruptive', 'none', true, true),
  block: A('disruptive', 'none', false, true),
  capture: A('non-disruptive', 'none', true, true),
  chain: A('flow', 'none', true, true),
  ctl: A('non-disruptive', 'required', true, false),
  deny: A('disruptive', 'none', false, true),
  deprecatevar: A('variable', 'required', true, false),
  drop: A('disruptive', 'none', false, true),
  exec: A('non-disruptive', 'required', true, false),
  expirevar: A('variable', 'required', true, false),
  id: A('metadata', 'required', false, true),
  initcol: A('variable', 'required', true, false),
  log: A('non-disruptive', 'none', true, true),
  logdata: A('metadata', 'required', false, true),
  maturity: A('metadata', 'required', false, true),
  msg: A('metadata', 'required', false, true),
  multiMatch: A('non-disruptive', 'none', true, true),
  noauditlog: A('non-disruptive', 'none', true, true),
  nolog: A('non-disruptive', 'none', true, true),
  pass: A('disruptive', 'none', false, true),
  pause: A('disruptive', 'required', false, true),
  phase: A('metadata', 'required', false, true),
  prepend: A('non-disruptive', 'required', true, false),
  proxy: A('disruptive', 'required', false, true),
  redirect: A('disruptive', 'required', false, true),
  rev: A('metadata', 'required', false, true),
  sanitiseArg: A('non-disruptive', 'required', true, false),
  sanitiseMatched: A('non-disruptive', 'none', true, false),
  sanitiseMatchedBytes: A('non-disruptive', 'optional', true, false),
  sanitiseRequestHeader: A('non-disruptive', 'required', true, false),
  sanitiseResponseHeader: A('non-disruptive', 'required', true, false),
  severity: A('metadata', 'required', false, true),
  setenv: A('variable', 'required', true, false),
  setrsc: A('variable', 'required', true, false),
  setsid: A('variable', 'required', true, false),
  setuid: A('variable', 'required', true, false),
  setvar: A('variable', 'required', true, false),
  skip: A('flow', 'required', false, true),
  skipAfter: A('flow', 'required', false, true),
  status: A('data', 'required', false, true),
  t: A('non-disruptive', 'required', true, false),
  tag: A('metadata', 'required', false, false),
  ver: A('metadata', 'required', false, true),
  xmlns: A('data', 'required', true, false),
}

export const ACTION_ALIASES: Record<string, string> = {
  sanitizeArg: 'sanitiseArg',
  sanitizeMatched: 'sanitiseMatched',
  sanitizeMatchedBytes: 'sanitiseMatchedBytes',
  sanitizeRequestHeader: 'sanitiseRequestHeader',
  sanitizeResponseHeader: 'sanitiseResponseHeader',
}

/** ctl options of v2.9 and what their value must look like. */
export const CTL_OPTIONS: Record<string, 'onoff' | 'engine' | 'number' | 'text' | 'target' | 'processor'> = {
  auditEngine: 'engine',
  auditLogParts: 'text',
  debugLogLevel: 'number',
  forceRequestBodyVariable: 'onoff',
  hashEnforcement: 'onoff',
  hashEngine: 'onoff',
  requestBodyAccess: 'onoff',
  requestBodyLimit: 'number',
  requestBodyProcessor: 'processor',
  responseBodyAccess: 'onoff',
  responseBodyLimit: 'number',
  ruleEngine: 'engine',
  ruleRemoveById: 'text',
  ruleRemoveByMsg: 'text',
  ruleRemoveByTag: 'text',
  ruleRemoveTargetById: 'target',
  ruleRemoveTargetByMsg: 'target',
  ruleRemoveTargetByTag: 'target',
}

export type VariableKind = 'collection' | 'scalar'

/**
 * v2.9 variables. 'collection' variables take `:key` and `:/regex/` selectors; scalars do not.
 * Persistent collections (IP, SESSION, USER, GLOBAL, RESOURCE) and any name given to initcol are
 * collections too.
 */
export const VARIABLE_KINDS: Record<string, VariableKind> = {
  ARGS: 'collection',
  ARGS_COMBINED_SIZE: 'scalar',
  ARGS_GET: 'collection',
  ARGS_GET_NAMES: 'collection',
  ARGS_NAMES: 'collection',
  ARGS_POST: 'collection',
  ARGS_POST_NAMES: 'collection',
  AUTH_TYPE: 'scalar',
  DURATION: 'scalar',
  ENV: 'collection',
  FILES: 'collection',
  FILES_COMBINED_SIZE: 'scalar',
  FILES_NAMES: 'collection',
  FILES_SIZES: 'collection',
  FILES_TMPNAMES: 'collection',
  FILES_TMP_CONTENT: 'collection',
  FULL_REQUEST: 'scalar',
  FULL_REQUEST_LENGTH: 'scalar',
  GEO: 'collection',
  GLOBAL: 'collection',
  HIGHEST_SEVERITY: 'scalar',
  INBOUND_DATA_ERROR: 'scalar',
  IP: 'collection',
  MATCHED_VAR: 'scalar',
  MATCHED_VARS: 'collection',
  MATCHED_VARS_NAMES: 'collection',
  MATCHED_VAR_NAME: 'scalar',
  MODSEC_BUILD: 'scalar',
  MULTIPART_BOUNDARY_QUOTED: 'scalar',
  MULTIPART_BOUNDARY_WHITESPACE: 'scalar',
  MULTIPART_CRLF_LF_LINES: 'scalar',
  MULTIPART_CRLF_LINE: 'scalar',
  MULTIPART_DATA_AFTER: 'scalar',
  MULTIPART_DATA_BEFORE: 'scalar',
  MULTIPART_FILENAME: 'collection',
  MULTIPART_FILE_LIMIT_EXCEEDED: 'scalar',
  MULTIPART_HEADER_FOLDING: 'scalar',
  MULTIPART_INVALID_HEADER_FOLDING: 'scalar',
  MULTIPART_INVALID_PART: 'scalar',
  MULTIPART_INVALID_QUOTING: 'scalar',
  MULTIPART_LF_LINE: 'scalar',
  MULTIPART_MISSING_SEMICOLON: 'scalar',
  MULTIPART_NAME: 'collection',
  MULTIPART_PART_HEADERS: 'collection',
  MULTIPART_STRICT_ERROR: 'scalar',
  MULTIPART_UNMATCHED_BOUNDARY: 'scalar',
  OUTBOUND_DATA_ERROR: 'scalar',
  PATH_INFO: 'scalar',
  PERF_ALL: 'scalar',
  PERF_COMBINED: 'scalar',
  PERF_GC: 'scalar',
  PERF_LOGGING: 'scalar',
  PERF_PHASE1: 'scalar',
  PERF_PHASE2: 'scalar',
  PERF_PHASE3: 'scalar',
  PERF_PHASE4: 'scalar',
  PERF_PHASE5: 'scalar',
  PERF_RULES: 'collection',
  PERF_SREAD: 'scalar',
  PERF_SWRITE: 'scalar',
  QUERY_STRING: 'scalar',
  REMOTE_ADDR: 'scalar',
  REMOTE_HOST: 'scalar',
  REMOTE_PORT: 'scalar',
  REMOTE_USER: 'scalar',
  REQBODY_ERROR: 'scalar',
  REQBODY_ERROR_MSG: 'scalar',
  REQBODY_PROCESSOR: 'scalar',
  REQBODY_PROCESSOR_ERROR: 'scalar',
  REQBODY_PROCESSOR_ERROR_MSG: 'scalar',
  REQUEST_BASENAME: 'scalar',
  REQUEST_BODY: 'scalar',
  REQUEST_BODY_LENGTH: 'scalar',
  REQUEST_COOKIES: 'collection',
  REQUEST_COOKIES_NAMES: 'collection',
  REQUEST_FILENAME: 'scalar',
  REQUEST_HEADERS: 'collection',
  REQUEST_HEADERS_NAMES: 'collection',
  REQUEST_LINE: 'scalar',
  REQUEST_METHOD: 'scalar',
  REQUEST_PROTOCOL: 'scalar',
  REQUEST_URI: 'scalar',
  REQUEST_URI_RAW: 'scalar',
  RESOURCE: 'collection',
  RESPONSE_BODY: 'scalar',
  RESPONSE_CONTENT_LENGTH: 'scalar',
  RESPONSE_CONTENT_TYPE: 'scalar',
  RESPONSE_HEADERS: 'collection',
  RESPONSE_HEADERS_NAMES: 'collection',
  RESPONSE_PROTOCOL: 'scalar',
  RESPONSE_STATUS: 'scalar',
  RULE: 'collection',
  SCRIPT_BASENAME: 'scalar',
  SCRIPT_FILENAME: 'scalar',
  SCRIPT_GID: 'scalar',
  SCRIPT_GROUPNAME: 'scalar',
  SCRIPT_MODE: 'scalar',
  SCRIPT_UID: 'scalar',
  SCRIPT_USERNAME: 'scalar',
  SDBM_DELETE_ERROR: 'scalar',
  SERVER_ADDR: 'scalar',
  SERVER_NAME: 'scalar',
  SERVER_PORT: 'scalar',
  SESSION: 'collection',
  SESSIONID: 'scalar',
  STATUS_LINE: 'scalar',
  STREAM_INPUT_BODY: 'scalar',
  STREAM_OUTPUT_BODY: 'scalar',
  TIME: 'scalar',
  TIME_DAY: 'scalar',
  TIME_EPOCH: 'scalar',
  TIME_HOUR: 'scalar',
  TIME_MIN: 'scalar',
  TIME_MON: 'scalar',
  TIME_SEC: 'scalar',
  TIME_WDAY: 'scalar',
  TIME_YEAR: 'scalar',
  TX: 'collection',
  UNIQUE_ID: 'scalar',
  URLENCODED_ERROR: 'scalar',
  USER: 'collection',
  USERAGENT_IP: 'scalar',
  USERID: 'scalar',
  WEBAPPID: 'scalar',
  WEBSERVER_ERROR_LOG: 'collection',
  XML: 'collection',
}

/** v3 spelling accepted by v2 too. */
export const VARIABLE_ALIASES: Record<string, string> = {
  MULTIPART_SEMICOLON_MISSING: 'MULTIPART_MISSING_SEMICOLON',
}

/** Case-insensitive lookup table builder: lower-cased name -> canonical name. */
export function foldTable(names: Iterable<string>, aliases: Record<string, string> = {}): Map<string, string> {
  const m = new Map<string, string>()
  for (const n of names) m.set(n.toLowerCase(), n)
  for (const [alias, canonical] of Object.entries(aliases)) m.set(alias.toLowerCase(), canonical)
  return m
}
