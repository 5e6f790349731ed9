/**
 * Operator checking and build-time preparation: canonical names (case-insensitive, as v2),
 * regexes translated, data files read and inlined, arguments prepared by the engine's own
 * `prepare` so that bad arguments fail the build.
 */
import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, relative, resolve } from 'node:path'
import type { OperatorRef } from '../bundle/schema'
import { EXPANDS_MACROS, OPERATORS, parseIpFile, parsePmFile } from '../engine/operators'
import { FILE_OPERATORS, foldTable, OPERATOR_ALIASES, OPERATOR_NAMES } from './catalog'
import { parseTemplate } from './macro'
import type { RegexPlan } from './regex'
import { planRegexOrThrow } from './regex-bridge'
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

/**
 * Read data files and parse them with the engine's v2 readers. @pmFromFile takes several
 * space-separated files; @ipMatchFromFile takes its whole argument as one path (v2).
 */
function readDataFiles(state: CompileState, ruleFile: string, arg: string, offset: number, kind: 'phrases' | 'cidrs'): string[] {
  const names = kind === 'phrases' ? arg.split(/\s+/).filter((s) => s !== '') : arg === '' ? [] : [arg]
  if (names.length === 0) throw new OperatorProblem('missing data file name', offset)
  const out: string[] = []
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
    const text = bytes.toString('latin1')
    try {
      out.push(...(kind === 'phrases' ? parsePmFile(text) : parseIpFile(text)))
    } catch (e) {
      throw new OperatorProblem(`invalid data file "${name}": ${(e as Error).message}`, offset)
    }
  }
  return out
}

/**
 * Backtracking lint for users' own patterns (issue: ReDoS): a warning with the rule id and the
 * execution strategy chosen for it. CRS patterns (files under ${CRS_DIR}) are known and not
 * repeated at every build.
 */
function lintRegex(state: CompileState, ruleFile: string, raw: RawOperator, ruleId: number | undefined, plan: RegexPlan): void {
  const hazard = plan.report.hazards[0]
  if (hazard === undefined) return
  const crs = state.defines['CRS_DIR']
  if (crs !== undefined && !relative(resolve(crs), ruleFile).startsWith('..')) return
  state.pendingWarnings.push({
    offset: raw.argOffset + hazard.offset,
    message: `${ruleId !== undefined ? `rule ${ruleId}: ` : ''}regex backtracking hazard (${hazard.kind}): ${hazard.message}; ${plan.reason}`,
  })
}

/** Operators whose argument is a regex v2 compiles with PCRE_DOTALL | PCRE_MULTILINE. */
const VERIFY_OPERATORS = new Set(['verifyCC', 'verifySSN', 'verifyCPF'])

function translateOrThrow(raw: RawOperator, ruleId: number | undefined, multiline: boolean): RegexPlan {
  try {
    return planRegexOrThrow(raw.arg, false, multiline ? 'v3' : 'v2')
  } catch (e) {
    const at = (e as { offset?: number }).offset
    const who = ruleId !== undefined ? `rule ${ruleId}: ` : ''
    throw new OperatorProblem(`${who}cannot translate regex: ${(e as Error).message}`, raw.argOffset + (at ?? 0))
  }
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
  if (name === 'rx' || VERIFY_OPERATORS.has(name)) {
    if (raw.arg === '') throw new OperatorProblem(`@${name} needs a pattern`, raw.argOffset)
    const plan = translateOrThrow(raw, ruleId, name !== 'rx')
    op.params = { kind: 'rx', regex: plan.spec }
    lintRegex(state, ruleFile, raw, ruleId, plan)
  } else if (fileKind === 'phrases') {
    op.params = { kind: 'phrases', phrases: readDataFiles(state, ruleFile, raw.arg, raw.argOffset, 'phrases') }
  } else if (fileKind === 'cidrs') {
    op.params = { kind: 'cidrs', cidrs: readDataFiles(state, ruleFile, raw.arg, raw.argOffset, 'cidrs') }
  } else {
    if (EXPANDS_MACROS.has(name) && raw.arg.includes('%{')) {
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
