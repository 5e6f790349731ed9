import { describe, expect, it } from 'vitest'
import { keepUploads } from '../../../../src/engine/audit/index'
import { auditProgram, runTx, type Served } from './helpers'

// Whether a transaction is written (SecAuditEngine, SecAuditLogRelevantStatus, auditlog /
// noauditlog, ctl:auditEngine), the rules as 2.9.7 applies them (the recorded sample
// test/vectors/audit covers the same cases against 2.9.7 itself; these add the variations).

const RULES = `
SecRule ARGS:deny "@streq 1" "id:1,phase:1,deny,log"
SecRule ARGS:denynolog "@streq 1" "id:2,phase:1,deny,nolog,noauditlog"
SecRule ARGS:lna "@streq 1" "id:3,phase:1,pass,log,noauditlog"
SecRule ARGS:nla "@streq 1" "id:4,phase:1,pass,nolog,auditlog"
SecRule ARGS:nolog "@streq 1" "id:5,phase:1,pass,nolog"
SecRule ARGS:on "@streq 1" "id:6,phase:1,pass,nolog,ctl:auditEngine=On"
SecRule ARGS:off "@streq 1" "id:7,phase:1,pass,nolog,ctl:auditEngine=Off"
SecRule ARGS:relevant "@streq 1" "id:8,phase:1,pass,nolog,ctl:auditEngine=RelevantOnly"
SecAction "id:10,phase:5,pass,log,noauditlog"
${[400, 403, 404, 405, 499, 500, 503, 200, 302, 104]
  .map((s) => `SecRule ARGS:st "@streq ${s}" "id:9${s},phase:1,deny,nolog,noauditlog,status:${s}"`)
  .join('\n')}
`
const V2_STATUS = { source: '^(?:5|4(?!04))', flags: '' }

function run(engine: 'On' | 'Off' | 'RelevantOnly', query: string, origin?: Served, withStatus = true) {
  const p = auditProgram(RULES, {
    auditEngine: engine,
    ...(withStatus ? { auditLogRelevantStatus: V2_STATUS } : {}),
  })
  return runTx(p, `GET /?${query} HTTP/1.1\r\nHost: h\r\n\r\n`, origin)
}

describe('SecAuditEngine', () => {
  it.each([
    ['On: every transaction', 'On', 'a=1', true],
    ['Off: none, also a blocked one', 'Off', 'deny=1', false],
    ['RelevantOnly: a benign 200 is not written', 'RelevantOnly', 'a=1', false],
    ['RelevantOnly: a logged block is', 'RelevantOnly', 'deny=1', true],
    [
      'RelevantOnly: a 403 block with nolog,noauditlog is, by its status',
      'RelevantOnly',
      'denynolog=1',
      true,
    ],
    ['RelevantOnly: log,noauditlog does not make it relevant', 'RelevantOnly', 'lna=1', false],
    ['RelevantOnly: nolog,auditlog does', 'RelevantOnly', 'nla=1', true],
    ['RelevantOnly: nolog alone does not', 'RelevantOnly', 'nolog=1', false],
    ['ctl:auditEngine=On from RelevantOnly', 'RelevantOnly', 'on=1', true],
    ['ctl:auditEngine=On from Off', 'Off', 'on=1', true],
    ['ctl:auditEngine=Off before a block wins', 'RelevantOnly', 'off=1&st=403', false],
    ['ctl:auditEngine=RelevantOnly from On, benign', 'On', 'relevant=1', false],
  ] as const)('%s', (_n, engine, query, written) => {
    expect(run(engine, query).decision.write).toBe(written)
  })
})

describe('SecAuditLogRelevantStatus ^(?:5|4(?!04)) (the recommended value, translated by the compiler)', () => {
  it.each([
    [400, true],
    [403, true],
    [404, false],
    [405, true],
    [499, true],
    [500, true],
    [503, true],
    [200, false],
    [302, false],
    [104, false],
  ])('a block with status %d', (status, relevant) => {
    expect(run('RelevantOnly', `st=${status}`).decision.relevant).toBe(relevant)
  })

  it('the origin status counts too (a 503 from the origin)', () => {
    const r = run('RelevantOnly', 'a=1', {
      status: 503,
      headers: [['Content-Type', 'text/plain']],
      body: 'x',
    })
    expect(r.decision.write).toBe(true)
  })

  it('without SecAuditLogRelevantStatus no status is relevant', () => {
    expect(run('RelevantOnly', 'denynolog=1', undefined, false).decision.write).toBe(false)
    expect(run('RelevantOnly', 'deny=1', undefined, false).decision.write).toBe(true)
  })

  it('the compiler translates the directive into the bundle', () => {
    const p = auditProgram('SecAuditLogRelevantStatus "^(?:5|4(?!04))"\n' + RULES, {
      auditEngine: 'RelevantOnly',
    })
    expect(p.config.auditLogRelevantStatus?.source).toContain('4(?!04)')
    expect(runTx(p, 'GET /?denynolog=1 HTTP/1.1\r\nHost: h\r\n\r\n').decision.write).toBe(true)
  })
})

describe('SecUploadKeepFiles', () => {
  it.each([
    ['On', false, true],
    ['On', true, true],
    ['RelevantOnly', false, false],
    ['RelevantOnly', true, true],
    ['Off', true, false],
  ] as const)('%s, relevant %s: kept %s', (mode, relevant, kept) => {
    const p = auditProgram(RULES, { uploadKeepFiles: mode })
    const r = runTx(p, 'GET / HTTP/1.1\r\nHost: h\r\n\r\n')
    expect(keepUploads(r.tx, relevant)).toBe(kept)
  })
})

describe('Engine-Mode', () => {
  it.each([
    ['On', '', 'ENABLED'],
    ['DetectionOnly', '', 'DETECTION_ONLY'],
    ['On', 'ctloff=1', 'DISABLED'],
  ] as const)('SecRuleEngine %s %s: %s', (mode, query, expected) => {
    const p = auditProgram('SecRule ARGS:ctloff "@streq 1" "id:1,phase:1,pass,nolog,ctl:ruleEngine=Off"', {
      ruleEngine: mode,
      auditEngine: 'On',
    })
    const r = runTx(p, `GET /?${query} HTTP/1.1\r\nHost: h\r\n\r\n`)
    expect(r.decision.write).toBe(true)
    expect(r.record.engineMode).toBe(expected)
  })
})
