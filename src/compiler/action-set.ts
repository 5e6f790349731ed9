/**
 * Action lists: parsed and checked once, then merged with SecDefaultAction the way v2's
 * msre_actionset_merge does (single-valued actions of the rule override the default's; list
 * actions (t, setvar, ctl, tag, ...) are appended after the default's; `t:none` clears the
 * transformations accumulated so far).
 */
import type { Action, Disruptive, DisruptiveName, Template } from '../bundle/schema'
import { ACTIONS, ACTIONS_NOT_IMPLEMENTED, type ActionDef } from '../engine/actions'
import { CTL_OPTIONS, foldTable } from './catalog'
import { parseTemplate } from './macro'
import type { RawAction } from './rule-syntax'

/** v2's sanitize* spellings are folded to the sanitise* names */
const ACTION_LOOKUP = foldTable(
  Object.keys(ACTIONS).filter((n) => !n.startsWith('sanitize')),
  Object.fromEntries(Object.keys(ACTIONS).filter((n) => n.startsWith('sanitize')).map((n) => [n, n.replace('sanitize', 'sanitise')])),
)
const CTL_LOOKUP = foldTable(Object.keys(CTL_OPTIONS))

export class ActionProblem extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message)
  }
}

/** Everything an action list can say; undefined = not set here (inherit on merge). */
export interface ActionSet {
  id?: number
  phase?: number
  disruptive?: Disruptive
  status?: number
  msg?: string
  logdata?: string
  severity?: number
  tags: string[]
  ver?: string
  rev?: string
  accuracy?: number
  maturity?: number
  log?: boolean
  auditlog?: boolean
  capture?: boolean
  multiMatch?: boolean
  chain?: boolean
  skip?: number
  skipAfter?: string
  /** transformation names as written, `none` included (resolved at the end) */
  t: { name: string; offset: number }[]
  /** runtime non-disruptive actions in order */
  actions: Action[]
  /** names of the actions present, canonical, with offsets (for chain/default checks) */
  present: { name: string; info: ActionDef; offset: number }[]
}

export function emptyActionSet(): ActionSet {
  return { tags: [], t: [], actions: [], present: [] }
}

const SEVERITIES: Record<string, number> = {
  EMERGENCY: 0,
  ALERT: 1,
  CRITICAL: 2,
  ERROR: 3,
  WARNING: 4,
  NOTICE: 5,
  INFO: 6,
  DEBUG: 7,
}

function intArg(a: RawAction, min: number, max: number): number {
  const v = a.value ?? ''
  if (!/^-?\d+$/.test(v.trim())) throw new ActionProblem(`"${a.name}" needs an integer, got "${v}"`, a.valueOffset)
  const n = Number(v.trim())
  if (n < min || n > max) throw new ActionProblem(`"${a.name}" must be between ${min} and ${max}, got ${n}`, a.valueOffset)
  return n
}

function phaseArg(a: RawAction): number {
  const v = (a.value ?? '').trim().toLowerCase()
  if (v === 'request') return 2
  if (v === 'response') return 4
  if (v === 'logging') return 5
  return intArg(a, 1, 5)
}

function setvarAction(a: RawAction): Action {
  let v = a.value ?? ''
  let op: '=' | '+' | '-' | '!' = '='
  let value: string | undefined
  if (v.startsWith('!')) {
    op = '!'
    v = v.slice(1)
  } else {
    const eq = v.indexOf('=')
    if (eq >= 0) {
      // v2 skips blanks after '=' before looking for '+' / '-'
      value = v.slice(eq + 1).replace(/^[ \t]+/, '')
      v = v.slice(0, eq)
      if (value.startsWith('+')) {
        op = '+'
        value = value.slice(1)
      } else if (value.startsWith('-')) {
        op = '-'
        value = value.slice(1)
      }
    } else {
      // "setvar:tx.flag" sets the variable to 1 in v2
      value = '1'
    }
  }
  const dot = v.indexOf('.')
  if (dot <= 0 || dot === v.length - 1) {
    throw new ActionProblem(`setvar needs COLLECTION.name, got "${a.value ?? ''}"`, a.valueOffset)
  }
  const collection = v.slice(0, dot).trim().toUpperCase()
  if (!/^[A-Z_][A-Z0-9_]*$/.test(collection)) {
    throw new ActionProblem(`invalid collection name "${v.slice(0, dot)}" in setvar`, a.valueOffset)
  }
  const key = parseTemplate(v.slice(dot + 1).trim())
  const out: Action = { name: 'setvar', collection, key, op }
  if (value !== undefined && op !== '!') out.value = parseTemplate(value)
  return out
}

function ctlAction(a: RawAction): Action {
  const v = a.value ?? ''
  const eq = v.indexOf('=')
  if (eq <= 0) throw new ActionProblem(`ctl needs option=value, got "${v}"`, a.valueOffset)
  const optRaw = v.slice(0, eq).trim()
  const option = CTL_LOOKUP.get(optRaw.toLowerCase())
  if (option === undefined) throw new ActionProblem(`unknown ctl option "${optRaw}"`, a.valueOffset)
  const value = v.slice(eq + 1).trim()
  const kind = CTL_OPTIONS[option]
  const bad = (what: string) => new ActionProblem(`ctl:${option} needs ${what}, got "${value}"`, a.valueOffset + eq + 1)
  switch (kind) {
    case 'onoff':
      if (!/^(on|off)$/i.test(value)) throw bad('On or Off')
      break
    case 'engine':
      if (!/^(on|off|detectiononly|relevantonly)$/i.test(value)) throw bad('On, Off or DetectionOnly')
      break
    case 'number':
      if (!/^\d+$/.test(value)) throw bad('a number')
      break
    case 'processor':
      if (!/^[A-Za-z0-9_]+$/.test(value)) throw bad('a body processor name')
      break
    case 'target':
      if (!value.includes(';')) throw bad('"id;TARGET"')
      break
    default:
      if (value === '') throw bad('a value')
  }
  return { name: 'ctl', option, value }
}

function disruptive(name: DisruptiveName, a: RawAction): Disruptive {
  if (name === 'allow') {
    const v = (a.value ?? '').trim().toLowerCase()
    if (v === '') return { name, allow: 'all' }
    if (v === 'phase' || v === 'request') return { name, allow: v }
    throw new ActionProblem(`allow takes "phase" or "request", got "${a.value ?? ''}"`, a.valueOffset)
  }
  if (name === 'redirect' || name === 'proxy') {
    return { name, target: parseTemplate(a.value ?? '') }
  }
  return { name }
}

/** Parse and check an action list (one directive's). */
export function buildActionSet(raw: RawAction[]): ActionSet {
  const set = emptyActionSet()
  for (const a of raw) {
    const name = ACTION_LOOKUP.get(a.name.toLowerCase())
    if (name === undefined) throw new ActionProblem(`unknown action "${a.name}"`, a.offset)
    const refused = ACTIONS_NOT_IMPLEMENTED[name]
    if (refused !== undefined) throw new ActionProblem(`action "${name}" is not supported: ${refused}`, a.offset)
    const info = ACTIONS[name] as ActionDef
    if (info.arg === 'none' && a.value !== undefined) {
      throw new ActionProblem(`action "${name}" takes no argument`, a.valueOffset)
    }
    if (info.arg === 'required' && (a.value === undefined || (a.value === '' && name !== 'logdata'))) {
      throw new ActionProblem(`action "${name}" needs an argument`, a.offset)
    }
    set.present.push({ name, info, offset: a.offset })
    const value = a.value ?? ''
    switch (name) {
      case 'id': {
        if (!/^\d+$/.test(value.trim())) throw new ActionProblem(`rule id must be a positive integer, got "${value}"`, a.valueOffset)
        const id = Number(value.trim())
        if (id < 1 || id > 2147483647) throw new ActionProblem(`rule id ${value} is out of range (1..2147483647)`, a.valueOffset)
        set.id = id
        break
      }
      case 'phase':
        set.phase = phaseArg(a)
        break
      case 'pass':
      case 'deny':
      case 'drop':
      case 'block':
      case 'allow':
      case 'redirect':
      case 'proxy':
      case 'pause':
        set.disruptive = disruptive(name, a)
        break
      case 'status':
        set.status = intArg(a, 100, 999)
        break
      case 'msg':
        set.msg = value
        break
      case 'logdata':
        set.logdata = value
        break
      case 'severity': {
        const s = value.trim()
        const named = SEVERITIES[s.toUpperCase()]
        if (named !== undefined) set.severity = named
        else set.severity = intArg(a, 0, 7)
        break
      }
      case 'tag':
        set.tags.push(value)
        break
      case 'ver':
        set.ver = value
        break
      case 'rev':
        set.rev = value
        break
      case 'accuracy':
        set.accuracy = intArg(a, 1, 9)
        break
      case 'maturity':
        set.maturity = intArg(a, 1, 9)
        break
      case 'log':
        set.log = true
        break
      case 'nolog':
        set.log = false
        if (set.auditlog === undefined) set.auditlog = false
        break
      case 'auditlog':
        set.auditlog = true
        break
      case 'noauditlog':
        set.auditlog = false
        break
      case 'capture':
        set.capture = true
        break
      case 'multiMatch':
        set.multiMatch = true
        break
      case 'chain':
        set.chain = true
        break
      case 'skip':
        set.skip = intArg(a, 1, 100000)
        break
      case 'skipAfter':
        if (value.trim() === '') throw new ActionProblem('skipAfter needs a marker or rule id', a.valueOffset)
        set.skipAfter = value.trim()
        break
      case 't':
        set.t.push({ name: value.trim(), offset: a.valueOffset })
        break
      case 'setvar':
        set.actions.push(setvarAction(a))
        break
      case 'ctl':
        set.actions.push(ctlAction(a))
        break
      default: {
        const g: Action = { name }
        if (a.value !== undefined) g.arg = parseTemplate(a.value) as Template
        set.actions.push(g)
      }
    }
  }
  return set
}

/** v2 msre_actionset_merge(parent = SecDefaultAction, child = rule). */
export function mergeActionSets(parent: ActionSet, child: ActionSet): ActionSet {
  const pick = <K extends keyof ActionSet>(k: K): ActionSet[K] => (child[k] !== undefined ? child[k] : parent[k])
  const merged: ActionSet = {
    tags: [...parent.tags, ...child.tags],
    t: [...parent.t, ...child.t],
    actions: [...parent.actions, ...child.actions],
    present: child.present,
  }
  const singles = [
    'id',
    'phase',
    'disruptive',
    'status',
    'msg',
    'logdata',
    'severity',
    'ver',
    'rev',
    'accuracy',
    'maturity',
    'log',
    'auditlog',
    'capture',
    'multiMatch',
    'skip',
    'skipAfter',
  ] as const
  for (const k of singles) {
    const v = pick(k)
    if (v !== undefined) (merged as unknown as Record<string, unknown>)[k] = v
  }
  if (child.chain) merged.chain = true
  return merged
}
