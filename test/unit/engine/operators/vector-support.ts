import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { OperatorRef, Template, TemplatePart } from '../../../../src/bundle/schema'
import type { GeoRecord, OperatorContext, OperatorDef } from '../../../../src/engine/operators/types'
import { parseIpFile, parsePmFile } from '../../../../src/engine/operators'

/** The shape written by test/tools/modsec/record-operators.mjs. */
export interface VectorFile {
  operator: string
  recorded: string
  groups: VectorGroup[]
  invalid?: { arg: string; files?: Record<string, string>; v2Error?: string; accepted?: true }[]
}

export interface VectorGroup {
  arg: string
  var: string
  files?: Record<string, string>
  tx?: Record<string, string>
  capture?: true
  db?: boolean
  cases: VectorCase[]
}

export interface VectorCase {
  input: string
  match: boolean
  message?: string
  /** TX.0..TX.9 after the match ("" = unset) */
  tx?: string[]
  /** v2 operator error (the rule was aborted) */
  error?: string
  geo?: GeoRecord
}

export const VECTOR_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'vectors',
  'operators',
)

export function loadVectorFiles(): Map<string, VectorFile> {
  const out = new Map<string, VectorFile>()
  for (const f of readdirSync(VECTOR_DIR)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    out.set(f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(VECTOR_DIR, f), 'utf8')) as VectorFile)
  }
  return out
}

/** %{tx.name} macros -> a Template, as the compiler would produce it (only what the vectors use). */
export function parseTemplate(arg: string): Template {
  if (!arg.includes('%{')) return arg
  const parts: TemplatePart[] = []
  const re = /%\{([A-Za-z_]+)\.([^}]+)\}/g
  let last = 0
  for (let m = re.exec(arg); m !== null; m = re.exec(arg)) {
    if (m.index > last) parts.push(arg.slice(last, m.index))
    parts.push({ c: (m[1] ?? '').toUpperCase(), k: (m[2] ?? '').toLowerCase() })
    last = m.index + m[0].length
  }
  if (last < arg.length) parts.push(arg.slice(last))
  return parts
}

const FILE_OPERATORS = new Set(['pmFromFile', 'pmf', 'ipMatchFromFile', 'ipMatchF'])
const REGEX_OPERATORS = new Set(['verifyCC', 'verifySSN', 'verifyCPF'])

/**
 * What the compiler puts into the bundle for a rule argument: prepare() for operators that have
 * one, data files through parsePmFile/parseIpFile, verify* regexes with v2's DOTALL|MULTILINE
 * flags (the vectors only use patterns that mean the same in PCRE and JS), macros as argTemplate.
 */
export function compileOperator(
  def: OperatorDef,
  name: string,
  arg: string,
  files?: Record<string, string>,
): OperatorRef {
  const op: OperatorRef = { name, negated: false, arg }
  const template = parseTemplate(arg)
  if (typeof template !== 'string') op.argTemplate = template
  if (FILE_OPERATORS.has(name)) {
    const read = (file: string): string => {
      const text = files?.[file]
      if (text === undefined) throw new Error(`Could not open file "${file}"`)
      return text
    }
    if (name.startsWith('pm')) {
      const phrases = arg
        .split(/\s+/)
        .filter((f) => f.length > 0)
        .flatMap((f) => parsePmFile(read(f)))
      op.params = { kind: 'phrases', phrases }
    } else {
      op.params = { kind: 'cidrs', cidrs: parseIpFile(read(arg)) }
    }
  } else if (REGEX_OPERATORS.has(name)) {
    op.params = { kind: 'rx', regex: { source: arg, flags: 'ms' } }
  } else if (def.prepare) {
    const params = def.prepare(arg)
    if (params !== undefined) op.params = params
  }
  return op
}

export interface TestContext extends OperatorContext {
  geoSet: (GeoRecord | undefined)[]
}

/** A fresh context as the engine would present it for one evaluation. */
export function makeContext(opts: {
  varName: string
  capture?: boolean
  tx?: Record<string, string>
  geo?: Map<string, GeoRecord> | undefined
}): TestContext {
  const tx = opts.tx ?? {}
  const ctx: TestContext = {
    varName: opts.varName,
    capture: opts.capture === true,
    captures: [],
    message: '',
    linearBytes: 0,
    unitsLeft: Infinity,
    captureBytes: 0,
    budgetSpent: false,
    geoSet: [],
    expand(t: Template): string {
      if (typeof t === 'string') return t
      let out = ''
      for (const part of t) {
        if (typeof part === 'string') out += part
        else out += part.c === 'TX' && part.k !== undefined ? (tx[part.k] ?? '') : '' // v2: unknown -> ""
      }
      return out
    },
    setTx() {},
  }
  if (opts.geo !== undefined) {
    const db = opts.geo
    ctx.geo = {
      lookup: (host) => db.get(host),
      setGeo: (record) => void ctx.geoSet.push(record),
    }
  }
  return ctx
}
