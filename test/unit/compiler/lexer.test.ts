import { describe, expect, it } from 'vitest'
import { CompileError } from '../../../src/compiler/diagnostics'
import { lex } from '../../../src/compiler/lexer'

const values = (src: string) => lex(src, 'x.conf').map((d) => [d.name, ...d.args.map((a) => a.value)])

describe('lexer', () => {
  it('splits directives and arguments, skipping comments and blank lines', () => {
    expect(values('# comment\n\nSecRuleEngine On\n   # indented comment\nSecAction "id:1,pass"\n')).toEqual([
      ['SecRuleEngine', 'On'],
      ['SecAction', 'id:1,pass'],
    ])
  })
  it('joins backslash continuations and reports the physical line and column', () => {
    const d = lex('SecRule ARGS \\\n    "@rx a" \\\n    "id:1,\\\n    pass"\n', 'x.conf')
    expect(d).toHaveLength(1)
    expect(d[0]?.args.map((a) => a.value)).toEqual(['ARGS', '@rx a', 'id:1,    pass'])
    expect([d[0]?.args[1]?.line, d[0]?.args[1]?.col]).toEqual([2, 5])
    expect([d[0]?.args[2]?.line, d[0]?.args[2]?.col]).toEqual([3, 5])
  })
  it('does not continue a line ending in two backslashes (Apache)', () => {
    expect(values('SecAction a\\\\\nSecAction b\n')).toEqual([
      ['SecAction', 'a\\'],
      ['SecAction', 'b'],
    ])
  })
  it('unescapes \\" and \\\\ inside double quotes and keeps other backslashes verbatim', () => {
    expect(values('SecRule ARGS "@rx a\\"b\\\\c\\x5cd" "id:1"')[0]).toEqual(['SecRule', 'ARGS', '@rx a"b\\c\\x5cd', 'id:1'])
  })
  it('accepts single-quoted arguments', () => {
    expect(values("SecAction 'id:1,msg:\"x\"'")[0]).toEqual(['SecAction', 'id:1,msg:"x"'])
  })
  it('keeps bytes: the file is read as latin1, one char per byte', () => {
    expect(values('SecRule ARGS "@rx \xe9\xa0" "id:1"')[0]?.[2]).toBe('@rx \xe9\xa0')
  })
  it('handles CRLF line endings', () => {
    expect(values('SecRuleEngine On\r\nSecAction "id:1"\r\n')).toEqual([
      ['SecRuleEngine', 'On'],
      ['SecAction', 'id:1'],
    ])
  })
  it('reads <IfDefine NAME> with the closing bracket attached', () => {
    expect(values('<IfDefine CRS_DIR>\n</IfDefine>\n')).toEqual([['<IfDefine', 'CRS_DIR'], ['</IfDefine']])
  })
  it('fails with a position on an unterminated quote', () => {
    try {
      lex('SecRuleEngine On\nSecAction "id:1,pass\n', 'x.conf')
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(CompileError)
      const d = (e as CompileError).diagnostic
      expect([d.file, d.line, d.col]).toEqual(['x.conf', 2, 11])
      expect(d.message).toMatch(/unterminated double-quoted/)
    }
  })
})
