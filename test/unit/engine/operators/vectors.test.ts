import { describe, expect, it } from 'vitest'
import type { GeoRecord } from '../../../../src/engine/operators/types'
import { OPERATORS } from '../../../../src/engine/operators'
import { compileOperator, loadVectorFiles, makeContext } from './vector-support'

// One table-driven walker over test/vectors/operators/*.json (recorded from ModSecurity 2.9.7 by
// test/tools/modsec/record-operators.mjs). rx, detectSQLi and detectXSS have their own vector
// formats and walkers (rx.test.ts, the libinjection tests), so they are left out here, and so is
// rbl (recorded by record-rbl.mjs with DNS answers; walked with a resolver by rbl.test.ts).
const OWNED_ELSEWHERE = new Set(['rx', 'detectSQLi', 'detectXSS', 'rbl'])
const files = [...loadVectorFiles()].filter(([name]) => name in OPERATORS && !OWNED_ELSEWHERE.has(name))

describe.each(files)('operator vectors: %s', (name, file) => {
  const def = OPERATORS[name]
  if (def === undefined) throw new Error(`no operator ${name}`)

  it('file names its operator', () => {
    expect(file.operator).toBe(name)
    expect(file.recorded).toMatch(/ModSecurity 2\.9\.7/)
  })

  for (const group of file.groups) {
    // geoLookup: the recorded GEO records play the geo source; db:false = no source configured
    const geo =
      group.db === undefined
        ? undefined
        : group.db
          ? new Map(group.cases.flatMap((c): [string, GeoRecord][] => (c.geo ? [[c.input, c.geo]] : [])))
          : undefined
    const evaluate = def.link(compileOperator(def, name, group.arg, group.files))

    it.each(group.cases.map((c) => [JSON.stringify(c.input).slice(0, 60), c] as const))(
      `@${name} ${JSON.stringify(group.arg).slice(0, 60)} on %s`,
      (_label, c) => {
        const ctx = makeContext({ varName: group.var, capture: group.capture, tx: group.tx, geo })
        const matched = evaluate(c.input, ctx)
        expect(matched).toBe(c.match)
        if (c.match) expect(ctx.message).toBe(c.message)
        expect(ctx.error !== undefined).toBe(c.error !== undefined)
        if (c.error !== undefined && c.error !== 'operator error') expect(ctx.error).toBe(c.error)
        if (c.tx !== undefined) {
          // v2 leaves TX.n unset ("" in the recording) where captures[n] is undefined
          const got = c.tx.map((_, i) => ctx.captures[i] ?? '')
          expect(got).toEqual(c.tx)
        }
        if (c.geo !== undefined) expect(ctx.geoSet).toEqual([c.geo])
        if (group.db === true && !c.match) expect(ctx.geoSet).toEqual([undefined]) // v2 clears GEO
      },
    )
  }

  // Arguments ModSecurity refused at start-up. Two kinds are not the registry's to check and are
  // left out: a data file that does not exist (the compiler's file I/O), and @ipMatchFromFile
  // with two names (v2 reads its whole argument as one path; the compiler resolves paths).
  const invalid = (file.invalid ?? []).filter(
    (inv) => inv.v2Error !== undefined && !/Could not open (phrase|ipmatch) file/.test(inv.v2Error),
  )
  if (invalid.length > 0) {
    it.each(invalid.map((inv) => [inv.arg, inv] as const))('refuses argument %s like v2', (_arg, inv) => {
      expect(() => def.link(compileOperator(def, name, inv.arg, inv.files))).toThrow(Error)
    })
  }
})
