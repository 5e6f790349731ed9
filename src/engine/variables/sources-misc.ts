import type { Collection } from '../collections/collection'
import { asciiLower } from '../log-escape'
import type { LinkedRule } from '../program'
import type { TxState } from '../tx-state'
import { scalarItem, type Item } from './item'
import { pushScalar, selectFrom, type Selector, type VariableImpl } from './select'

/** Collections (TX, ENV, GEO, persistent ones), matching state, RULE, time and engine facts. */

function fromCollection(c: Collection | undefined, sel: Selector, out: Item[]): void {
  if (c === undefined) return
  if (sel.fkey !== undefined) {
    const it = c.getFolded(sel.fkey)
    if (it !== undefined) out.push(it)
    return
  }
  selectFrom(c.items(), sel, out)
}

function persistent(lname: string): VariableImpl {
  return {
    collect(tx: TxState, sel: Selector, out: Item[]): void {
      fromCollection(tx.persistent.get(lname)?.col, sel, out)
    },
  }
}

function dynamic(name: string, compute: (tx: TxState) => string | undefined): VariableImpl {
  return {
    collect(tx: TxState, _sel: Selector, out: Item[]): void {
      const v = compute(tx)
      if (v !== undefined) out.push(scalarItem(name, v))
    },
  }
}

function constant(name: string, compute: (tx: TxState) => string | undefined): VariableImpl {
  return {
    collect(tx: TxState, _sel: Selector, out: Item[]): void {
      pushScalar(tx.scalar(name, compute), out)
    },
  }
}

function two(n: number): string {
  return n < 10 ? '0' + n : String(n)
}

function time(part: (d: Date) => string): (tx: TxState) => string {
  return (tx) => part(new Date(tx.clock()))
}

/** RULE:id|rev|severity|msg|logdata|ver|maturity|accuracy of the chain starter (v2 var_rule_generate). */
function ruleField(rule: LinkedRule, fkey: string): string | undefined {
  const h = rule.head
  const r = h.rule
  switch (fkey) {
    case 'id':
      return String(h.id)
    case 'rev':
      return r.rev
    case 'severity':
      return h.severity >= 0 ? String(h.severity) : undefined
    case 'msg':
      return h.msgRaw
    case 'logdata':
      return h.logdataRaw
    case 'ver':
      return r.ver
    case 'maturity':
      return r.maturity === undefined ? undefined : String(r.maturity)
    case 'accuracy':
      return r.accuracy === undefined ? undefined : String(r.accuracy)
    default:
      return undefined
  }
}

function matchedAsNamed(tx: TxState, sel: Selector, out: Item[], names: boolean): void {
  const m = tx.matchedVars
  for (let i = 0; i < m.length; i++) {
    const it = m[i] as Item
    const named: Item = {
      key: it.name,
      fkey: asciiLower(it.name),
      name: it.name,
      value: names ? it.name : it.value,
      vtx: 0, cell: -1,
    }
    if (sel.fkey !== undefined) {
      if (named.fkey !== sel.fkey) continue
    } else if (sel.rx !== undefined) {
      sel.rx.lastIndex = 0
      if (!sel.rx.test(named.key)) continue
    }
    out.push(named)
  }
}

export const MISC_VARIABLES: Record<string, VariableImpl> = {
  TX: {
    collect(tx: TxState, sel: Selector, out: Item[]): void {
      fromCollection(tx.tx, sel, out)
    },
  },
  ENV: {
    // v2 var_env_generate: each value is named just "ENV" (recorded: MATCHED_VAR_NAME is ENV)
    collect(tx: TxState, sel: Selector, out: Item[]): void {
      const start = out.length
      fromCollection(tx.env, sel, out)
      for (let i = start; i < out.length; i++) out[i] = scalarItem('ENV', (out[i] as Item).value)
    },
  },
  GEO: {
    collect(tx: TxState, sel: Selector, out: Item[]): void {
      fromCollection(tx.geo, sel, out)
    },
  },
  IP: persistent('ip'),
  GLOBAL: persistent('global'),
  RESOURCE: persistent('resource'),
  SESSION: persistent('session'),
  USER: persistent('user'),
  MATCHED_VAR: {
    collect(tx: TxState, _sel: Selector, out: Item[]): void {
      const m = tx.matchedVar
      if (m !== undefined) out.push(scalarItem('MATCHED_VAR', m.value))
    },
  },
  MATCHED_VAR_NAME: {
    collect(tx: TxState, _sel: Selector, out: Item[]): void {
      const m = tx.matchedVar
      if (m !== undefined) out.push(scalarItem('MATCHED_VAR_NAME', m.name))
    },
  },
  MATCHED_VARS: {
    collect(tx: TxState, sel: Selector, out: Item[]): void {
      matchedAsNamed(tx, sel, out, false)
    },
  },
  MATCHED_VARS_NAMES: {
    collect(tx: TxState, sel: Selector, out: Item[]): void {
      matchedAsNamed(tx, sel, out, true)
    },
  },
  RULE: {
    collect(_tx: TxState, sel: Selector, out: Item[], rule: LinkedRule | null): void {
      if (rule === null || sel.fkey === undefined) return
      const v = ruleField(rule, sel.fkey)
      if (v !== undefined) out.push(scalarItem('RULE', v))
    },
  },
  HIGHEST_SEVERITY: dynamic('HIGHEST_SEVERITY', (tx) => String(tx.highestSeverity)),
  SESSIONID: dynamic('SESSIONID', (tx) => tx.sessionId),
  USERID: dynamic('USERID', (tx) => tx.userId),
  DURATION: dynamic('DURATION', (tx) => String(Math.max(0, Math.round((tx.clock() - tx.startMs) * 1000)))),
  TIME: dynamic(
    'TIME',
    time(
      (d) =>
        String(d.getUTCFullYear()) +
        two(d.getUTCMonth() + 1) +
        two(d.getUTCDate()) +
        two(d.getUTCHours()) +
        two(d.getUTCMinutes()) +
        two(d.getUTCSeconds()),
    ),
  ),
  TIME_EPOCH: dynamic('TIME_EPOCH', (tx) => String(Math.floor(tx.clock() / 1000))),
  TIME_YEAR: dynamic(
    'TIME_YEAR',
    time((d) => String(d.getUTCFullYear())),
  ),
  TIME_MON: dynamic(
    'TIME_MON',
    time((d) => two(d.getUTCMonth() + 1)),
  ),
  TIME_DAY: dynamic(
    'TIME_DAY',
    time((d) => two(d.getUTCDate())),
  ),
  TIME_HOUR: dynamic(
    'TIME_HOUR',
    time((d) => two(d.getUTCHours())),
  ),
  TIME_MIN: dynamic(
    'TIME_MIN',
    time((d) => two(d.getUTCMinutes())),
  ),
  TIME_SEC: dynamic(
    'TIME_SEC',
    time((d) => two(d.getUTCSeconds())),
  ),
  TIME_WDAY: dynamic(
    'TIME_WDAY',
    time((d) => String(d.getUTCDay())),
  ),
  MODSEC_BUILD: constant('MODSEC_BUILD', () => '020907900'),
  WEBAPPID: constant('WEBAPPID', (tx) => tx.program.config.webAppId),
}
