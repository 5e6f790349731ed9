/**
 * `waf audit list|get --local` against a bucket persisted the way `wrangler dev` persists it
 * (Miniflare R2 under <persist>/v3/r2, the AUDIT binding on bucket "edge-waf-audit"): the Worker
 * in workerd blocks a request, the block page's unique id finds the record.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import type { Readable } from 'node:stream'
import { join } from 'node:path'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { bucketNameFromToml, parseAuditArgs, runAudit } from '../../src/cli/audit'
import { parseNativeRecords, section } from '../../src/engine/audit/index'
import { buildOriginScript, buildWafScript, COMPATIBILITY_DATE } from './harness'
import { uniqueIdOf } from './suite'

const tmp = mkdtempSync(join(tmpdir(), 'waf-audit-cli-'))
const persist = join(tmp, 'state')
let blockedId = ''

async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
    out += typeof c === 'string' ? c : Buffer.from(c).toString('latin1')
    return true
  })
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
    err += typeof c === 'string' ? c : Buffer.from(c).toString('latin1')
    return true
  })
  try {
    const code = await runAudit(argv)
    return { code, out, err }
  } finally {
    o.mockRestore()
    e.mockRestore()
  }
}

beforeAll(async () => {
  const rules = join(tmp, 'rules.conf')
  writeFileSync(
    rules,
    `SecRuleEngine On
SecAuditEngine RelevantOnly
SecAuditLogRelevantStatus "^(?:5|4(?!04))"
SecAuditLogParts ABFHZ
SecRule ARGS "@contains attack" "id:1001,phase:1,deny,log,msg:'attack'"
`,
  )
  const [waf, origin] = await Promise.all([buildWafScript(rules), buildOriginScript()])
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    r2Persist: join(persist, 'v3', 'r2'),
    // the Worker's console lines are not part of this test
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      stdout.resume()
      stderr.resume()
    },
    workers: [
      {
        name: 'waf',
        modules: true,
        script: waf,
        compatibilityDate: COMPATIBILITY_DATE,
        bindings: { ORIGIN_URL: 'http://origin.test' },
        r2Buckets: { AUDIT: 'edge-waf-audit' },
        outboundService: 'origin',
      },
      {
        name: 'origin',
        modules: true,
        script: origin,
        compatibilityDate: COMPATIBILITY_DATE,
        routes: ['origin.test/*'],
      },
    ],
  })
  try {
    const blocked = await mf.dispatchFetch('http://waf.test/cli?x=attack')
    expect(blocked.status).toBe(403)
    blockedId = uniqueIdOf(await blocked.text())
    const ok = await mf.dispatchFetch('http://waf.test/fine')
    expect(ok.status).toBe(200)
    await ok.text()
    // the record is written in waitUntil: wait for it before closing workerd
    const b = await mf.getR2Bucket('AUDIT', 'waf')
    for (let i = 0; i < 250 && (await b.list()).objects.length === 0; i++)
      await new Promise((r) => setTimeout(r, 20))
  } finally {
    await mf.dispose()
  }
}, 60_000)

afterAll(() => {
  vi.restoreAllMocks()
})

describe('waf audit --local', () => {
  it('get <unique_id> prints the record of the block page id', async () => {
    const r = await capture([
      'get',
      blockedId,
      '--local',
      '--persist-to',
      persist,
      '--bucket',
      'edge-waf-audit',
    ])
    expect(r.code).toBe(0)
    const rec = parseNativeRecords(r.out)[0]
    if (rec === undefined) throw new Error('no record printed:\n' + r.out + r.err)
    expect(rec.sections.map((s) => s.letter).join('')).toBe('ABFHZ')
    expect(section(rec, 'A')).toContain(blockedId)
    expect(section(rec, 'H')).toContain('[id "1001"]')
  })

  it('get --json prints the sections', async () => {
    const r = await capture([
      'get',
      blockedId,
      '--persist-to',
      persist,
      '--bucket',
      'edge-waf-audit',
      '--json',
    ])
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.out) as { sections: { letter: string }[] }
    expect(doc.sections.map((s) => s.letter)).toEqual(['A', 'B', 'F', 'H', 'Z'])
  })

  it('list shows the blocked transaction only (RelevantOnly), filters by status and rule', async () => {
    const all = await capture(['list', '--persist-to', persist, '--bucket', 'edge-waf-audit', '--json'])
    expect(all.code).toBe(0)
    const entries = JSON.parse(all.out) as { metadata: Record<string, string> }[]
    expect(entries.map((e) => [e.metadata.id, e.metadata.status, e.metadata.rules, e.metadata.uri])).toEqual([
      [blockedId, '403', '1001', '/cli?x=attack'],
    ])
    const text = await capture([
      'list',
      '--persist-to',
      persist,
      '--bucket',
      'edge-waf-audit',
      '--status',
      '4xx',
      '--rule',
      '1001',
    ])
    expect(text.out).toContain(blockedId)
    const none = await capture([
      'list',
      '--persist-to',
      persist,
      '--bucket',
      'edge-waf-audit',
      '--status',
      '200',
    ])
    expect(none.out).toBe('')
    expect(none.err).toContain('0 record(s)')
  })

  it('an unknown id is an error (exit 1)', async () => {
    const r = await capture([
      'get',
      blockedId.slice(0, 8) + 'A'.repeat(19),
      '--persist-to',
      persist,
      '--bucket',
      'edge-waf-audit',
    ])
    expect(r.code).toBe(1)
    expect(r.err).toContain('no record for')
  })
})

describe('arguments', () => {
  it.each([
    [['list', '--status', '4xx', '--since', '2h'], undefined],
    [['get'], 'get needs a unique id'],
    [['list', '--local', '--remote'], '--local and --remote exclude each other'],
    [['list', '--status', 'teapot'], '--status is a status (403) or a class (4xx)'],
    [['list', '--limit', '0'], '--limit must be a positive integer'],
    [['purge'], 'unknown subcommand "purge"'],
  ])('%j', (argv, error) => {
    expect(parseAuditArgs(argv).error).toBe(error)
  })

  it('the bucket name comes from the AUDIT binding in wrangler.toml', () => {
    const toml = `[[kv_namespaces]]\nbinding = "COLLECTIONS"\n\n[[r2_buckets]]\nbinding = "OTHER"\nbucket_name = "x"\n\n[[r2_buckets]]\nbinding = "AUDIT"\nbucket_name = "my-audit"\n\n[observability]\nenabled = true\n`
    expect(bucketNameFromToml(toml)).toBe('my-audit')
  })
})
