/**
 * The compiler driver: reads the entry file and its Includes in order, dispatches every
 * directive, collects diagnostics (continuing after an error so that one run reports them all)
 * and emits the bundle when there is no error.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, dirname, isAbsolute, join, resolve } from 'node:path'
import { DEFAULT_ENGINE_CONFIG, type Bundle } from '../bundle/schema'
import { emptyActionSet } from './action-set'
import { CompileError, type Diagnostic } from './diagnostics'
import { DIRECTIVES, lookupDirective } from './directives'
import { emitBundle, type EmitStats } from './emit'
import { lex, type DirectiveNode, type Token } from './lexer'
import { removeRules, updateActions, updateTargets } from './rule-updates'
import { addMarker, addRule, errorAt, errorAtNode, setDefaultAction } from './rules'
import { displayPath, registerSource } from './sources'
import type { CompileState } from './state'
import { COMPILER_VERSION } from './version'

export interface CompileOptions {
  /** names for `<IfDefine NAME>` and values for `${NAME}` in Include paths */
  defines?: Record<string, string>
}

export interface CompileOutput {
  bundle?: Bundle
  stats?: EmitStats
  diagnostics: Diagnostic[]
  errors: number
  warnings: number
}

function newState(defines: Record<string, string>, baseDir: string): CompileState {
  return {
    baseDir,
    config: structuredClone(DEFAULT_ENGINE_CONFIG),
    sources: [],
    sourceIndex: new Map(),
    components: [],
    defaultActions: { ...emptyActionSet(), phase: 2, log: true, auditlog: true, disruptive: { name: 'pass' } },
    drafts: [],
    ids: new Map(),
    diagnostics: [],
    pendingWarnings: [],
    persistentCollections: new Set(),
    defines,
    includeStack: [],
    warnedDirectives: new Set(),
    markerNames: new Set(),
    responseMimeTypesSet: false,
  }
}

/** Apache-style `${NAME}` expansion (Include paths only; see README). */
function expandDefines(state: CompileState, node: DirectiveNode, tok: Token): string {
  return tok.value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => {
    const v = state.defines[name]
    if (v === undefined) throw errorAt(node, tok, tok.value.indexOf('${'), `\${${name}} is not defined (set it in the environment or with -D ${name}=...)`)
    return v
  })
}

function globToRegExp(glob: string): RegExp {
  let re = '^'
  for (const c of glob) {
    if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(re + '$')
}

/** Expand an Include path: wildcards in any segment, directories include all their files. Sorted. */
function expandInclude(path: string): string[] {
  const hasWild = /[*?]/.test(path)
  if (!hasWild) {
    if (existsSync(path) && statSync(path).isDirectory()) {
      return readdirSync(path)
        .sort()
        .map((f) => join(path, f))
        .filter((f) => statSync(f).isFile())
    }
    return existsSync(path) ? [path] : []
  }
  const segments = path.split('/')
  let bases = [segments[0] === '' ? '/' : (segments[0] as string)]
  for (let i = 1; i < segments.length; i++) {
    const seg = segments[i] as string
    const next: string[] = []
    for (const b of bases) {
      if (!/[*?]/.test(seg)) {
        next.push(join(b, seg))
        continue
      }
      if (!existsSync(b) || !statSync(b).isDirectory()) continue
      const rx = globToRegExp(seg)
      for (const f of readdirSync(b).sort()) if (rx.test(f)) next.push(join(b, f))
    }
    bases = next
  }
  return bases.filter((f) => existsSync(f) && statSync(f).isFile())
}

const MODULES_PRESENT = new Set(['security2_module', 'mod_security2.c', 'mod_security2'])

interface Section {
  kind: 'IfDefine' | 'IfModule'
  active: boolean
  node: DirectiveNode
}

function processFile(state: CompileState, absPath: string, from?: { node: DirectiveNode; tok: Token }): void {
  const shown = displayPath(absPath)
  if (state.includeStack.includes(absPath)) {
    const chain = [...state.includeStack, absPath].map(displayPath).join(' -> ')
    if (from) throw errorAt(from.node, from.tok, 0, `include loop: ${chain}`)
    throw new CompileError({ file: shown, line: 1, col: 1 }, `include loop: ${chain}`)
  }
  let bytes: Buffer
  try {
    bytes = readFileSync(absPath)
  } catch {
    if (from) throw errorAt(from.node, from.tok, 0, `cannot read "${from.tok.value}" (looked for ${absPath})`)
    throw new CompileError({ file: shown, line: 1, col: 1 }, `cannot read ${absPath}`)
  }
  registerSource(state, absPath, bytes, 'rules')
  let nodes: DirectiveNode[]
  try {
    nodes = lex(bytes.toString('latin1'), shown, absPath)
  } catch (e) {
    if (e instanceof CompileError) {
      state.diagnostics.push(e.diagnostic)
      return
    }
    throw e
  }
  state.includeStack.push(absPath)
  const sections: Section[] = []
  for (const node of nodes) {
    try {
      handleNode(state, node, absPath, sections)
    } catch (e) {
      if (e instanceof CompileError) state.diagnostics.push(e.diagnostic)
      else throw e
    }
  }
  for (const s of sections) {
    state.diagnostics.push({
      file: s.node.file,
      line: s.node.line,
      col: s.node.col,
      severity: 'error',
      message: `<${s.kind}> section is not closed in this file`,
    })
  }
  state.includeStack.pop()
}

function handleNode(state: CompileState, node: DirectiveNode, absPath: string, sections: Section[]): void {
  const lower = node.name.toLowerCase()
  const active = sections.every((s) => s.active)
  if (lower === '<ifdefine' || lower === '<ifmodule') {
    const arg = node.args[0]
    if (arg === undefined || node.args.length !== 1) throw errorAtNode(node, `${node.name}> takes one argument`)
    const neg = arg.value.startsWith('!')
    const name = neg ? arg.value.slice(1) : arg.value
    const present = lower === '<ifdefine' ? state.defines[name] !== undefined : MODULES_PRESENT.has(name)
    sections.push({ kind: lower === '<ifdefine' ? 'IfDefine' : 'IfModule', active: present !== neg, node })
    return
  }
  if (lower === '</ifdefine' || lower === '</ifmodule') {
    const top = sections.pop()
    const kind = lower === '</ifdefine' ? 'IfDefine' : 'IfModule'
    if (top === undefined || top.kind !== kind) throw errorAtNode(node, `${node.name}> without a matching <${kind}>`)
    return
  }
  if (node.name.startsWith('<')) {
    throw errorAtNode(
      node,
      `Apache section ${node.name}> is not supported: there are no server contexts at the edge (use rules on REQUEST_FILENAME or SERVER_NAME)`,
    )
  }
  if (!active) return

  if (lower === 'include' || lower === 'includeoptional') {
    const tok = node.args[0]
    if (tok === undefined || node.args.length !== 1) throw errorAtNode(node, `${node.name} takes one path`)
    const raw = expandDefines(state, node, tok)
    const path = isAbsolute(raw) ? raw : resolve(dirname(absPath), raw)
    const files = expandInclude(path)
    if (files.length === 0) {
      if (lower === 'includeoptional') return
      throw errorAt(node, tok, 0, `Include: no file matches "${raw}" (looked for ${path})`)
    }
    for (const f of files) processFile(state, f, { node, tok })
    return
  }

  const name = lookupDirective(node.name)
  if (name === undefined) throw errorAtNode(node, `unknown directive "${node.name}"`)
  node.name = name
  if (state.openChain !== undefined && name !== 'SecRule' && name !== 'SecAction') {
    const p = state.openChain.linkPos
    throw errorAtNode(node, `${name} inside a chain: the rule at ${p.file}:${p.line} has "chain" and needs a SecRule next`)
  }
  const entry = DIRECTIVES[name]
  if (entry === undefined) throw errorAtNode(node, `unknown directive "${node.name}"`)
  switch (entry.kind) {
    case 'compile':
      entry.handler(state, node)
      return
    case 'warn':
      state.diagnostics.push({
        file: node.file,
        line: node.line,
        col: node.col,
        severity: 'warning',
        message: `${name} has no effect at the edge: ${entry.reason}`,
      })
      return
    case 'refuse':
      throw errorAtNode(node, `${name} is not supported: ${entry.reason}`)
    case 'rule':
      break
  }
  switch (name) {
    case 'SecRule':
    case 'SecAction':
      addRule(state, node, name)
      return
    case 'SecMarker':
      addMarker(state, node)
      return
    case 'SecDefaultAction':
      setDefaultAction(state, node)
      return
    case 'SecRuleRemoveById':
    case 'SecRuleRemoveByTag':
    case 'SecRuleRemoveByMsg':
      removeRules(state, node)
      return
    case 'SecRuleUpdateTargetById':
    case 'SecRuleUpdateTargetByTag':
    case 'SecRuleUpdateTargetByMsg':
      updateTargets(state, node)
      return
    case 'SecRuleUpdateActionById':
      updateActions(state, node)
      return
  }
}

function finish(state: CompileState): CompileOutput {
  if (state.openChain !== undefined) {
    const p = state.openChain.linkPos
    state.diagnostics.push({
      ...p,
      severity: 'error',
      message: `chain is not terminated: rule ${state.openChain.draft.rule.id} has "chain" but no SecRule follows`,
    })
  }
  let out: CompileOutput = { diagnostics: state.diagnostics, errors: 0, warnings: 0 }
  const preErrors = state.diagnostics.some((d) => d.severity === 'error')
  if (!preErrors) {
    const { bundle, stats } = emitBundle(state, COMPILER_VERSION)
    out = { bundle, stats, diagnostics: state.diagnostics, errors: 0, warnings: 0 }
  }
  out.errors = state.diagnostics.filter((d) => d.severity === 'error').length
  out.warnings = state.diagnostics.length - out.errors
  if (out.errors > 0) delete out.bundle
  return out
}

/** Compile a rule set from its entry file. */
export function compileFile(entry: string, opts: CompileOptions = {}): CompileOutput {
  const abs = resolve(entry)
  const state = newState(opts.defines ?? {}, dirname(abs))
  try {
    processFile(state, abs)
  } catch (e) {
    if (e instanceof CompileError) state.diagnostics.push(e.diagnostic)
    else throw e
  }
  return finish(state)
}

/**
 * Compile rules given as text (tests, tools). `fileName` is used in diagnostics and as the base
 * for relative Include and data file paths.
 */
export function compileText(text: string, opts: CompileOptions & { fileName?: string } = {}): CompileOutput {
  const fileName = resolve(opts.fileName ?? 'inline.conf')
  const state = newState(opts.defines ?? {}, dirname(fileName))
  const shown = basename(fileName)
  const bytes = Buffer.from(text, 'latin1')
  registerSource(state, fileName, bytes, 'rules')
  state.includeStack.push(fileName)
  const sections: Section[] = []
  try {
    for (const node of lex(text, shown, fileName)) {
      try {
        handleNode(state, node, fileName, sections)
      } catch (e) {
        if (e instanceof CompileError) state.diagnostics.push(e.diagnostic)
        else throw e
      }
    }
  } catch (e) {
    if (e instanceof CompileError) state.diagnostics.push(e.diagnostic)
    else throw e
  }
  return finish(state)
}
