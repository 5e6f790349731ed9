import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { normaliseInput } from '../../../../src/cli/ftw/load-tests'
import { buildWireRequest } from '../../../../src/cli/ftw/wire-request'
import { expandGoTemplate } from '../../../../src/cli/ftw/go-template'
import { goFtwEncodeFormData, goQueryEscape, goQueryUnescape } from '../../../../src/cli/ftw/go-url'
import { canonicalHeaderKey } from '../../../../src/cli/ftw/go-header'
import type { YamlValue } from '../../../../src/cli/ftw/yaml-values'

interface Vector {
  name: string
  input: YamlValue
  wire: string
}
const vectors = JSON.parse(readFileSync(new URL('./wire-request.vectors.json', import.meta.url), 'utf8')) as {
  cases: Vector[]
}

describe('go-ftw request bytes', () => {
  it.each(vectors.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(buildWireRequest(normaliseInput(c.input, c.name), c.name)).toBe(c.wire)
  })

  it('refuses data and encoded_request together (go-ftw checkTestSanity)', () => {
    expect(() => normaliseInput({ data: 'x', encoded_request: 'eA==' }, 't')).toThrow(
      /must not be set simultaneously/,
    )
  })

  it('refuses invalid base64 in encoded_request', () => {
    expect(() => buildWireRequest(normaliseInput({ encoded_request: 'R0V*' }, 't'), 't')).toThrow(
      /invalid base64/,
    )
  })
})

describe('Go helpers', () => {
  it('QueryUnescape / QueryEscape', () => {
    expect(goQueryUnescape('a+b%41')).toBe('a bA')
    expect(goQueryUnescape('%4')).toBeUndefined()
    expect(goQueryUnescape('%zz')).toBeUndefined()
    expect(goQueryEscape('a b/~-_.*:&=')).toBe('a+b%2F~-_.%2A%3A%26%3D')
    expect(goQueryEscape('\xc3\xa9')).toBe('%C3%A9')
  })
  it('encodes only keys and values, keeps a key without value', () => {
    expect(goFtwEncodeFormData('k&a=1=2')).toBe('k&a=1%3D2')
    expect(goFtwEncodeFormData('&a=b')).toBe('&a=b')
  })
  it('canonicalises header names like textproto', () => {
    expect(canonicalHeaderKey('content-TYPE')).toBe('Content-Type')
    expect(canonicalHeaderKey('x_filename')).toBe('X_filename')
    expect(canonicalHeaderKey('bad name')).toBe('bad name')
  })
  it('evaluates the template subset and reports the rest', () => {
    expect(expandGoTemplate('a{{ repeat 2 "xy" }}b', 't')).toBe('axyxyb')
    expect(expandGoTemplate('a {{- "z" -}} b', 't')).toBe('azb')
    expect(() => expandGoTemplate('{{ now }}', 't')).toThrow(/template/)
  })
})
