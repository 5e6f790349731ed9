import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { auditMessages } from '../../../../src/engine/audit/messages'
import { matchedRules } from '../../../../src/engine/audit/rule-text'
import { caseConfig, parseRaw, program, runAll, VECTORS, type VectorCase } from './harness'

/**
 * Silent matches (nolog, noauditlog, action not carried out) keep no msg/logdata/tags in their
 * records (disrupt.ts, AlertRecord): nothing v2 writes shows them. The alert lines of these
 * cases are recorded from 2.9.7 and compared by vectors.test.ts; here we check the records the
 * engine keeps for them (test/vectors/actions/silent-match.json, field `records`).
 */
interface RecordWant {
  id: number
  silent: boolean
  msg: string | null
  data?: string
  tags?: string[]
  prefix?: string
}
type Case = VectorCase & { records: RecordWant[] }

const doc = JSON.parse(readFileSync(join(VECTORS, 'actions/silent-match.json'), 'utf8')) as {
  cases: Case[]
}

describe('records of silent and written matches', () => {
  for (const c of doc.cases) {
    it(c.name, () => {
      const res = runAll(program(c.rules, caseConfig(c)), parseRaw(c.request))
      const recs = res.tx.records
      expect(recs.map((r) => r.id)).toEqual(c.records.map((w) => w.id))
      for (let i = 0; i < recs.length; i++) {
        const r = recs[i]
        const w = c.records[i]
        if (r === undefined || w === undefined) continue
        expect(r.msg ?? null).toBe(w.msg)
        expect(!(r.log || r.auditlog || r.disruptive)).toBe(w.silent)
        if (w.silent) {
          // silent: the match itself is kept, nothing that is only written
          expect(r.data).toBeUndefined()
          expect(r.tags).toEqual([])
          expect(r.prefix).toBe('Warning.')
          expect(r.matchedVarName).not.toBe('')
          expect(r.opMessage).not.toBe('')
        }
        if (w.data !== undefined) expect(r.data).toBe(w.data)
        if (w.tags !== undefined) expect(r.tags).toEqual(w.tags)
        if (w.prefix !== undefined) expect(r.prefix).toBe(w.prefix)
      }
      // what the error log gets is the recorded part: the written records, as formatted
      expect(res.alerts).toEqual(c.expect?.alerts)
    })
  }
})

describe('a silent match and audit logging turned on later', () => {
  // SecAuditEngine Off; a nolog,noauditlog rule turns it on (ctl) after another silent match.
  // Part H lists what v2 puts there (messages.ts, recorded: log and auditlog alerts only); part
  // K lists every match, silent ones included.
  const rules = [
    'SecAuditEngine Off',
    `SecRule ARGS:a "@rx x" "id:1,phase:1,pass,nolog,noauditlog,msg:'quiet %{MATCHED_VAR}'"`,
    'SecRule ARGS:a "@rx x" "id:2,phase:1,pass,nolog,noauditlog,ctl:auditEngine=On,ctl:auditLogParts=+HK"',
    `SecRule ARGS:a "@rx x" "id:3,phase:2,pass,nolog,auditlog,msg:'audited %{MATCHED_VAR}'"`,
    `SecRule ARGS:a "@rx x" "id:4,phase:2,pass,log,noauditlog,msg:'logged %{MATCHED_VAR}'"`,
  ].join('\n')
  const p = program(rules)
  const res = runAll(p, parseRaw('GET /?a=x HTTP/1.1\r\nHost: localhost\r\n\r\n'))
  const s = res.tx.state

  it('audit logging is on, the transaction relevant through the auditlog rule', () => {
    expect(res.tx.audit.engine).toBe('On')
    expect(res.tx.audit.parts).toContain('H')
    expect(res.tx.audit.relevant).toBe(true)
  })

  it('part H has the auditlog and log matches only, with their msg expanded at the match', () => {
    expect(auditMessages(s)).toEqual([
      'Pattern match "x" at ARGS:a. [file "rules.conf"] [line "4"] [id "3"] [msg "audited x"]',
      'Warning. Pattern match "x" at ARGS:a. [file "rules.conf"] [line "5"] [id "4"] [msg "logged x"]',
    ])
  })

  it('part K lists the silent matches too', () => {
    expect(matchedRules(p, s.records).map((m) => m.links[0]?.id)).toEqual([1, 2, 3, 4])
  })
})
