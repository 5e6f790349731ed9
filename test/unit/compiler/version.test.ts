import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { COMPILER_VERSION } from '../../../src/compiler/version'

describe('compiler version', () => {
  it('is the package version (recorded in every bundle)', () => {
    const pkg = JSON.parse(readFileSync(resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string }
    expect(COMPILER_VERSION).toBe(pkg.version)
  })
})
