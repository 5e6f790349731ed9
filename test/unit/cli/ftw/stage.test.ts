import { describe, expect, it } from 'vitest'
import { compileText } from '../../../../src/compiler/compile'
import { loadProgram, MemoryStore, type Program } from '../../../../src/engine/index'
import { checkStage } from '../../../../src/cli/ftw/check'
import { normaliseInput, normaliseOutput } from '../../../../src/cli/ftw/load-tests'
import { runStage } from '../../../../src/cli/ftw/stage'
import type { YamlValue } from '../../../../src/cli/ftw/yaml-values'

const RULES = `
SecRuleEngine DetectionOnly
SecRequestBodyAccess On
SecResponseBodyAccess On
SecResponseBodyMimeType text/plain text/html
SecRule ARGS:a "@streq x" "id:1,phase:2,deny,log,msg:'arg a'"
SecRule ARGS:a "@streq x" "id:2,phase:2,pass,nolog"
SecRule RESPONSE_BODY "@contains leak" "id:3,phase:4,deny,log,msg:'leak'"
SecRule REQUEST_PROTOCOL "@streq HTTP/0.9" "id:4,phase:1,pass,log"
SecRule REQUEST_HEADERS:Content-Length "@streq 3" "id:5,phase:1,pass,log"
`

function program(rules: string): Program {
  const out = compileText(rules)
  if (out.bundle === undefined) throw new Error(out.diagnostics.map((d) => d.message).join('\n'))
  return loadProgram(out.bundle)
}

async function run(input: YamlValue, rules = RULES): Promise<Awaited<ReturnType<typeof runStage>>> {
  return runStage({ program: program(rules), store: new MemoryStore() }, normaliseInput(input, 't'), 't')
}

describe('a stage against the engine', () => {
  it('logs the rules with log only, and DetectionOnly leaves the origin status', async () => {
    const got = await run({ method: 'POST', data: 'a=x' })
    expect(got.status).toBe(200)
    expect(got.lines.map((l) => /\[id "(\d+)"\]/.exec(l)?.[1])).toEqual(['5', '1'])
    expect(got.lines[1]).toMatch(/^ModSecurity: Warning\. .*\[msg "arg a"\]/)
    expect(
      checkStage(normaliseOutput({ log: { expect_ids: ['1'], no_expect_ids: ['2'] } }, 't'), got).pass,
    ).toBe(true)
  })

  it('runs phase 4 on the reflected response', async () => {
    const got = await run({
      method: 'POST',
      uri: '/reflect',
      headers: { 'Content-Type': 'application/json' },
      data: '{"body": "a leak"}',
    })
    expect(got.lines.some((l) => l.includes('[id "3"]'))).toBe(true)
    expect(got.response).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\na leak$/)
  })

  it('returns the WAF status when a rule blocks (engine On)', async () => {
    const got = await run({ method: 'POST', data: 'a=x' }, RULES.replace('DetectionOnly', 'On'))
    expect(got.status).toBe(403)
  })

  it('answers an HTTP/0.9 request without a status line (a client error), after running the rules', async () => {
    const got = await run({ version: '' })
    expect(got.clientError).toMatch(/HTTP\/0\.9/)
    expect(got.lines.some((l) => l.includes('[id "4"]'))).toBe(true)
  })

  it('reports a request the front end rejects, without running the engine', async () => {
    const got = await run({ method: 'GET', version: 'TEST' })
    expect(got.status).toBe(400)
    expect(got.frontReject).toMatch(/HTTP-version/)
    expect(got.lines).toEqual([])
  })
})
