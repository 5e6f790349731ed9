import { describe, expect, it } from 'vitest'
import { caseConfig, loadVectors, parseRaw, program, runAll, type VectorCase } from './harness'

/**
 * The recorded engine vectors (test/vectors/actions, test/vectors/variables): compile the
 * case's rules, run its request through every phase and compare the alert lines with what
 * ModSecurity 2.9.7 logged, and the interruption with its HTTP status.
 */
function check(c: VectorCase): void {
  const p = program(
    c.rules,
    { ...caseConfig(c), ...c.options?.bundleConfig },
    c.options?.keepFileContents === true ? { bodyOptions: { keepFileContents: true } } : {},
  )
  const o = c.options ?? {}
  const req = parseRaw(c.request, o.geo === undefined ? {} : { geo: o.geo })
  const clock = o.clock
  const txOpts = clock === undefined ? {} : { clock: () => clock }
  if (c.hand !== undefined) {
    const res = runAll(p, req, txOpts, o.response)
    expect(res.alerts).toEqual(c.engine?.alerts)
    const want = c.engine?.interruption
    if (want === undefined) expect(res.interruption).toBeUndefined()
    else expect({ status: res.interruption?.status, kind: res.interruption?.kind }).toEqual(want)
    if (c.engine?.sanitize !== undefined) expect(res.tx.state.sanitize).toEqual(c.engine.sanitize)
    return
  }
  if (c.expect === undefined) throw new Error('case without recording: run record-engine.mjs')
  const status = c.expect.status
  const response = o.response ?? {
    status: status === 0 ? 200 : status,
    headers: [['Content-Type', 'text/html']] as [string, string][],
  }
  const res = runAll(p, req, txOpts, response)
  const want = c.engine?.alerts ?? c.expect.alerts
  expect(res.alerts).toEqual(want)
  // Apache answers 404 (no such file) or 200 when ModSecurity lets the request through
  if (status === 404 || status === 200) expect(res.interruption).toBeUndefined()
  else if (status === 0) expect(res.interruption?.kind).toBe('drop')
  else expect(res.interruption?.status).toBe(status)
}

for (const dir of ['variables', 'actions']) {
  describe(`vectors/${dir}`, () => {
    for (const [file, doc] of loadVectors(dir)) {
      describe(file, () => {
        for (const c of doc.cases) {
          // `pending`: a known gap outside the engine (reason in the field); it.fails turns red
          // as soon as the gap is closed, so the marker gets removed
          if (c.pending !== undefined) it.fails(`${c.name} (pending: ${c.pending})`, () => check(c))
          else it(c.name, () => check(c))
        }
      })
    }
  })
}
