/**
 * The bundle: the one contract between the compiler (build time, Node) and the engine
 * (run time, Workers or Node). It is plain JSON. It names operators, transformations, actions
 * and variables by their canonical SecLang spelling; the engine links those names to code once
 * per isolate.
 *
 * Bump rule: any change that an older reader would misread bumps BUNDLE_FORMAT_VERSION and gets
 * a BREAKING entry in CHANGELOG.md. The engine refuses a bundle whose version differs (exact
 * match: the compiler and the Worker always come from the same commit).
 */

export const BUNDLE_FORMAT = 'waf-bundle'
export const BUNDLE_FORMAT_VERSION = 1

/** Phases 1..5 as in ModSecurity: request headers, request body, response headers, response body, logging. */
export type PhaseNumber = 1 | 2 | 3 | 4 | 5

export interface Bundle {
  format: typeof BUNDLE_FORMAT
  formatVersion: number
  /** package.json version of the compiler that produced the bundle */
  compiler: string
  /** every file read (rule files and data files), in the order first read */
  sources: SourceFile[]
  /** SecComponentSignature values, in order */
  components: string[]
  config: EngineConfig
  /** interned transformation chains; Rule.t indexes into this; index 0 is always the empty chain */
  tchains: string[][]
  /** rules per phase, index 0 = phase 1 ... index 4 = phase 5, in file order */
  phases: Rule[][]
}

export interface SourceFile {
  /** path relative to the entry file's directory when inside it, else as resolved (absolute) */
  path: string
  sha256: string
  kind: 'rules' | 'data'
}

/**
 * Where a rule came from: [index into Bundle.sources, 1-based line]. The line is the LAST physical
 * line of a directive continued with a trailing backslash, which is what ModSecurity 2.9 logs as [line].
 */
export type SourceRef = [number, number]

/**
 * Text with macros, parsed once at build time. A plain string has no macros. An array
 * alternates literal strings and macro references, e.g. "score %{tx.anomaly_score}" is
 * ["score ", { c: "TX", k: "anomaly_score" }].
 */
export type Template = string | TemplatePart[]
export type TemplatePart = string | MacroRef
/** %{COLLECTION.key} or %{VARIABLE}: c is the canonical upper-case variable name. */
export interface MacroRef {
  c: string
  k?: string
}

/** A compiled regular expression: source and flags for `new RegExp`, already JavaScript. */
export interface RegexSpec {
  source: string
  flags: string
  /**
   * PCRE group n -> JS group index, present only when the translation added helper groups
   * (atomic groups / possessive quantifiers); absent = same numbering.
   */
  groups?: number[]
  /**
   * Execution strategy chosen at build time (src/compiler/regex/strategy.ts). Absent = 'v8'.
   * 'linear': always run `linear` on the linear-time engine (ReDoS-prone patterns).
   */
  engine?: 'v8' | 'linear'
  /**
   * With engine 'v8': subjects longer than this many bytes run on `linear` instead, or, when
   * there is no `linear`, are not evaluated and set TX:MSC_PCRE_LIMITS_EXCEEDED.
   */
  lengthCap?: number
  /** The same pattern in RE2 syntax for the linear-time engine (re2js), when RE2 expresses it exactly. */
  linear?: string
  /**
   * A capturing group sits inside a repetition: capture values are taken from `linear`, which
   * keeps earlier iterations' values as PCRE does (JS resets them at each iteration).
   */
  repeatCaptures?: true
  /**
   * Optional, additive (older engines ignore it): required literals computed from the pattern at
   * build time (src/compiler/regex/prefilter.ts). Every match contains at least one of these
   * ASCII-lower-case strings, compared with ASCII case folded, so the engine does not run the
   * regex on a subject that contains none of them. Absent: no selective requirement.
   */
  prefilter?: string[]
}

export interface VariableRef {
  /** canonical upper-case name: ARGS, REQUEST_HEADERS, TX, ... */
  name: string
  /** literal key selector (ARGS:foo); compared case-insensitively where v2 does */
  key?: string
  /** regex key selector (ARGS:/^foo/) */
  keyRx?: RegexSpec
  /** `&VAR`: the count of matching entries instead of their values */
  count?: true
  /** `!VAR:key`: remove these entries from the rule's targets */
  exclude?: true
}

export interface OperatorRef {
  /** canonical SecLang name without '@': rx, pm, streq, detectSQLi, ... */
  name: string
  negated: boolean
  /** the argument as written (after unescaping of the rule's quoting) */
  arg: string
  /** the argument with macros, when the operator expands them per transaction */
  argTemplate?: Template
  /** operator-specific data prepared at build time (translated regex, inlined phrases, CIDRs...) */
  params?: OperatorParams
}

export type OperatorParams =
  | { kind: 'rx'; regex: RegexSpec }
  | { kind: 'phrases'; phrases: string[] }
  | { kind: 'cidrs'; cidrs: string[] }
  | { kind: 'byteRanges'; ranges: [number, number][] }
  | { kind: 'number'; value: number }
  | { kind: 'strings'; values: string[] }

export type DisruptiveName = 'pass' | 'deny' | 'drop' | 'block' | 'allow' | 'redirect' | 'proxy' | 'pause'

export interface Disruptive {
  name: DisruptiveName
  /** allow:phase / allow:request */
  allow?: 'phase' | 'request' | 'all'
  /** redirect / proxy target */
  target?: Template
}

/** setvar:NAME=VALUE and its forms: '=' set, '+' add, '-' subtract, '!' delete */
export interface SetvarAction {
  name: 'setvar'
  collection: string
  key: Template
  op: '=' | '+' | '-' | '!'
  value?: Template
}

/** ctl:option=value (ruleRemoveById, ruleRemoveTargetById, requestBodyProcessor, ...) */
export interface CtlAction {
  name: 'ctl'
  option: string
  value: string
}

/** Any other non-disruptive action that runs when the rule matches (setenv, initcol, expirevar, ...). */
export interface GenericAction {
  name: string
  arg?: Template
}

export type Action = SetvarAction | CtlAction | GenericAction

export interface Rule {
  /** rule id; chained (non-starter) rules carry their starter's id */
  id: number
  src: SourceRef
  /** targets; empty for SecAction and SecMarker */
  vars: VariableRef[]
  op: OperatorRef
  /** index into Bundle.tchains */
  t: number
  /** non-disruptive actions to run on a match, in rule order, SecDefaultAction ones first */
  actions: Action[]
  /** disruptive action after SecDefaultAction merge; `block` is kept as written */
  disruptive: Disruptive
  /** the disruptive action `block` stands for (the phase's SecDefaultAction at definition time) */
  blockAs?: Disruptive
  status?: number
  msg?: Template
  logdata?: Template
  severity?: number
  tags?: Template[]
  ver?: string
  rev?: string
  accuracy?: number
  maturity?: number
  log: boolean
  auditlog: boolean
  capture?: true
  multiMatch?: true
  /** SecMarker placeholder: never matches, name kept for diagnostics */
  marker?: string
  /** on match, continue at this index of the same phase's rule list (resolved skip / skipAfter) */
  jumpTo?: number
  /** next rule of the chain */
  chain?: Rule
}

export type RuleEngineMode = 'On' | 'Off' | 'DetectionOnly'

/** Directives that configure the engine rather than add rules. Last one wins, as in v2. */
export interface EngineConfig {
  ruleEngine: RuleEngineMode
  requestBodyAccess: boolean
  requestBodyLimit: number
  requestBodyNoFilesLimit: number
  requestBodyLimitAction: 'Reject' | 'ProcessPartial'
  requestBodyJsonDepthLimit: number
  argumentsLimit: number
  argumentSeparator: string
  responseBodyAccess: boolean
  responseBodyLimit: number
  responseBodyLimitAction: 'Reject' | 'ProcessPartial'
  responseBodyMimeTypes: string[]
  uploadFileLimit: number
  uploadKeepFiles: 'On' | 'Off' | 'RelevantOnly'
  auditEngine: 'On' | 'Off' | 'RelevantOnly'
  auditLogParts: string
  /** SecAuditLogRelevantStatus, translated */
  auditLogRelevantStatus?: RegexSpec
  auditLogFormat: 'Native' | 'JSON'
  collectionTimeout: number
  pcreMatchLimit: number
  webAppId: string
  sensorId?: string
  cookieFormat: 0 | 1
  unicodeCodePage?: number
  /** SecUnicodeMapFile contents for the selected code page: unicode code point -> byte */
  unicodeMap?: [number, number][]
  /** SecHttpBlKey: Project Honey Pot access key, put before the reversed address by @rbl with an httpbl.org zone */
  httpBlKey?: string
}

export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  ruleEngine: 'Off',
  requestBodyAccess: false,
  requestBodyLimit: 134217728,
  requestBodyNoFilesLimit: 1048576,
  requestBodyLimitAction: 'Reject',
  requestBodyJsonDepthLimit: 10000,
  argumentsLimit: 1000,
  argumentSeparator: '&',
  responseBodyAccess: false,
  responseBodyLimit: 524288,
  responseBodyLimitAction: 'Reject',
  responseBodyMimeTypes: ['text/plain', 'text/html'],
  uploadFileLimit: 100,
  uploadKeepFiles: 'Off',
  auditEngine: 'Off',
  auditLogParts: 'ABCFHZ',
  auditLogFormat: 'Native',
  collectionTimeout: 3600,
  pcreMatchLimit: 1000,
  webAppId: 'default',
  cookieFormat: 0,
}
