import { describe, expect, it } from 'vitest'
import { parseActions, parseOperator, parseVariables, SyntaxProblem } from '../../../src/compiler/rule-syntax'

describe('parseVariables', () => {
  it('reads selectors: plain, key, count, exclusion, regex key', () => {
    expect(parseVariables('ARGS|!ARGS:foo|&TX:bar|REQUEST_COOKIES:/^a|b$/|XML:/*')).toEqual([
      { name: 'ARGS', count: false, exclude: false, offset: 0 },
      { name: 'ARGS', key: 'foo', count: false, exclude: true, offset: 5 },
      { name: 'TX', key: 'bar', count: true, exclude: false, offset: 15 },
      { name: 'REQUEST_COOKIES', key: '^a|b$', keyIsRegex: true, count: false, exclude: false, offset: 23 },
      { name: 'XML', key: '/*', count: false, exclude: false, offset: 47 },
    ])
  })
  it('keeps regex escapes verbatim in /regex/ keys', () => {
    expect(parseVariables('REQUEST_COOKIES:/\\x22?\\x24Version/')[0]?.key).toBe('\\x22?\\x24Version')
  })
  it('accepts quoted keys', () => {
    expect(parseVariables("ARGS:'a|b'")[0]?.key).toBe('a|b')
  })
  it.each([
    ['', /empty variable list/],
    ['ARGS||TX', /invalid character "\|" in variable list/],
    ['ARGS|', /ends with "\|"/],
    ['ARGS,ARGS_NAMES', /expected "\|"/],
    ['ARGS:', /empty key/],
    ['!&ARGS', /cannot be combined/],
    ['ARGS:/abc', /unterminated \/regex\//],
  ])('rejects %j', (text, msg) => {
    expect(() => parseVariables(text)).toThrow(msg)
    expect(() => parseVariables(text)).toThrow(SyntaxProblem)
  })
})

describe('parseOperator', () => {
  it('reads @name and its argument', () => {
    expect(parseOperator('@pm  select union')).toMatchObject({ name: 'pm', negated: false, arg: 'select union', implicit: false })
  })
  it('reads negation', () => {
    expect(parseOperator('!@streq GET')).toMatchObject({ name: 'streq', negated: true, arg: 'GET' })
  })
  it('treats a bare pattern as @rx', () => {
    expect(parseOperator('^(?i)up')).toMatchObject({ name: 'rx', negated: false, arg: '^(?i)up', implicit: true })
    expect(parseOperator('!^a')).toMatchObject({ name: 'rx', negated: true, arg: '^a', implicit: true })
  })
  it('allows operators without argument', () => {
    expect(parseOperator('@detectSQLi')).toMatchObject({ name: 'detectSQLi', arg: '' })
  })
  it('rejects a missing name', () => {
    expect(() => parseOperator('@ x')).toThrow(/missing operator name/)
  })
})

describe('parseActions', () => {
  it('splits on commas outside single quotes and unescapes \\\'', () => {
    expect(parseActions("id:1, phase:2 ,msg:'a, b\\'c',t:none,setvar:'tx.x=+%{tx.y}'").map((a) => [a.name, a.value])).toEqual([
      ['id', '1'],
      ['phase', '2'],
      ['msg', "a, b'c"],
      ['t', 'none'],
      ['setvar', 'tx.x=+%{tx.y}'],
    ])
  })
  it('reads actions without values', () => {
    expect(parseActions('deny,log').map((a) => [a.name, a.value])).toEqual([
      ['deny', undefined],
      ['log', undefined],
    ])
  })
  it.each([
    [',id:1', /starts with ","/],
    ['id:1,', /ends with ","/],
    ["msg:'x", /unterminated quoted value/],
    ["msg:'x'y", /unexpected text after the quoted value/],
    ['deny pass', /expected ":" or ","/],
  ])('rejects %j', (text, msg) => {
    expect(() => parseActions(text)).toThrow(msg)
  })
})
