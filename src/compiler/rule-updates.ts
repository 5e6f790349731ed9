/**
 * Build-time rule removal and updates, applied as ModSecurity 2.9 applies them: to the rules
 * defined *before* the directive (a removal or update placed ahead of its rule has no effect and
 * gets a warning), on the chain starter.
 *   SecRuleRemoveById ID|RANGE ...    SecRuleRemoveByTag REGEX    SecRuleRemoveByMsg REGEX
 *   SecRuleUpdateTargetById ID TARGETS [REPLACED]   (…ByTag REGEX …, …ByMsg REGEX …)
 *   SecRuleUpdateActionById ID ACTIONS
 */
import type { VariableRef } from '../bundle/schema'
import { ActionProblem, buildActionSet, mergeActionSets } from './action-set'
import type { DirectiveNode, Token } from './lexer'
import { buildTimeRegExp } from './regex-bridge'
import { parseActions, parseVariables, SyntaxProblem } from './rule-syntax'
import { applyActionSet, errorAt, errorAtNode } from './rules'
import type { CompileState, RuleDraft } from './state'
import { buildVariables, VariableProblem } from './variables'

/** "100", "100-200", "1 2 3", "1,2" -> predicate over ids. */
function idMatcher(node: DirectiveNode, toks: Token[]): (id: number) => boolean {
  const singles = new Set<number>()
  const ranges: [number, number][] = []
  for (const tok of toks) {
    for (const part of tok.value.split(/[\s,]+/)) {
      if (part === '') continue
      const m = /^(\d+)(?:-(\d+))?$/.exec(part)
      if (!m) throw errorAt(node, tok, tok.value.indexOf(part), `invalid rule id or range "${part}"`)
      const a = Number(m[1])
      if (m[2] === undefined) singles.add(a)
      else {
        const b = Number(m[2])
        if (b < a) throw errorAt(node, tok, tok.value.indexOf(part), `invalid range "${part}" (end before start)`)
        ranges.push([a, b])
      }
    }
  }
  return (id) => singles.has(id) || ranges.some(([a, b]) => id >= a && id <= b)
}

function regexMatcher(node: DirectiveNode, tok: Token): RegExp {
  try {
    return buildTimeRegExp(tok.value)
  } catch (e) {
    throw errorAt(node, tok, (e as { offset?: number }).offset ?? 0, `invalid regex: ${(e as Error).message}`)
  }
}

function tagsOf(d: RuleDraft): string[] {
  return d.actionSet.tags
}

function selectDrafts(state: CompileState, pred: (d: RuleDraft) => boolean): RuleDraft[] {
  return state.drafts.filter((d) => !d.removed && d.marker === undefined && pred(d))
}

function warnNone(state: CompileState, node: DirectiveNode, what: string): void {
  state.diagnostics.push({
    file: node.file,
    line: node.line,
    col: node.col,
    severity: 'warning',
    message: `${node.name}: no rule defined before this line matches ${what} (it only applies to earlier rules)`,
  })
}

function needArgs(node: DirectiveNode, min: number, max: number, usage: string): void {
  if (node.args.length < min || node.args.length > max) throw errorAtNode(node, `${node.name} usage: ${node.name} ${usage}`)
}

export function removeRules(state: CompileState, node: DirectiveNode): void {
  let pred: (d: RuleDraft) => boolean
  if (node.name === 'SecRuleRemoveById') {
    needArgs(node, 1, 1000, 'ID|RANGE ...')
    const m = idMatcher(node, node.args)
    pred = (d) => m(d.rule.id)
  } else {
    needArgs(node, 1, 1, 'REGEX')
    const rx = regexMatcher(node, node.args[0] as Token)
    pred =
      node.name === 'SecRuleRemoveByTag'
        ? (d) => tagsOf(d).some((t) => rx.test(t))
        : (d) => d.actionSet.msg !== undefined && rx.test(d.actionSet.msg)
  }
  const hit = selectDrafts(state, pred)
  if (hit.length === 0) warnNone(state, node, node.args.map((a) => a.value).join(' '))
  for (const d of hit) {
    d.removed = true
    state.ids.delete(d.rule.id)
  }
}

function sameTarget(a: VariableRef, b: VariableRef): boolean {
  return (
    a.name === b.name &&
    (a.key ?? '').toLowerCase() === (b.key ?? '').toLowerCase() &&
    (a.keyRx?.source ?? '') === (b.keyRx?.source ?? '') &&
    !!a.count === !!b.count &&
    !!a.exclude === !!b.exclude
  )
}

function parseTargets(state: CompileState, node: DirectiveNode, tok: Token): VariableRef[] {
  try {
    return buildVariables(state, parseVariables(tok.value))
  } catch (e) {
    if (e instanceof SyntaxProblem || e instanceof VariableProblem) throw errorAt(node, tok, e.offset, e.message)
    throw e
  }
}

export function updateTargets(state: CompileState, node: DirectiveNode): void {
  needArgs(node, 2, 3, node.name === 'SecRuleUpdateTargetById' ? 'ID TARGETS [REPLACED_TARGET]' : 'REGEX TARGETS [REPLACED_TARGET]')
  const selTok = node.args[0] as Token
  let pred: (d: RuleDraft) => boolean
  if (node.name === 'SecRuleUpdateTargetById') {
    const m = idMatcher(node, [selTok])
    pred = (d) => m(d.rule.id)
  } else {
    const rx = regexMatcher(node, selTok)
    pred =
      node.name === 'SecRuleUpdateTargetByTag'
        ? (d) => tagsOf(d).some((t) => rx.test(t))
        : (d) => d.actionSet.msg !== undefined && rx.test(d.actionSet.msg)
  }
  const targets = parseTargets(state, node, node.args[1] as Token)
  const replaceTok = node.args[2]
  const replaced = replaceTok !== undefined ? parseTargets(state, node, replaceTok) : undefined
  if (replaced !== undefined && (replaced.length !== 1 || targets.length !== 1)) {
    throw errorAt(node, replaceTok as Token, 0, 'replacing a target takes exactly one new and one replaced target')
  }
  const hit = selectDrafts(state, pred)
  if (hit.length === 0) warnNone(state, node, selTok.value)
  for (const d of hit) {
    const vars = d.rule.vars
    if (d.rule.op.name === 'unconditionalMatch' && vars.length === 0) {
      throw errorAt(node, selTok, 0, `rule ${d.rule.id} is a SecAction and has no targets to update`)
    }
    if (replaced !== undefined) {
      const old = replaced[0] as VariableRef
      const i = vars.findIndex((v) => sameTarget(v, old))
      if (i < 0) {
        throw errorAt(node, replaceTok as Token, 0, `rule ${d.rule.id} has no target ${replaceTok?.value ?? ''} to replace`)
      }
      vars[i] = targets[0] as VariableRef
      continue
    }
    for (const t of targets) if (!vars.some((v) => sameTarget(v, t))) vars.push(t)
  }
}

export function updateActions(state: CompileState, node: DirectiveNode): void {
  needArgs(node, 2, 2, 'ID ACTIONS')
  const idTok = node.args[0] as Token
  const actTok = node.args[1] as Token
  if (!/^\d+$/.test(idTok.value)) throw errorAt(node, idTok, 0, `rule id must be a number; got "${idTok.value}"`)
  let set
  try {
    set = buildActionSet(parseActions(actTok.value))
  } catch (e) {
    if (e instanceof SyntaxProblem || e instanceof ActionProblem) throw errorAt(node, actTok, e.offset, e.message)
    throw e
  }
  for (const p of set.present) {
    if (p.name === 'id' || p.name === 'phase' || p.name === 'chain') {
      throw errorAt(node, actTok, p.offset, `SecRuleUpdateActionById cannot change "${p.name}"`)
    }
  }
  const draft = state.ids.get(Number(idTok.value))
  if (draft === undefined || draft.removed) {
    warnNone(state, node, idTok.value)
    return
  }
  applyActionSet(state, node, draft, mergeActionSets(draft.actionSet, set))
}
