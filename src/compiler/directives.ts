/**
 * The directive table: every ModSecurity 2.9 directive (and the few Apache ones that appear in
 * ModSecurity configurations) is compiled, accepted with a warning that says why it has no
 * effect at the edge, or refused with a one-line reason. Names are case-insensitive (Apache).
 * Rule directives (SecRule, SecAction, ...) are handled in rules.ts / rule-updates.ts; the
 * driver handles Include and <IfDefine>.
 */
import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, resolve } from 'node:path'
import type { EngineConfig } from '../bundle/schema'
import { parseUnicodeMap } from '../engine/transformations/unicode-map'
import type { DirectiveNode, Token } from './lexer'
import { compileRegexOrThrow } from './regex-bridge'
import { errorAt, errorAtNode } from './rules'
import { registerSource } from './sources'
import type { CompileState } from './state'

type Handler = (state: CompileState, node: DirectiveNode) => void

export type DirectiveEntry =
  | { kind: 'compile'; handler: Handler }
  | { kind: 'rule' }
  | { kind: 'warn'; reason: string }
  | { kind: 'refuse'; reason: string }

function args(node: DirectiveNode, n: number, usage: string): Token[] {
  if (node.args.length !== n) throw errorAtNode(node, `${node.name} takes ${n} argument${n === 1 ? '' : 's'}: ${usage}`)
  return node.args
}

function one(node: DirectiveNode, usage: string): Token {
  return args(node, 1, usage)[0] as Token
}

function choice<T extends string>(node: DirectiveNode, values: readonly T[]): T {
  const tok = one(node, values.join(' | '))
  const found = values.find((v) => v.toLowerCase() === tok.value.toLowerCase())
  if (found === undefined) throw errorAt(node, tok, 0, `${node.name} must be one of ${values.join(', ')}; got "${tok.value}"`)
  return found
}

function num(node: DirectiveNode, min = 0): number {
  const tok = one(node, 'a number')
  if (!/^\d+$/.test(tok.value)) throw errorAt(node, tok, 0, `${node.name} needs a non-negative integer; got "${tok.value}"`)
  const n = Number(tok.value)
  if (n < min) throw errorAt(node, tok, 0, `${node.name} must be at least ${min}`)
  return n
}

function set<K extends keyof EngineConfig>(key: K, read: (node: DirectiveNode) => EngineConfig[K]): DirectiveEntry {
  return {
    kind: 'compile',
    handler: (state, node) => {
      state.config[key] = read(node)
    },
  }
}

const onOff = (node: DirectiveNode): boolean => choice(node, ['On', 'Off'] as const) === 'On'

const warn = (reason: string): DirectiveEntry => ({ kind: 'warn', reason })
const refuse = (reason: string): DirectiveEntry => ({ kind: 'refuse', reason })

/** Accept only the value that is a no-op at the edge; refuse the other with a reason. */
function onlyOff(reason: string): DirectiveEntry {
  return {
    kind: 'compile',
    handler: (_state, node) => {
      if (choice(node, ['On', 'Off'] as const) === 'On') throw errorAtNode(node, `${node.name} On is not supported: ${reason}`)
    },
  }
}

const AUDIT_PARTS = /^[ABCDEFGHIJKZ]+$/

function unicodeMapFile(state: CompileState, node: DirectiveNode): void {
  if (node.args.length !== 2) throw errorAtNode(node, `${node.name} takes 2 arguments: the mapping file and a code page`)
  const fileTok = node.args[0] as Token
  const cpTok = node.args[1] as Token
  if (!/^\d+$/.test(cpTok.value)) throw errorAt(node, cpTok, 0, `code page must be a number; got "${cpTok.value}"`)
  const path = isAbsolute(fileTok.value) ? fileTok.value : resolve(dirname(node.path), fileTok.value)
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch {
    throw errorAt(node, fileTok, 0, `cannot read unicode mapping file "${fileTok.value}" (looked for ${path})`)
  }
  registerSource(state, path, bytes, 'data')
  const codePage = Number(cpTok.value)
  // v2's loader (shared with the engine's tests); it always holds 4 built-in full-stop entries
  const map = parseUnicodeMap(bytes.toString('latin1'), codePage)
  if (map.size <= 4) throw errorAt(node, cpTok, 0, `code page ${codePage} is not in ${fileTok.value}`)
  state.config.unicodeCodePage = codePage
  state.config.unicodeMap = [...map.entries()].sort((a, b) => a[0] - b[0])
}

const NO_FILES = 'the Worker has no file system'
const NO_APACHE = 'there is no Apache server at the edge'

export const DIRECTIVES: Record<string, DirectiveEntry> = {
  SecAction: { kind: 'rule' },
  SecRule: { kind: 'rule' },
  SecMarker: { kind: 'rule' },
  SecDefaultAction: { kind: 'rule' },
  SecRuleRemoveById: { kind: 'rule' },
  SecRuleRemoveByMsg: { kind: 'rule' },
  SecRuleRemoveByTag: { kind: 'rule' },
  SecRuleUpdateActionById: { kind: 'rule' },
  SecRuleUpdateTargetById: { kind: 'rule' },
  SecRuleUpdateTargetByMsg: { kind: 'rule' },
  SecRuleUpdateTargetByTag: { kind: 'rule' },

  SecRuleEngine: set('ruleEngine', (n) => choice(n, ['On', 'Off', 'DetectionOnly'] as const)),
  SecRequestBodyAccess: set('requestBodyAccess', onOff),
  SecRequestBodyLimit: set('requestBodyLimit', (n) => num(n, 1)),
  SecRequestBodyNoFilesLimit: set('requestBodyNoFilesLimit', (n) => num(n, 1)),
  SecRequestBodyLimitAction: set('requestBodyLimitAction', (n) => choice(n, ['Reject', 'ProcessPartial'] as const)),
  SecRequestBodyJsonDepthLimit: set('requestBodyJsonDepthLimit', (n) => num(n, 1)),
  SecArgumentsLimit: set('argumentsLimit', (n) => num(n, 1)),
  SecArgumentSeparator: set('argumentSeparator', (n) => {
    const t = one(n, 'one character')
    if (t.value.length !== 1) throw errorAt(n, t, 0, 'SecArgumentSeparator must be exactly one character')
    return t.value
  }),
  SecResponseBodyAccess: set('responseBodyAccess', onOff),
  SecResponseBodyLimit: set('responseBodyLimit', (n) => num(n, 1)),
  SecResponseBodyLimitAction: set('responseBodyLimitAction', (n) => choice(n, ['Reject', 'ProcessPartial'] as const)),
  SecResponseBodyMimeType: {
    kind: 'compile',
    handler: (state, node) => {
      if (node.args.length === 0) throw errorAtNode(node, 'SecResponseBodyMimeType needs at least one MIME type')
      // v2: the first SecResponseBodyMimeType replaces the default list (text/plain text/html);
      // later ones add to it (recorded on 2.9.7, test/vectors/engine/response-mime.json)
      if (!state.responseMimeTypesSet) state.config.responseBodyMimeTypes = []
      state.responseMimeTypesSet = true
      for (const t of node.args) {
        const v = t.value.toLowerCase()
        if (!state.config.responseBodyMimeTypes.includes(v)) state.config.responseBodyMimeTypes.push(v)
      }
    },
  },
  SecResponseBodyMimeTypesClear: {
    kind: 'compile',
    handler: (state, node) => {
      args(node, 0, 'no arguments')
      state.config.responseBodyMimeTypes = []
      state.responseMimeTypesSet = true
    },
  },
  SecUploadFileLimit: set('uploadFileLimit', (n) => num(n)),
  SecUploadKeepFiles: set('uploadKeepFiles', (n) => choice(n, ['On', 'Off', 'RelevantOnly'] as const)),
  SecAuditEngine: set('auditEngine', (n) => choice(n, ['On', 'Off', 'RelevantOnly'] as const)),
  SecAuditLogParts: set('auditLogParts', (n) => {
    const t = one(n, 'part letters, e.g. ABIJDEFHZ')
    if (!AUDIT_PARTS.test(t.value)) throw errorAt(n, t, 0, `invalid audit log parts "${t.value}" (letters A-K and Z)`)
    return t.value
  }),
  SecAuditLogRelevantStatus: set('auditLogRelevantStatus', (n) => {
    const t = one(n, 'a regular expression over the response status')
    try {
      return compileRegexOrThrow(t.value)
    } catch (e) {
      throw errorAt(n, t, (e as { offset?: number }).offset ?? 0, `invalid regex: ${(e as Error).message}`)
    }
  }),
  SecAuditLogFormat: set('auditLogFormat', (n) => choice(n, ['Native', 'JSON'] as const)),
  SecCollectionTimeout: set('collectionTimeout', (n) => num(n, 1)),
  SecPcreMatchLimit: set('pcreMatchLimit', (n) => num(n, 1)),
  SecWebAppId: set('webAppId', (n) => one(n, 'an application name').value),
  SecSensorId: set('sensorId', (n) => one(n, 'a sensor name').value),
  // v2 keeps the key as given; @rbl puts it before the reversed address for httpbl.org zones
  SecHttpBlKey: set('httpBlKey', (n) => one(n, 'a Project Honey Pot access key').value),
  SecCookieFormat: set('cookieFormat', (n) => (choice(n, ['0', '1'] as const) === '1' ? 1 : 0)),
  SecUnicodeCodePage: set('unicodeCodePage', (n) => num(n, 1)),
  SecUnicodeMapFile: { kind: 'compile', handler: unicodeMapFile },
  SecComponentSignature: {
    kind: 'compile',
    handler: (state, node) => {
      state.components.push(one(node, 'a component name').value)
    },
  },

  SecAuditLog: warn('audit records are written to the R2 bucket, not to a file'),
  SecAuditLog2: warn('audit records are written to the R2 bucket, not to a file'),
  SecAuditLogDirMode: warn(NO_FILES),
  SecAuditLogFileMode: warn(NO_FILES),
  SecAuditLogStorageDir: warn('audit records are written to the R2 bucket (one object per transaction)'),
  SecAuditLogType: warn('audit records are always written one object per transaction (the concurrent layout) to R2'),
  SecCacheTransformations: warn('transformation results are always cached per transaction'),
  SecChrootDir: warn(NO_APACHE),
  SecConnEngine: warn('connection-level state limits are not visible to a Worker'),
  SecConnReadStateLimit: warn('connection-level state limits are not visible to a Worker'),
  SecConnWriteStateLimit: warn('connection-level state limits are not visible to a Worker'),
  SecReadStateLimit: warn('connection-level state limits are not visible to a Worker'),
  SecWriteStateLimit: warn('connection-level state limits are not visible to a Worker'),
  SecDataDir: warn('persistent collections are stored in Workers KV'),
  SecDebugLog: warn('there is no debug log file at the edge; alerts go to the console (wrangler tail)'),
  SecDebugLogLevel: warn('there is no debug log at the edge'),
  SecDisableBackendCompression: warn('the Worker forwards the request as inspected; compression is negotiated by the runtime'),
  SecGeoLookupDb: warn('GEO data comes from the request\'s edge metadata (request.cf)'),
  SecGsbLookupDb: warn('@gsbLookup is not supported (Google Safe Browsing v2 API is gone)'),
  SecGuardianLog: warn('httpd-guardian is an Apache external program'),
  SecHashKey: warn('the HMAC hash engine is not supported'),
  SecHashParam: warn('the HMAC hash engine is not supported'),
  SecHashMethodRx: warn('the HMAC hash engine is not supported'),
  SecHashMethodPm: warn('the HMAC hash engine is not supported'),
  SecInterceptOnError: warn('the engine never fails a request on an internal error; it logs and continues'),
  SecPcreMatchLimitRecursion: warn('JavaScript regexes have no recursion limit; see README (regex guard)'),
  SecRemoteRulesFailAction: warn('SecRemoteRules is not supported'),
  SecRequestBodyInMemoryLimit: warn('the Worker buffers request bodies in memory up to SecRequestBodyLimit'),
  SecRequestEncoding: warn('ModSecurity 2.9 stores this value but never uses it'),
  SecRuleInheritance: warn('there are no Apache configuration contexts at the edge'),
  SecRulePerfTime: warn('per-rule timing is reported by `npm run bench -- --profile` instead'),
  SecServerSignature: warn(NO_APACHE),
  SecStatusEngine: warn('there is no status reporting from the edge'),
  SecTmpDir: warn(NO_FILES),
  SecUploadDir: warn(NO_FILES),
  SecUploadFileMode: warn(NO_FILES),
  SecTmpSaveUploadedFiles: warn(NO_FILES),
  SecStreamInBodyInspection: onlyOff('stream body inspection (@rsub) is not supported'),
  SecStreamOutBodyInspection: onlyOff('stream body inspection (@rsub) is not supported'),
  SecContentInjection: onlyOff('content injection (append/prepend) is not supported'),
  SecHashEngine: onlyOff('the HMAC hash engine (@validateHash) is not supported'),
  SecXmlExternalEntity: onlyOff('external XML entities are never fetched or expanded'),
  SecCookieV0Separator: refuse('a custom version 0 cookie separator is not supported (";" is used)'),
  SecCookiev0Separator: refuse('a custom version 0 cookie separator is not supported (";" is used)'),
  SecRemoteRules: refuse('rules are compiled at build time from local files; download them first'),
  SecRuleScript: refuse('Lua scripts cannot run in a Worker'),
  SecDataset: refuse('Coraza-only directive, not part of ModSecurity 2.9'),
  SecIgnoreRuleCompilationErrors: refuse('Coraza-only directive, not part of ModSecurity 2.9 (and errors are never ignored)'),
  SecRxPreFilter: refuse('Coraza-only directive, not part of ModSecurity 2.9'),
  SecUnicodeMap: refuse('Coraza-only directive; use SecUnicodeMapFile'),
}

const LOOKUP = new Map<string, string>()
for (const k of Object.keys(DIRECTIVES)) LOOKUP.set(k.toLowerCase(), k)

export function lookupDirective(name: string): string | undefined {
  return LOOKUP.get(name.toLowerCase())
}
