/**
 * @rbl and SecHttpBlKey at build time: the operator compiles (it is no longer refused), the key
 * is carried in the bundle's config for the engine, and Debian's CRS 3.3.4 IP reputation rules
 * (REQUEST-910, rule 910140 uses @rbl dnsbl.httpbl.org) compile.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Bundle, Rule } from '../../../src/bundle/schema'
import { compileFile, compileText } from '../../../src/compiler/compile'
import { formatDiagnostic } from '../../../src/compiler/diagnostics'

function find(b: Bundle, id: number): Rule | undefined {
  for (const p of b.phases) for (const r of p) if (r.id === id && r.marker === undefined) return r
  return undefined
}

describe('@rbl and SecHttpBlKey', () => {
  it('compiles @rbl with its zone as the argument, without warnings', () => {
    const out = compileText('SecRule REMOTE_ADDR "@rbl sbl-xbl.spamhaus.org" "id:1,phase:1,deny"\n')
    expect(out.diagnostics.map(formatDiagnostic)).toEqual([])
    expect(find(out.bundle as Bundle, 1)?.op).toEqual({
      name: 'rbl',
      negated: false,
      arg: 'sbl-xbl.spamhaus.org',
    })
  })

  it('SecHttpBlKey goes into the bundle config (no warning); absent when not set', () => {
    const out = compileText('SecHttpBlKey abcdefghijkl\n')
    expect(out.diagnostics.map(formatDiagnostic)).toEqual([])
    expect(out.bundle?.config.httpBlKey).toBe('abcdefghijkl')
    expect(compileText('SecRuleEngine On\n').bundle?.config.httpBlKey).toBeUndefined()
  })

  it('SecHttpBlKey takes exactly one argument', () => {
    expect(compileText('SecHttpBlKey\n').errors).toBe(1)
    expect(compileText('SecHttpBlKey a b\n').errors).toBe(1)
  })

  const DEBIAN_CRS = '/usr/share/modsecurity-crs'
  // CI installs the package (.ci/run); a developer machine without it skips this test.
  it.runIf(existsSync(DEBIAN_CRS) || process.env.CI === 'true')(
    'Debian CRS 3.3.4: rule 910140 compiles to @rbl dnsbl.httpbl.org',
    () => {
      const root = resolve(__dirname, '../../..')
      const out = compileFile(join(root, 'rules/main.conf'), {
        defines: { CRS_DIR: DEBIAN_CRS, CRS_SETUP: '/etc/modsecurity/crs/crs-setup.conf' },
      })
      expect(out.errors).toBe(0)
      const r = find(out.bundle as Bundle, 910140)
      expect(r?.op).toEqual({ name: 'rbl', negated: false, arg: 'dnsbl.httpbl.org' })
      expect(r?.capture).toBe(true)
    },
  )
})
