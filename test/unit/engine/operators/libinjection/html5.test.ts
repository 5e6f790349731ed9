import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { h5Init, h5Next } from '../../../../../src/engine/operators/libinjection/html5'
import {
  H5_ATTR_NAME,
  H5_ATTR_VALUE,
  H5_START_DATA,
  H5_START_VALUE_DOUBLE_QUOTE,
  H5_TAG_NAME_CLOSE,
  H5_TAG_NAME_OPEN,
  Html5State,
} from '../../../../../src/engine/operators/libinjection/html5-state'
import { detectXss } from '../../../../../src/engine/operators/libinjection/xss'

/**
 * HTML5 token streams recorded from libinjection 3.9.2 inside ModSecurity 2.9.7's module
 * (test/tools/modsec/record-libinjection.mjs tokens; see test/vectors/libinjection/README.md).
 */
interface Html5Vector {
  input: string
  context: number
  tokens: [type: number, start: number, len: number][]
}
const vectors = JSON.parse(
  readFileSync(new URL('../../../../vectors/libinjection/tokens.json', import.meta.url), 'utf8'),
).html5 as Html5Vector[]

function tokens(input: string, context: number): [number, number, number][] {
  const h = new Html5State()
  h5Init(h, input, context)
  const out: [number, number, number][] = []
  while (out.length < 256 && h5Next(h)) out.push([h.tokenType, h.tokenStart, h.tokenLen])
  return out
}

describe('libinjection HTML5 tokenizer (recorded from ModSecurity 2.9.7)', () => {
  it('has enough recorded vectors', () => {
    expect(vectors.length).toBeGreaterThan(300)
  })
  it.each(vectors.map((v) => [JSON.stringify(v.input), v.context, v] as const))(
    'tokenizes %s (context %i)',
    (_, context, v) => {
      expect(tokens(v.input, context)).toEqual(v.tokens)
    },
  )
})

describe('libinjection HTML5 tokenizer', () => {
  it('splits a tag into name, attribute names and values', () => {
    expect(tokens('<a href="x" b=c>', H5_START_DATA)).toEqual([
      [H5_TAG_NAME_OPEN, 1, 1],
      [H5_ATTR_NAME, 3, 4],
      [H5_ATTR_VALUE, 9, 1],
      [H5_ATTR_NAME, 12, 1],
      [H5_ATTR_VALUE, 14, 1],
      [H5_TAG_NAME_CLOSE, 15, 1],
    ])
  })
  it('starts inside a double-quoted attribute value', () => {
    expect(tokens('x" onload="y', H5_START_VALUE_DOUBLE_QUOTE)).toEqual([
      [H5_ATTR_VALUE, 0, 1],
      [H5_ATTR_NAME, 3, 6],
      [H5_ATTR_VALUE, 11, 1],
    ])
  })
  it('handles very long inputs without recursion (C recurses per "/")', () => {
    const input = '<a ' + '/'.repeat(200000) + ' onload=x>'
    expect(detectXss(input)).toBe(true)
  })
})
