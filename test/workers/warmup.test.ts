/**
 * The Worker warms its rule set at isolate start (index.ts -> warmWaf, WAF_WARMUP), in workerd:
 * the ops status endpoint reports what the isolate compiled before its first request, and the
 * requests behave the same with and without the warm-up. The other start-time setting read from
 * the module-scope env, WAF_INSPECTION_BUDGET, is checked here too (same isolates).
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildOriginScript, buildWafScript, startWorkers, type Running } from './harness'

const TOKEN = 'warmup-test-token'
// paranoia level 1 (a CRS-style setup SecAction), one rule of each level, a phrase list, and a
// rule that blocks; the pattern sizes make the budget case exact (bytes: source + prefilter)
const RULES = `
SecRuleEngine On
SecRequestBodyAccess On
SecAction "id:900000,phase:1,pass,nolog,setvar:tx.blocking_paranoia_level=1"
SecRule ARGS "@rx ${'a'.repeat(40)}" "id:1,phase:2,pass,nolog,tag:'paranoia-level/1'"
SecRule ARGS "@rx ${'b'.repeat(20)}" "id:2,phase:2,pass,nolog,tag:'paranoia-level/2'"
SecRule ARGS "@pm alpha beta gamma" "id:3,phase:2,pass,nolog"
SecRule REQUEST_URI "@rx /admin" "id:4,phase:1,deny,status:403,log"
`

interface Status {
  warmup: {
    regexes: number
    phrases: number
    bytes: number
    skipped: number
    paranoiaLevel: number | null
  } | null
}

let running: Running

async function status(host: string): Promise<Status> {
  // dispatchFetch routes by the URL's host (fetch() would not send our Host header)
  const res = await running.mf.dispatchFetch(`http://${host}/.waf/status`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  })
  expect(res.status).toBe(200)
  return (await res.json()) as Status
}

async function get(host: string, path: string): Promise<number> {
  const res = await running.mf.dispatchFetch(`http://${host}${path}`)
  await res.arrayBuffer()
  return res.status
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'waf-warmup-test-'))
  const rules = join(dir, 'warmup.conf')
  writeFileSync(rules, RULES)
  const script = await buildWafScript(rules)
  const bindings = { ADMIN_TOKEN: TOKEN }
  running = await startWorkers(
    [
      { name: 'default', script, host: 'default.test', bindings },
      { name: 'off', script, host: 'off.test', bindings: { ...bindings, WAF_WARMUP: 'off' } },
      { name: 'small', script, host: 'small.test', bindings: { ...bindings, WAF_WARMUP: '70' } },
      { name: 'tight', script, host: 'tight.test', bindings: { ...bindings, WAF_INSPECTION_BUDGET: '300' } },
    ],
    { originScript: await buildOriginScript() },
  )
}, 60_000)

afterAll(async () => {
  await running?.dispose()
})

describe('warm-up at isolate start', () => {
  it('by default compiles the regexes and phrase lists of the configured paranoia level', async () => {
    const s = await status('default.test')
    expect(s.warmup).not.toBeNull()
    expect(s.warmup?.paranoiaLevel).toBe(1)
    // rules 1 and 4 (regexes), 3 (phrases); rule 2 is paranoia level 2
    expect(s.warmup?.regexes).toBe(2)
    expect(s.warmup?.phrases).toBe(1)
    expect(s.warmup?.skipped).toBe(1)
  })

  it('WAF_WARMUP=off compiles nothing at start', async () => {
    expect((await status('off.test')).warmup).toBeNull()
  })

  it('a byte budget goes first to what ordinary traffic reaches, then to the largest', async () => {
    // rule 3's phrase list (14 bytes) is always reached; rule 1 (40 bytes of pattern + 24 of
    // prefilter literal "aaa...") and rule 4 ("/admin") are not (warm-sample.ts): 14, then 64 does
    // not fit in 70, rule 4 does. Largest first without the sample would have taken rule 1.
    const s = await status('small.test')
    expect(s.warmup?.phrases).toBe(1)
    expect(s.warmup?.regexes).toBe(1)
    expect(s.warmup?.bytes).toBeLessThanOrEqual(70)
    expect(s.warmup?.skipped).toBe(2)
  })

  it('requests get the same answers with and without the warm-up', async () => {
    for (const host of ['default.test', 'off.test', 'small.test']) {
      expect(await get(host, '/admin')).toBe(403)
      expect(await get(host, `/?q=${'a'.repeat(40)}&p=beta`)).toBe(200)
    }
  })

  it('WAF_INSPECTION_BUDGET applies: a tight budget stops inspection fail-closed (413)', async () => {
    // 300 work units (budget.ts) do not cover the rules of phases 1 and 2 over two arguments
    expect(await get('tight.test', '/?q=x&p=beta')).toBe(413)
    expect(await get('default.test', '/?q=x&p=beta')).toBe(200)
  })
})
