/**
 * The malformed-rule corpus (test/corpus/malformed/*.conf): every file must fail to compile
 * with an error at the `file:line:col` its first line announces (`# expect: L:C: text`) and a
 * one-line reason containing the text.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compileFile } from '../../../src/compiler/compile'
import { formatDiagnostic } from '../../../src/compiler/diagnostics'

const DIR = resolve(__dirname, '../../corpus/malformed')
const files = readdirSync(DIR).filter((f) => f.endsWith('.conf')).sort()

describe('malformed rule corpus', () => {
  it('has at least 60 files', () => {
    expect(files.length).toBeGreaterThanOrEqual(60)
  })
  for (const f of files) {
    it(f, () => {
      const text = readFileSync(join(DIR, f), 'latin1')
      const m = /^# expect: (\d+):(\d+): (.+)$/m.exec(text)
      expect(m, 'the file announces its expected error').not.toBeNull()
      const [, line, col, what] = m as RegExpExecArray
      const out = compileFile(join(DIR, f))
      expect(out.errors).toBeGreaterThan(0)
      expect(out.bundle).toBeUndefined()
      const errors = out.diagnostics.filter((d) => d.severity === 'error')
      const shown = errors.map(formatDiagnostic).join('\n')
      const hit = errors.find((d) => d.line === Number(line) && d.col === Number(col) && d.message.includes(what as string))
      expect(hit, `expected ${line}:${col}: ${what}\ngot:\n${shown}`).toBeDefined()
      // one-line reason, positioned in this file (or, for include loops, in a file of the loop)
      expect(hit?.message).not.toContain('\n')
      expect(hit?.file.endsWith('.conf')).toBe(true)
    })
  }
})
