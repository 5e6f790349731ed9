/**
 * The action registry: every ModSecurity 2.9 action by its SecLang name, with its group (as the
 * Reference Manual classifies it), whether it takes an argument, and where it takes effect.
 * The compiler validates action names and arguments against it; the engine runs the
 * 'engine' ones (link-action.ts, run.ts) and reads the 'compiler' ones from the rule fields the
 * compiler fills (id, msg, phase, chain, skipAfter, t, ...).
 */
export type ActionGroup = 'disruptive' | 'flow' | 'metadata' | 'data' | 'non-disruptive'

export interface ActionDef {
  group: ActionGroup
  /** none: no argument; required; optional (allow[:phase|request], sanitiseMatchedBytes[:x/y]) */
  arg: 'none' | 'required' | 'optional'
  /** compiler: folded into rule fields at build time; engine: executed per match at run time */
  where: 'compiler' | 'engine'
  doc: string
}

const a = (group: ActionGroup, arg: ActionDef['arg'], where: ActionDef['where'], doc: string): ActionDef => ({
  group,
  arg,
  where,
  doc,
})

export const ACTIONS: Record<string, ActionDef> = {
  accuracy: a('metadata', 'required', 'compiler', 'relative accuracy 1-9'),
  allow: a(
    'disruptive',
    'optional',
    'engine',
    'stop rule processing: allow (all phases but 5), allow:phase, allow:request',
  ),
  auditlog: a('non-disruptive', 'none', 'compiler', 'mark the transaction for the audit log'),
  block: a('disruptive', 'none', 'engine', 'the disruptive action of the SecDefaultAction in force'),
  capture: a('non-disruptive', 'none', 'compiler', 'copy regex captures to TX.0-TX.9'),
  chain: a('flow', 'none', 'compiler', 'the next rule is part of this one (logical AND)'),
  ctl: a('non-disruptive', 'required', 'engine', 'change configuration for this transaction'),
  deny: a('disruptive', 'none', 'engine', 'stop and answer with status (403 by default)'),
  deprecatevar: a(
    'non-disruptive',
    'required',
    'engine',
    'decrease a persistent counter over time: col.var=N/S',
  ),
  drop: a('disruptive', 'none', 'engine', 'close the connection'),
  expirevar: a('non-disruptive', 'required', 'engine', 'expire a persistent variable after N seconds'),
  id: a('metadata', 'required', 'compiler', 'rule id'),
  initcol: a(
    'non-disruptive',
    'required',
    'engine',
    'load a persistent collection: initcol:ip=%{REMOTE_ADDR}',
  ),
  log: a('non-disruptive', 'none', 'compiler', 'log matches to the error log and audit log'),
  logdata: a('metadata', 'required', 'compiler', 'data fragment for the alert (macro-expanded)'),
  maturity: a('metadata', 'required', 'compiler', 'maturity 1-9'),
  msg: a('metadata', 'required', 'compiler', 'alert message (macro-expanded)'),
  multiMatch: a(
    'non-disruptive',
    'none',
    'compiler',
    'run the operator after every transformation that changes the value',
  ),
  noauditlog: a('non-disruptive', 'none', 'compiler', 'do not mark the transaction for the audit log'),
  nolog: a('non-disruptive', 'none', 'compiler', 'no error log and no audit log for this rule'),
  pass: a('disruptive', 'none', 'engine', 'continue with the next rule'),
  phase: a('metadata', 'required', 'compiler', 'phase 1-5 (or request/response/logging)'),
  proxy: a(
    'disruptive',
    'required',
    'engine',
    'forward the request to another URL (returned to the Worker as a proxy interruption)',
  ),
  redirect: a(
    'disruptive',
    'required',
    'engine',
    'answer with a redirection (status 301/302/303/307, default 302)',
  ),
  rev: a('metadata', 'required', 'compiler', 'rule revision'),
  sanitiseArg: a('non-disruptive', 'required', 'engine', 'mask an argument in the audit log'),
  sanitizeArg: a('non-disruptive', 'required', 'engine', 'alias of sanitiseArg'),
  sanitiseMatched: a('non-disruptive', 'none', 'engine', 'mask the matched variable in the audit log'),
  sanitizeMatched: a('non-disruptive', 'none', 'engine', 'alias of sanitiseMatched'),
  sanitiseMatchedBytes: a('non-disruptive', 'optional', 'engine', 'mask the matched bytes in the audit log'),
  sanitizeMatchedBytes: a('non-disruptive', 'optional', 'engine', 'alias of sanitiseMatchedBytes'),
  sanitiseRequestHeader: a('non-disruptive', 'required', 'engine', 'mask a request header in the audit log'),
  sanitizeRequestHeader: a('non-disruptive', 'required', 'engine', 'alias of sanitiseRequestHeader'),
  sanitiseResponseHeader: a(
    'non-disruptive',
    'required',
    'engine',
    'mask a response header in the audit log',
  ),
  sanitizeResponseHeader: a('non-disruptive', 'required', 'engine', 'alias of sanitiseResponseHeader'),
  setenv: a('non-disruptive', 'required', 'engine', 'set (name=value) or unset (!name) an ENV variable'),
  setrsc: a('non-disruptive', 'required', 'engine', 'initialise the RESOURCE collection'),
  setsid: a('non-disruptive', 'required', 'engine', 'initialise the SESSION collection'),
  setuid: a('non-disruptive', 'required', 'engine', 'initialise the USER collection'),
  setvar: a(
    'non-disruptive',
    'required',
    'engine',
    'set (=), add (=+), subtract (=-) or delete (!) a collection variable',
  ),
  severity: a('metadata', 'required', 'compiler', 'severity 0-7 or its name'),
  skip: a('flow', 'required', 'compiler', 'skip the next N rules (resolved to Rule.jumpTo)'),
  skipAfter: a('flow', 'required', 'compiler', 'continue after a marker (resolved to Rule.jumpTo)'),
  status: a('data', 'required', 'compiler', 'status for deny and redirect'),
  t: a('non-disruptive', 'required', 'compiler', 'transformation (interned in Bundle.tchains)'),
  tag: a('metadata', 'required', 'compiler', 'tag (macro-expanded in the alert)'),
  ver: a('metadata', 'required', 'compiler', 'rule set version'),
  xmlns: a(
    'data',
    'required',
    'engine',
    'XPath namespace (accepted; the XML processor answers /* and //@* only)',
  ),
  append: a('non-disruptive', 'required', 'engine', 'append text to the response body'),
  prepend: a('non-disruptive', 'required', 'engine', 'prepend text to the response body'),
  exec: a('non-disruptive', 'required', 'engine', 'run an external program or Lua script'),
  pause: a('disruptive', 'required', 'engine', 'delay the response'),
}

/** Actions the engine refuses, with the reason the compiler reports. */
export const ACTIONS_NOT_IMPLEMENTED: Record<string, string> = {
  exec: 'no external programs or Lua scripts at the edge',
  append: 'content injection (SecContentInjection) is not supported at the edge',
  prepend: 'content injection (SecContentInjection) is not supported at the edge',
  pause: 'delaying responses is not supported at the edge (it only ties up the Worker)',
}

/** ctl options (ctl:option=value). */
export const CTL_OPTIONS: Record<string, string> = {
  ruleEngine: 'On | Off | DetectionOnly for this transaction',
  ruleRemoveById: 'skip rules by id or range (a-b), comma-separated, for the rest of the transaction',
  ruleRemoveByTag: 'skip rules with a tag matching this regex',
  ruleRemoveByMsg: 'skip rules whose msg matches this regex',
  ruleRemoveTargetById:
    'id;TARGET[,TARGET]: stop evaluating targets of a rule (exact names, case-insensitive)',
  ruleRemoveTargetByTag: 'tagregex;TARGET[,TARGET]',
  ruleRemoveTargetByMsg: 'msgregex;TARGET[,TARGET]',
  requestBodyProcessor: 'URLENCODED | MULTIPART | XML | JSON (set in phase 1)',
  requestBodyAccess: 'On | Off (phase 1)',
  requestBodyLimit: 'bytes (phase 1)',
  forceRequestBodyVariable: 'On | Off: fill REQUEST_BODY when no processor applies',
  responseBodyAccess: 'On | Off (phases 1-3)',
  responseBodyLimit: 'bytes (phases 1-3)',
  auditEngine: 'On | Off | RelevantOnly',
  auditLogParts: 'parts, or +parts / -parts',
  debugLogLevel: 'accepted; there is no debug log (no-op)',
  hashEngine: 'accepted; the HMAC engine is not supported (no-op)',
  hashEnforcement: 'accepted; the HMAC engine is not supported (no-op)',
}
