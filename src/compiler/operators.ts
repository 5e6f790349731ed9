/**
 * Operator checking and build-time preparation: canonical names (case-insensitive, as v2),
 * regexes translated, data files read and inlined, arguments prepared by the engine's own
 * `prepare` so that bad arguments fail the build.
 */
import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, resolve } from 'node:path'
import type { OperatorRef } from '../bundle/schema'
import { OPERATORS } from '../engine/operators'
import { FILE_OPERATORS, foldTable, MACRO_OPERATORS, OPERATOR_ALIASES, OPERATOR_NAMES } from './catalog'
import { parseTemplate } from './macro'
import { compileRegexOrThrow } from './regex-bridge'
import type { RawOperator } from './rule-syntax'
import { registerSource } from './sources'
import type { CompileState } from './state'
import { operatorRefusal } from './support'

const OPERATOR_LOOKUP = foldTable(OPERATOR_NAMES)

export class OperatorProblem extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message)
  }
}

/** Lines of a data file as v2 reads them: trimmed, blank lines and `#` comments skipped. */
export function dataFileLines(text: string): string[] {
  const out: string[] = []
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '').trim()
    if (line === '' || line.startsWith('#')) continue
    out.push(line)
  }
  return out
}

function readDataFiles(state: CompileState, ruleFile: string, arg: string, offset: number): string[] {
  const names = arg.split(/\s+/).filter((s) => s !== '')
  if (names.length === 0) throw new OperatorProblem('missing data file name', offset)
  const lines: string[] = []
  for (const name of names) {
    if (/^https?:\/\//i.test(name)) {
      throw new OperatorProblem(`data file URLs are not fetched at build time: download "${name}" and name the local file`, offset)
    }
    const path = isAbsolute(name) ? name : resolve(dirname(ruleFile), name)
    let bytes: Buffer
    try {
      bytes = readFileSync(path)
    } catch {
      throw new OperatorProblem(`cannot read data file "${name}" (looked for ${path})`, offset)
    }
    registerSource(state, path, bytes, 'data')
    lines.push(...dataFileLines(bytes.toString('latin1')))
  }
  return lines
}

export function buildOperator(
  state: CompileState,
  ruleFile: string,
  raw: RawOperator,
  ruleId: number | undefined,
): OperatorRef {
  const found = OPERATOR_LOOKUP.get(raw.name.toLowerCase())
  if (found === undefined) throw new OperatorProblem(`unknown operator "@${raw.name}"`, raw.offset)
  const name = OPERATOR_ALIASES[found] ?? found
  const refusal = operatorRefusal(name)
  if (refusal !== undefined) throw new OperatorProblem(`operator @${name} is not supported: ${refusal}`, raw.offset)
  const op: OperatorRef = { name, negated: raw.negated, arg: raw.arg }
  const fileKind = FILE_OPERATORS[found]
  if (name === 'rx') {
    if (raw.arg === '') throw new OperatorProblem('@rx needs a pattern', raw.argOffset)
    try {
      op.params = { kind: 'rx', regex: compileRegexOrThrow(raw.arg) }
    } catch (e) {
      const at = (e as { offset?: number }).offset
      const who = ruleId !== undefined ? `rule ${ruleId}: ` : ''
      throw new OperatorProblem(`${who}cannot translate regex: ${(e as Error).message}`, raw.argOffset + (at ?? 0))
    }
  } else if (fileKind === 'phrases') {
    op.params = { kind: 'phrases', phrases: readDataFiles(state, ruleFile, raw.arg, raw.argOffset) }
  } else if (fileKind === 'cidrs') {
    op.params = { kind: 'cidrs', cidrs: readDataFiles(state, ruleFile, raw.arg, raw.argOffset) }
  } else {
    if (MACRO_OPERATORS.has(name) && raw.arg.includes('%{')) {
      const t = parseTemplate(raw.arg)
      if (typeof t !== 'string') op.argTemplate = t
    }
    const def = OPERATORS[name]
    if (def?.prepare !== undefined && op.argTemplate === undefined) {
      try {
        const params = def.prepare(raw.arg)
        if (params !== undefined) op.params = params
      } catch (e) {
        throw new OperatorProblem(`invalid argument for @${name}: ${(e as Error).message}`, raw.argOffset)
      }
    }
  }
  return op
}
