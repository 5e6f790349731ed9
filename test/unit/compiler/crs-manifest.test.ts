/** The pinned CRS manifest used by `npm run crs:fetch` matches the CRS release the tests use. */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { verifyManifest } from '../../../src/cli/crs-fetch'

const ROOT = resolve(__dirname, '../../..')
const CRS_DIR = resolve(process.env.CRS_DIR ?? join(ROOT, '../shared/crs'))

describe('crs-fetch manifest', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'rules/crs-manifests/4.28.0.json'), 'utf8'))
  it('verifies the CRS v4.28.0 tree file by file', () => {
    expect(Object.keys(manifest.files).length).toBeGreaterThan(40)
    expect(verifyManifest(CRS_DIR, manifest)).toEqual([])
  })
  it('detects a modified or missing file', () => {
    const tampered = { ...manifest, files: { ...manifest.files, 'rules/REQUEST-942-APPLICATION-ATTACK-SQLI.conf': '0'.repeat(64), 'rules/NOPE.conf': '1'.repeat(64) } }
    const problems = verifyManifest(CRS_DIR, tampered)
    expect(problems).toHaveLength(2)
    expect(problems[0]).toMatch(/REQUEST-942.*expected 0000/)
    expect(problems[1]).toBe('missing rules/NOPE.conf')
  })
})
