import type { BinaryString } from '../bytes'
import type { OperatorRef } from '../../bundle/schema'
import type { OperatorDef, OperatorFn } from './types'
import { cString, isCSpace } from './c-string'
import { parsePmContent } from './pm-content'
import { linkPhrases } from './pm'

/** apr_file_gets as v2 calls it: lines end after '\n' and are at most 8191 bytes long. */
const LINE_MAX = 8191

/**
 * Phrases of one @pmFromFile data file, as ModSecurity 2.9 loads them (re_operators.c
 * msre_op_pmFromFile_param_init), for the compiler, which reads the file (bytes as a binary
 * string) and puts the phrases of all files of the argument, in order, into
 * `params: { kind: 'phrases' }`. One phrase per line: each line goes through the pm content
 * syntax (`|hex|`, `\:`, quotes; kept raw on a syntax error) and is cut at a NUL byte, then
 * leading and trailing whitespace (CR included) is trimmed; lines starting with `#` after trimming
 * are comments. Quirks kept from v2 (verified on 2.9.7): a phrase of ONE character is dropped, a
 * line `|23|x` becomes "#x" and is a comment, and the surrounding quotes of `"x"` are only removed
 * on a last line without newline.
 */
export function parsePmFile(text: BinaryString): BinaryString[] {
  const phrases: BinaryString[] = []
  let pos = 0
  while (pos < text.length) {
    let end = text.indexOf('\n', pos)
    end = end < 0 ? text.length : end + 1
    if (end - pos > LINE_MAX) end = pos + LINE_MAX
    const line = cString(text.slice(pos, end))
    pos = end
    const parsed = parsePmContent(line)
    const s = cString(parsed.ok ? parsed.value : line)
    let start = 0
    while (start < s.length && isCSpace(s.charCodeAt(start))) start++
    let last = s.length - 1
    while (last > start && isCSpace(s.charCodeAt(last))) last--
    // v2 keeps the line only when its last non-space character lies after its first one
    if (last <= start || s.charCodeAt(start) === 0x23) continue
    phrases.push(s.slice(start, last + 1))
  }
  return phrases
}

/** The phrases must come inlined in the bundle: the engine has no file system. */
function linkFromFile(op: OperatorRef): OperatorFn {
  if (op.params?.kind !== 'phrases') {
    throw new Error(
      `@${op.name} ${op.arg}: phrases missing from the bundle (the compiler inlines the data files)`,
    )
  }
  return linkPhrases(op.params.phrases)
}

export const pmFromFile: OperatorDef = {
  name: 'pmFromFile',
  doc: 'Like @pm, with one phrase per line read from the data files named in the argument (inlined by the compiler with parsePmFile).',
  link: linkFromFile,
}

/** v2 registers `pmf` as a second name of the same operator. */
export const pmf: OperatorDef = {
  name: 'pmf',
  doc: 'Alias of @pmFromFile.',
  link: linkFromFile,
}
