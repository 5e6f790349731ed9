/**
 * Compile-time semantics: SecDefaultAction merging, chains, markers and jumps, removals and
 * updates, macros, includes, data files, configuration directives, determinism.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Bundle, Rule } from '../../../src/bundle/schema'
import { compileFile, compileText } from '../../../src/compiler/compile'
import { serializeBundle } from '../../../src/compiler/serialize'

function ok(text: string, opts: Parameters<typeof compileText>[1] = {}): Bundle {
  const out = compileText(text, opts)
  const errors = out.diagnostics.filter((d) => d.severity === 'error')
  expect(errors, JSON.stringify(errors)).toEqual([])
  expect(out.bundle).toBeDefined()
  return out.bundle as Bundle
}

function rule(b: Bundle, id: number): Rule & { phase: number } {
  for (let p = 0; p < 5; p++) {
    const r = b.phases[p]?.find((x) => x.id === id && x.marker === undefined)
    if (r) return { ...r, phase: p + 1 }
  }
  throw new Error(`rule ${id} not found`)
}

const tnames = (b: Bundle, r: Rule) => b.tchains[r.t]

describe('SecDefaultAction (ModSecurity 2.9.7 behaviour, measured with test/tools/modsec/recorder.mjs)', () => {
  it('the last SecDefaultAction applies to every following rule, whatever its phase', () => {
    // On 2.9.7: after "phase:2,pass" then "phase:1,deny,status:418", a phase:2 rule with
    // `block` denies with 418, and a rule without phase runs in phase 1.
    const b = ok(`
SecDefaultAction "phase:2,log,auditlog,pass"
SecDefaultAction "phase:1,log,auditlog,deny,status:418"
SecRule ARGS:b "@streq 1" "id:11,phase:2,block"
SecRule ARGS:c "@streq 1" "id:12,block"
SecRule ARGS:d "@streq 1" "id:13,phase:1"
`)
    expect(rule(b, 11)).toMatchObject({ phase: 2, disruptive: { name: 'block' }, blockAs: { name: 'deny' }, status: 418 })
    expect(rule(b, 12)).toMatchObject({ phase: 1, blockAs: { name: 'deny' } })
    expect(rule(b, 13)).toMatchObject({ phase: 1, disruptive: { name: 'deny' }, status: 418 })
  })
  it('without SecDefaultAction a rule is phase:2,log,auditlog,pass', () => {
    const r = rule(ok('SecRule ARGS "@streq 1" "id:1"'), 1)
    expect(r).toMatchObject({ phase: 2, log: true, auditlog: true, disruptive: { name: 'pass' } })
  })
  it('appends the default transformations; t:none in the rule clears them', () => {
    const b = ok(`
SecDefaultAction "phase:2,pass,t:lowercase"
SecRule ARGS "@streq 1" "id:1,t:urlDecode"
SecRule ARGS "@streq 1" "id:2,t:none,t:trim"
`)
    expect(tnames(b, rule(b, 1))).toEqual(['lowercase', 'urlDecode'])
    expect(tnames(b, rule(b, 2))).toEqual(['trim'])
  })
  it('nolog implies noauditlog unless auditlog is explicit', () => {
    const b = ok(`
SecRule ARGS "@streq 1" "id:1,nolog"
SecRule ARGS "@streq 1" "id:2,nolog,auditlog"
SecRule ARGS "@streq 1" "id:3,auditlog,nolog"
SecRule ARGS "@streq 1" "id:4,noauditlog"
`)
    expect([rule(b, 1).log, rule(b, 1).auditlog]).toEqual([false, false])
    expect([rule(b, 2).log, rule(b, 2).auditlog]).toEqual([false, true])
    expect([rule(b, 3).log, rule(b, 3).auditlog]).toEqual([false, true])
    expect([rule(b, 4).log, rule(b, 4).auditlog]).toEqual([true, false])
  })
})

describe('rules', () => {
  it('canonicalises names case-insensitively and keeps metadata', () => {
    const b = ok(`SecRule request_headers:User-Agent|&ARGS "@StrEq x" "id:5,Phase:1,DENY,status:403,severity:CRITICAL,tag:'a',tag:'b',ver:'v1',rev:'2',msg:'m',accuracy:7,maturity:8,t:LowerCase,capture,multiMatch"`)
    const r = rule(b, 5)
    expect(r.vars).toEqual([{ name: 'REQUEST_HEADERS', key: 'User-Agent' }, { name: 'ARGS', count: true }])
    expect(r.op).toEqual({ name: 'streq', negated: false, arg: 'x' })
    expect(r).toMatchObject({ phase: 1, severity: 2, tags: ['a', 'b'], ver: 'v1', rev: '2', msg: 'm', accuracy: 7, maturity: 8, capture: true, multiMatch: true })
    expect(tnames(b, r)).toEqual(['lowercase'])
  })
  it('parses macros into templates once', () => {
    const b = ok(`SecRule ARGS "@rx a" "id:1,msg:'at %{MATCHED_VAR_NAME}: %{tx.score}',logdata:'%{MATCHED_VAR}',setvar:'tx.score=+%{tx.critical_anomaly_score}'"`)
    const r = rule(b, 1)
    expect(r.msg).toEqual(['at ', { c: 'MATCHED_VAR_NAME' }, ': ', { c: 'TX', k: 'score' }])
    expect(r.logdata).toEqual([{ c: 'MATCHED_VAR' }])
    expect(r.actions).toEqual([
      { name: 'setvar', collection: 'TX', key: 'score', op: '+', value: [{ c: 'TX', k: 'critical_anomaly_score' }] },
    ])
  })
  it('expands any %{...} up to the first } as a macro, as v2 does', () => {
    const r = rule(ok(`SecRule ARGS "@rx a" "id:1,msg:'%{tx.n and %{ bad } %{} %{x'"`), 1)
    expect(r.msg).toEqual([{ c: 'TX', k: 'n and %{ bad ' }, ' ', { c: '' }, ' %{x'])
  })
  it('skips blanks after = in setvar before looking for + or - (v2)', () => {
    expect(rule(ok('SecAction "id:1,pass,setvar:tx.a= +5"'), 1).actions).toEqual([
      { name: 'setvar', collection: 'TX', key: 'a', op: '+', value: '5' },
    ])
  })
  it('reads every setvar form', () => {
    const b = ok(`SecAction "id:1,pass,setvar:tx.a=1,setvar:tx.b=+2,setvar:tx.c=-3,setvar:!tx.d,setvar:tx.e,setvar:ip.f=x"`)
    expect(rule(b, 1).actions).toEqual([
      { name: 'setvar', collection: 'TX', key: 'a', op: '=', value: '1' },
      { name: 'setvar', collection: 'TX', key: 'b', op: '+', value: '2' },
      { name: 'setvar', collection: 'TX', key: 'c', op: '-', value: '3' },
      { name: 'setvar', collection: 'TX', key: 'd', op: '!' },
      { name: 'setvar', collection: 'TX', key: 'e', op: '=', value: '1' },
      { name: 'setvar', collection: 'IP', key: 'f', op: '=', value: 'x' },
    ])
  })
  it('puts macro arguments of comparison operators in argTemplate', () => {
    const r = rule(ok('SecRule TX:a "@ge %{tx.threshold}" "id:1"'), 1)
    expect(r.op.argTemplate).toEqual([{ c: 'TX', k: 'threshold' }])
  })
  it('translates @rx with v2 semantics (DOTALL, no multiline)', () => {
    const r = rule(ok('SecRule ARGS "@rx (?i)^a.b$" "id:1"'), 1)
    expect(r.op.params?.kind).toBe('rx')
    const spec = r.op.params?.kind === 'rx' ? r.op.params.regex : undefined
    const re = new RegExp(spec?.source ?? '', spec?.flags)
    expect(re.test('A\nB')).toBe(true)
    expect(re.test('a-b\n')).toBe(false)
  })
  it('builds chains on the starter, with the starter id and per-link transformations', () => {
    const b = ok(`
SecRule ARGS "@rx a" "id:1,phase:1,deny,chain,t:lowercase"
    SecRule MATCHED_VARS "@rx b" "chain,t:none"
        SecRule REQUEST_METHOD "@streq POST" "setvar:tx.x=1"
`)
    const r = rule(b, 1)
    expect(r.chain?.id).toBe(1)
    expect(r.chain?.chain?.op.arg).toBe('POST')
    expect(r.chain?.chain?.actions).toHaveLength(1)
    expect(tnames(b, r)).toEqual(['lowercase'])
    expect(tnames(b, r.chain as Rule)).toEqual([])
    expect(b.phases[0]).toHaveLength(1)
  })
})

describe('markers and jumps', () => {
  const b = ok(`
SecRule ARGS "@rx a" "id:1,phase:1,pass,skipAfter:END"
SecRule ARGS "@rx b" "id:2,phase:1,pass,skip:1"
SecRule ARGS "@rx c" "id:3,phase:1,pass"
SecRule ARGS "@rx d" "id:4,phase:2,pass,skipAfter:END"
SecRule ARGS "@rx e" "id:5,phase:1,pass"
SecMarker END
SecRule ARGS "@rx f" "id:6,phase:1,pass,skipAfter:8"
SecRule ARGS "@rx g" "id:7,phase:1,pass"
SecRule ARGS "@rx h" "id:8,phase:1,pass"
SecRule ARGS "@rx i" "id:9,phase:1,pass"
`)
  const p1 = b.phases[0] as Rule[]
  it('puts SecMarker in every phase (as v2 does)', () => {
    for (const p of b.phases) expect(p.some((r) => r.marker === 'END')).toBe(true)
    expect(p1.map((r) => r.marker ?? r.id)).toEqual([1, 2, 3, 5, 'END', 6, 7, 8, 9])
  })
  it('resolves skipAfter to the index after the marker, in the same phase', () => {
    expect(p1[0]?.jumpTo).toBe(5)
    const p2 = b.phases[1] as Rule[]
    expect(p2.map((r) => r.marker ?? r.id)).toEqual([4, 'END'])
    expect(p2[0]?.jumpTo).toBe(2)
  })
  it('resolves skip:N to the index N rules further', () => {
    expect(p1[1]?.jumpTo).toBe(3)
  })
  it('resolves skipAfter a rule id to the index after that rule', () => {
    expect(p1[5]?.jumpTo).toBe(8)
  })
})

describe('removal and updates (applied to earlier rules only)', () => {
  it('removes by id, range, tag and msg', () => {
    const out = compileText(`
SecRule ARGS "@rx a" "id:1,pass"
SecRule ARGS "@rx a" "id:2,pass"
SecRule ARGS "@rx a" "id:10,pass"
SecRule ARGS "@rx a" "id:11,pass,tag:'attack-sqli'"
SecRule ARGS "@rx a" "id:12,pass,msg:'Remote Command Execution'"
SecRule ARGS "@rx a" "id:13,pass"
SecRuleRemoveById 1 "2"
SecRuleRemoveById 10-10
SecRuleRemoveByTag "^attack-sql"
SecRuleRemoveByMsg "Command"
SecRuleRemoveById 99
SecRule ARGS "@rx a" "id:99,pass"
`)
    const ids = out.bundle?.phases[1]?.map((r) => r.id)
    expect(ids).toEqual([13, 99])
    expect(out.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.line)).toEqual([12])
  })
  it('updates targets: adds, excludes, replaces; by id and by tag', () => {
    const b = ok(`
SecRule ARGS|REQUEST_HEADERS "@rx a" "id:1,pass,tag:'t1'"
SecRule ARGS "@rx a" "id:2,pass,tag:'t1'"
SecRuleUpdateTargetById 1 "!ARGS:password|!REQUEST_COOKIES:/^_pk_ref/"
SecRuleUpdateTargetById 1 REQUEST_HEADERS:User-Agent REQUEST_HEADERS
SecRuleUpdateTargetByTag "^t1$" ARGS_NAMES
`)
    expect(rule(b, 1).vars).toEqual([
      { name: 'ARGS' },
      { name: 'REQUEST_HEADERS', key: 'User-Agent' },
      { name: 'ARGS', key: 'password', exclude: true },
      expect.objectContaining({ name: 'REQUEST_COOKIES', exclude: true, keyRx: expect.anything() }),
      { name: 'ARGS_NAMES' },
    ])
    expect(rule(b, 2).vars).toEqual([{ name: 'ARGS' }, { name: 'ARGS_NAMES' }])
  })
  it('matches regex keys case-insensitively, as v2 does', () => {
    const v = rule(ok('SecRule REQUEST_COOKIES:/^_PK_/ "@rx a" "id:1"'), 1).vars[0]
    const re = new RegExp(v?.keyRx?.source ?? '', v?.keyRx?.flags)
    expect(re.test('_pk_ref')).toBe(true)
  })
  it('updates actions: a new disruptive action and metadata override, lists append', () => {
    const b = ok(`
SecRule ARGS "@rx a" "id:1,phase:1,pass,msg:'old',setvar:tx.a=1"
SecRuleUpdateActionById 1 "deny,status:404,msg:'new',setvar:tx.b=2"
`)
    expect(rule(b, 1)).toMatchObject({ phase: 1, disruptive: { name: 'deny' }, status: 404, msg: 'new' })
    expect(rule(b, 1).actions.map((a) => ('key' in a ? a.key : ''))).toEqual(['a', 'b'])
  })
})

describe('files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'waf-compile-'))
  mkdirSync(join(dir, 'sub'))
  mkdirSync(join(dir, 'crs'))
  writeFileSync(join(dir, 'sub', 'b.conf'), 'SecRule ARGS "@pmFromFile words.data" "id:2"\n')
  writeFileSync(join(dir, 'sub', 'a.conf'), 'SecRule ARGS "@rx a" "id:1"\n')
  writeFileSync(join(dir, 'sub', 'words.data'), '# a comment\n\n  union  \r\nselect\n#another\n')
  writeFileSync(join(dir, 'crs', 'x.conf'), 'SecRule ARGS "@rx x" "id:3"\n')
  writeFileSync(
    join(dir, 'main.conf'),
    ['Include sub/*.conf', '<IfDefine CRS>', '  Include ${CRS}/x.conf', '</IfDefine>', '<IfDefine !CRS>', '  SecRule ARGS "@rx y" "id:4"', '</IfDefine>', ''].join('\n'),
  )
  it('includes globs in sorted order, relative to the including file, and inlines data files', () => {
    const out = compileFile(join(dir, 'main.conf'), { defines: { CRS: join(dir, 'crs') } })
    expect(out.errors).toBe(0)
    const b = out.bundle as Bundle
    expect(b.phases[1]?.map((r) => r.id)).toEqual([1, 2, 3])
    expect(rule(b, 2).op.params).toEqual({ kind: 'phrases', phrases: ['union', 'select'] })
    expect(b.sources.map((s) => [s.path, s.kind])).toEqual([
      ['main.conf', 'rules'],
      ['sub/a.conf', 'rules'],
      ['sub/b.conf', 'rules'],
      ['sub/words.data', 'data'],
      ['crs/x.conf', 'rules'],
    ])
    expect(b.sources[0]?.sha256).toMatch(/^[0-9a-f]{64}$/)
  })
  it('evaluates <IfDefine !NAME>', () => {
    const out = compileFile(join(dir, 'main.conf'))
    expect(out.bundle?.phases[1]?.map((r) => r.id)).toEqual([1, 2, 4])
  })
  it('names sources under a define as ${NAME}/...', () => {
    const outside = mkdtempSync(join(tmpdir(), 'waf-crs-'))
    writeFileSync(join(outside, 'r.conf'), 'SecRule ARGS "@rx x" "id:3"\n')
    const main = join(dir, 'm2.conf')
    writeFileSync(main, 'Include ${CRS}/r.conf\n')
    const out = compileFile(main, { defines: { CRS: outside } })
    expect(out.bundle?.sources.map((s) => s.path)).toEqual(['m2.conf', '${CRS}/r.conf'])
  })
  it('is deterministic', () => {
    const a = serializeBundle(compileFile(join(dir, 'main.conf')).bundle as Bundle)
    const b = serializeBundle(compileFile(join(dir, 'main.conf')).bundle as Bundle)
    expect(a).toBe(b)
  })
})

describe('configuration directives', () => {
  it('sets the engine configuration (last one wins)', () => {
    const b = ok(`
SecRuleEngine DetectionOnly
SecRequestBodyAccess On
SecRequestBodyLimit 1000
SecRequestBodyLimitAction ProcessPartial
SecResponseBodyMimeTypesClear
SecResponseBodyMimeType text/html application/json
SecAuditLogRelevantStatus "^(?:5|4(?!04))"
SecArgumentSeparator ;
SecComponentSignature "OWASP_CRS/4.28.0"
SecRuleEngine On
`)
    expect(b.config).toMatchObject({
      ruleEngine: 'On',
      requestBodyAccess: true,
      requestBodyLimit: 1000,
      requestBodyLimitAction: 'ProcessPartial',
      responseBodyMimeTypes: ['text/html', 'application/json'],
      argumentSeparator: ';',
    })
    const rs = b.config.auditLogRelevantStatus
    const re = new RegExp(rs?.source ?? '', rs?.flags)
    expect(['500', '403', '404', '200'].map((s) => re.test(s))).toEqual([true, true, false, false])
    expect(b.components).toEqual(['OWASP_CRS/4.28.0'])
  })
  it('warns, with the reason, for directives without effect at the edge', () => {
    const out = compileText('SecTmpDir /tmp\nSecDebugLogLevel 3\n')
    expect(out.errors).toBe(0)
    expect(out.diagnostics.map((d) => [d.line, d.severity, d.message])).toEqual([
      [1, 'warning', 'SecTmpDir has no effect at the edge: the Worker has no file system'],
      [2, 'warning', 'SecDebugLogLevel has no effect at the edge: there is no debug log at the edge'],
    ])
  })
  it('loads the SecUnicodeMapFile code page', () => {
    const b = ok('SecUnicodeMapFile unicode.mapping 20127\n', { fileName: join(__dirname, '../../../rules/inline.conf') })
    expect(b.config.unicodeCodePage).toBe(20127)
    expect(new Map(b.config.unicodeMap).get(0xff01)).toBe(0x21)
  })
  it('reports every error of a file, not only the first', () => {
    const out = compileText('SecRuleEngin On\nSecRule ARGS "@rx a" "id:1,dney"\nSecRequestBodyLimit x\n')
    expect(out.diagnostics.filter((d) => d.severity === 'error').map((d) => d.line)).toEqual([1, 2, 3])
  })
})

describe('regex lint', () => {
  it("warns about backtracking hazards in users' own patterns, with the rule id and the strategy", () => {
    const out = compileText('SecRule ARGS "@rx (a+)+b" "id:1,deny"\nSecRule ARGS "@rx ^abc$" "id:2,deny"\n')
    expect(out.errors).toBe(0)
    const w = out.diagnostics.filter((d) => d.severity === 'warning')
    expect(w).toHaveLength(1)
    expect([w[0]?.line, w[0]?.col]).toEqual([1, 20])
    expect(w[0]?.message).toMatch(/^rule 1: regex backtracking hazard \(nested-quantifier\).*linear-time engine/)
    const spec = out.bundle?.phases[1]?.[0]?.op.params
    expect(spec?.kind === 'rx' && spec.regex.engine).toBe('linear')
  })
})
