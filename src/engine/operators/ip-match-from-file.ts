import type { BinaryString } from '../bytes'
import type { OperatorRef } from '../../bundle/schema'
import type { OperatorDef, OperatorFn } from './types'
import { cString, isCSpace, isHexDigit } from './c-string'
import { buildIpSet, linkIpSet } from './ip-match'
import { parseNetwork } from './ip-set'

const LINE_MAX = 8191

/**
 * Entries of one @ipMatchFromFile data file as ModSecurity 2.9.7 reads it, for the compiler
 * (which reads the file as a binary string and passes `params: { kind: 'cidrs' }`): per line,
 * leading whitespace is skipped and the entry is the run of hex digits, '.', '/' and ':' that
 * follows; the rest of the line is ignored ("10.0.0.1 # note", "1.2.3.4\r"), so lines starting with
 * '#' and blank lines give nothing. An invalid entry fails the whole file, as in v2, with
 * `Could not add entry "x" in line N` (the compiler adds the file name). Note that v2 takes the
 * whole @ipMatchFromFile argument as ONE file path (no list, unlike @pmFromFile).
 */
export function parseIpFile(text: BinaryString): string[] {
  const entries: string[] = []
  let pos = 0
  let line = 0
  while (pos < text.length) {
    let end = text.indexOf('\n', pos)
    end = end < 0 ? text.length : end + 1
    if (end - pos > LINE_MAX) end = pos + LINE_MAX
    const s = cString(text.slice(pos, end))
    pos = end
    line++
    let start = 0
    while (start < s.length && isCSpace(s.charCodeAt(start))) start++
    let stop = start
    while (stop < s.length && isEntryChar(s.charCodeAt(stop))) stop++
    if (stop === start) continue
    const entry = s.slice(start, stop)
    if (parseNetwork(entry) === undefined) throw new Error(`Could not add entry "${entry}" in line ${line}`)
    entries.push(entry)
  }
  return entries
}

function isEntryChar(c: number): boolean {
  return isHexDigit(c) || c === 0x2e || c === 0x2f || c === 0x3a
}

function linkFromFile(op: OperatorRef): OperatorFn {
  if (op.params?.kind !== 'cidrs') {
    throw new Error(
      `@${op.name} ${op.arg}: addresses missing from the bundle (the compiler inlines the data file)`,
    )
  }
  return linkIpSet(buildIpSet(op.params.cidrs, `@${op.name}`), 'IPmatchFromFile')
}

export const ipMatchFromFile: OperatorDef = {
  name: 'ipMatchFromFile',
  doc: 'Like @ipMatch, with the addresses/networks read from one data file (inlined by the compiler with parseIpFile).',
  link: linkFromFile,
}

/** v2 registers `ipMatchF` as a second name of the same operator. */
export const ipMatchF: OperatorDef = {
  name: 'ipMatchF',
  doc: 'Alias of @ipMatchFromFile.',
  link: linkFromFile,
}
