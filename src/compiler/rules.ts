/**
 * SecRule, SecAction, SecMarker and SecDefaultAction: building rule drafts with ModSecurity
 * 2.9's checks (id required and unique, chain-starter-only actions, SecDefaultAction contents).
 */
import type { Rule, VariableRef } from '../bundle/schema'
import {
  ActionProblem,
  buildActionSet,
  emptyActionSet,
  mergeActionSets,
  type ActionSet,
} from './action-set'
import { resolveTransformation } from '../engine/transformations'
import { CompileError, makeExcerpt, type Position } from './diagnostics'
import type { DirectiveNode, Token } from './lexer'
import { parseTemplate } from './macro'
import { buildOperator, OperatorProblem } from './operators'
import { parseActions, parseOperator, parseVariables, SyntaxProblem } from './rule-syntax'
import type { CompileState, RuleDraft } from './state'
import { buildVariables, VariableProblem } from './variables'


/** A CompileError pointing inside a token at `offset` (offset in the token's value). */
export function errorAt(node: DirectiveNode, tok: Token, offset: number, message: string): CompileError {
  const raw = tok.rawStart + (tok.quote ? 1 : 0) + Math.max(0, offset)
  const [line, col] = node.posAt(raw)
  return new CompileError({ file: node.file, line, col }, message, makeExcerpt(node.text, raw))
}

export function errorAtNode(node: DirectiveNode, message: string): CompileError {
  return new CompileError({ file: node.file, line: node.line, col: node.col }, message, makeExcerpt(node.text, 0))
}

function rethrow(node: DirectiveNode, tok: Token, e: unknown): never {
  if (e instanceof SyntaxProblem || e instanceof ActionProblem || e instanceof VariableProblem || e instanceof OperatorProblem) {
    throw errorAt(node, tok, e.offset, e.message)
  }
  throw e
}

function parseActionToken(node: DirectiveNode, tok: Token | undefined): ActionSet {
  if (tok === undefined) return emptyActionSet()
  try {
    return buildActionSet(parseActions(tok.value))
  } catch (e) {
    rethrow(node, tok, e)
  }
}

const STARTER_ONLY = new Set(['disruptive', 'metadata'])
const STARTER_ONLY_NAMES = new Set(['skip', 'skipAfter', 'phase', 'id'])

function checkChainLink(node: DirectiveNode, tok: Token, set: ActionSet): void {
  for (const p of set.present) {
    if (STARTER_ONLY.has(p.info.group) || STARTER_ONLY_NAMES.has(p.name)) {
      const what =
        p.info.group === 'disruptive'
          ? 'disruptive actions'
          : p.name === 'skip' || p.name === 'skipAfter'
            ? 'skip and skipAfter'
            : p.name === 'phase'
              ? 'the phase'
              : 'metadata actions (id, rev, msg, tag, severity, ver, accuracy, maturity, logdata)'
      throw errorAt(node, tok, p.offset, `"${p.name}": ${what} can only be specified by chain starter rules`)
    }
  }
}

function resolveTransformations(node: DirectiveNode, tok: Token | undefined, set: ActionSet): string[] {
  const out: string[] = []
  for (const t of set.t) {
    // v2 looks transformation names up case-insensitively; the engine's registry is the authority
    const name = resolveTransformation(t.name)?.name
    if (name === undefined) {
      if (tok === undefined) throw errorAtNode(node, `unknown transformation "${t.name}"`)
      throw errorAt(node, tok, t.offset, `unknown transformation "${t.name}"`)
    }
    if (name === 'none') out.length = 0
    else out.push(name)
  }
  return out
}

function fileIndex(state: CompileState, node: DirectiveNode): number {
  return state.sourceIndex.get(node.path) ?? 0
}

/** Fill a bundle Rule from a merged action set. */
function ruleFromActions(
  state: CompileState,
  node: DirectiveNode,
  id: number,
  vars: VariableRef[],
  op: Rule['op'],
  set: ActionSet,
): Rule {
  const log = set.log ?? true
  const rule: Rule = {
    id,
    src: [fileIndex(state, node), node.lastLine],
    vars,
    op,
    t: 0,
    actions: set.actions,
    disruptive: set.disruptive ?? { name: 'pass' },
    log,
    auditlog: set.auditlog ?? log,
  }
  if (rule.disruptive.name === 'block') rule.blockAs = state.defaultActions.disruptive ?? { name: 'pass' }
  if (set.status !== undefined) rule.status = set.status
  if (set.msg !== undefined) rule.msg = parseTemplate(set.msg)
  if (set.logdata !== undefined) rule.logdata = parseTemplate(set.logdata)
  if (set.severity !== undefined) rule.severity = set.severity
  if (set.tags.length > 0) rule.tags = set.tags.map(parseTemplate)
  if (set.ver !== undefined) rule.ver = set.ver
  if (set.rev !== undefined) rule.rev = set.rev
  if (set.accuracy !== undefined) rule.accuracy = set.accuracy
  if (set.maturity !== undefined) rule.maturity = set.maturity
  if (set.capture) rule.capture = true
  if (set.multiMatch) rule.multiMatch = true
  return rule
}

/** Re-derive a starter rule's action fields after SecRuleUpdateActionById. */
export function applyActionSet(state: CompileState, node: DirectiveNode, draft: RuleDraft, set: ActionSet): void {
  const old = draft.rule
  const fresh = ruleFromActions(state, node, old.id, old.vars, old.op, set)
  fresh.src = old.src
  if (old.chain) fresh.chain = old.chain
  if (old.marker !== undefined) fresh.marker = old.marker
  draft.rule = fresh
  draft.actionSet = set
  draft.tnames[0] = resolveTransformations(node, undefined, set)
  if (set.skip !== undefined) draft.skip = set.skip
  if (set.skipAfter !== undefined) draft.skipAfter = set.skipAfter
}

function nodePos(node: DirectiveNode): Position {
  return { file: node.file, line: node.line, col: node.col }
}

/**
 * A rule that failed to compile still opens (or continues) its chain, so that its chain links
 * are not mistaken for rules of their own (one error, not a cascade).
 */
function keepChainOpen(state: CompileState, node: DirectiveNode, own: ActionSet): void {
  if (state.openChain !== undefined) {
    if (!own.chain) delete state.openChain
    return
  }
  if (!own.chain) return
  const placeholder: Rule = {
    id: own.id ?? 0,
    src: [fileIndex(state, node), node.lastLine],
    vars: [],
    op: { name: 'noMatch', negated: false, arg: '' },
    t: 0,
    actions: [],
    disruptive: { name: 'pass' },
    log: false,
    auditlog: false,
  }
  const draft: RuleDraft = { rule: placeholder, phase: 2, tnames: [[]], pos: nodePos(node), actionSet: own, removed: true }
  state.openChain = { draft, last: placeholder, linkPos: nodePos(node) }
}

/** SecRule VARIABLES OPERATOR [ACTIONS] and SecAction ACTIONS. */
export function addRule(state: CompileState, node: DirectiveNode, kind: 'SecRule' | 'SecAction'): void {
  const expected = kind === 'SecRule' ? [2, 3] : [1, 1]
  if (node.args.length < (expected[0] ?? 0) || node.args.length > (expected[1] ?? 0)) {
    throw errorAtNode(
      node,
      kind === 'SecRule'
        ? `SecRule takes 2 or 3 arguments (variables, operator, actions), got ${node.args.length}`
        : `SecAction takes 1 argument (the action list), got ${node.args.length}`,
    )
  }
  const actionTok = kind === 'SecRule' ? node.args[2] : node.args[0]
  const own = parseActionToken(node, actionTok)

  let vars: VariableRef[] = []
  let op: Rule['op'] = { name: 'unconditionalMatch', negated: false, arg: '' }
  if (kind === 'SecRule') {
    const varTok = node.args[0] as Token
    const opTok = node.args[1] as Token
    try {
      try {
        vars = buildVariables(state, parseVariables(varTok.value))
      } catch (e) {
        rethrow(node, varTok, e)
      }
      try {
        op = buildOperator(state, node.path, parseOperator(opTok.value), own.id ?? state.openChain?.draft.rule.id)
      } catch (e) {
        rethrow(node, opTok, e)
      } finally {
        for (const w of state.pendingWarnings.splice(0)) state.diagnostics.push({ ...errorAt(node, opTok, w.offset, w.message).diagnostic, severity: 'warning' })
      }
    } catch (e) {
      keepChainOpen(state, node, own)
      throw e
    }
  }

  const chain = state.openChain
  if (chain !== undefined) {
    // a chain link: no id, no starter-only actions; inherits the starter's phase
    if (actionTok !== undefined) checkChainLink(node, actionTok, own)
    const merged = mergeActionSets(state.defaultActions, own)
    const link = ruleFromActions(state, node, chain.draft.rule.id, vars, op, merged)
    link.disruptive = { name: 'pass' }
    delete link.blockAs
    chain.last.chain = link
    chain.draft.tnames.push(resolveTransformations(node, actionTok, merged))
    if (own.chain) state.openChain = { draft: chain.draft, last: link, linkPos: nodePos(node) }
    else delete state.openChain
    return
  }

  if (own.id === undefined) throw errorAtNode(node, `${kind} has no id action: every rule needs a unique id`)
  const existing = state.ids.get(own.id)
  if (existing !== undefined) {
    const p = existing.pos
    const idTok = actionTok as Token
    const off = own.present.find((x) => x.name === 'id')?.offset ?? 0
    throw errorAt(node, idTok, off, `duplicate rule id ${own.id} (first defined at ${p.file}:${p.line})`)
  }
  const merged = mergeActionSets(state.defaultActions, own)
  const phase = merged.phase ?? 2
  if (phase === 5 && own.disruptive !== undefined && !['pass', 'block', 'allow'].includes(own.disruptive.name)) {
    const off = own.present.find((x) => x.info.group === 'disruptive')?.offset ?? 0
    throw errorAt(node, actionTok as Token, off, `disruptive action "${own.disruptive.name}" cannot be used in phase 5 (logging)`)
  }
  const rule = ruleFromActions(state, node, own.id, vars, op, merged)
  const draft: RuleDraft = {
    rule,
    phase,
    tnames: [resolveTransformations(node, actionTok, merged)],
    pos: nodePos(node),
    actionSet: merged,
    removed: false,
  }
  if (merged.skip !== undefined) draft.skip = merged.skip
  if (merged.skipAfter !== undefined) draft.skipAfter = merged.skipAfter
  state.drafts.push(draft)
  state.ids.set(own.id, draft)
  if (own.chain) state.openChain = { draft, last: rule, linkPos: nodePos(node) }
}

/** SecMarker NAME: a jump target present in every phase (as v2 does). */
export function addMarker(state: CompileState, node: DirectiveNode): void {
  if (node.args.length !== 1) throw errorAtNode(node, `SecMarker takes 1 argument (the marker name), got ${node.args.length}`)
  const name = (node.args[0] as Token).value
  if (name.trim() === '') throw errorAtNode(node, 'SecMarker needs a non-empty name')
  const rule: Rule = {
    id: 0,
    src: [fileIndex(state, node), node.lastLine],
    vars: [],
    op: { name: 'noMatch', negated: false, arg: '' },
    t: 0,
    actions: [],
    disruptive: { name: 'pass' },
    log: false,
    auditlog: false,
    marker: name,
  }
  state.drafts.push({
    rule,
    phase: 0,
    marker: name,
    tnames: [[]],
    pos: nodePos(node),
    actionSet: emptyActionSet(),
    removed: false,
  })
  state.markerNames.add(name)
}

/** SecDefaultAction: must name a phase and a disruptive action; no metadata (v2 rules). */
export function setDefaultAction(state: CompileState, node: DirectiveNode): void {
  if (node.args.length !== 1) throw errorAtNode(node, `SecDefaultAction takes 1 argument (the action list), got ${node.args.length}`)
  const tok = node.args[0] as Token
  const set = parseActionToken(node, tok)
  for (const p of set.present) {
    if (p.info.group === 'metadata' && p.name !== 'phase' && p.name !== 'severity' && p.name !== 'logdata') {
      throw errorAt(node, tok, p.offset, `SecDefaultAction must not contain metadata actions ("${p.name}")`)
    }
    if (p.name === 'chain' || p.name === 'skip' || p.name === 'skipAfter') {
      throw errorAt(node, tok, p.offset, `SecDefaultAction must not contain flow actions ("${p.name}")`)
    }
    if (p.name === 'severity' || p.name === 'logdata' || p.name === 't') {
      state.diagnostics.push({
        ...nodePos(node),
        severity: 'warning',
        message: `"${p.name}" in SecDefaultAction is deprecated in ModSecurity 2.9 (it applies to every following rule)`,
      })
    }
  }
  if (set.disruptive === undefined) throw errorAtNode(node, 'SecDefaultAction must specify a disruptive action')
  if (set.phase === undefined) throw errorAtNode(node, 'SecDefaultAction must specify a phase')
  state.defaultActions = set
  state.defaultActionsPos = nodePos(node)
}
