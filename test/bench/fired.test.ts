import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadProgram } from '../../src/engine/index'
import { CASES, compileBench, crsDir, loadRequests, outcomeOf, runTransaction } from './setup'

/**
 * "Rules fired identical to ModSecurity's": the bench requests through the engine with the bench
 * configuration log exactly the rule ids (same order, same repeats) and answer with the same
 * status as real ModSecurity 2.9.7 did (test/bench/modsec-fired.json, recorded by
 * test/bench/record-modsec.mjs), at every paranoia level. Needs CRS (CRS_DIR or ../shared/crs).
 */
const recorded = JSON.parse(
  readFileSync(resolve(import.meta.dirname, 'modsec-fired.json'), 'utf8'),
) as Record<string, Record<string, number[] | number>>

describe.skipIf(!existsSync(resolve(crsDir(), 'rules')))(
  'bench requests: fired rules = ModSecurity 2.9.7',
  () => {
    const reqs = loadRequests()
    for (const pl of [1, 2, 3, 4]) {
      it(`PL${pl}`, () => {
        const program = loadProgram(compileBench(pl))
        const want = recorded['pl' + pl] as Record<string, number[]>
        const status = recorded['pl' + pl + 'Status'] as Record<string, number>
        for (const c of CASES) {
          const got = outcomeOf(runTransaction(program, reqs[c]))
          expect({ request: c, fired: got.fired, status: got.status }).toEqual({
            request: c,
            fired: want[c],
            status: status[c],
          })
        }
      })
    }
  },
)
