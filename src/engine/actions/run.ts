import type { LinkedAction, LinkedRule } from '../program'
import type { TxState } from '../tx-state'
import { runCtl } from './ctl'
import { deprecatevar, expirevar, initcol, setId } from './persistence'
import { setenv, setvar } from './setvar'

/**
 * Run a rule's non-disruptive actions, in rule order. v2 runs them for every target that
 * matches (so setvar:tx.c=+1 on a rule matching two ARGS adds 2) and, for chains, each link's
 * own actions when that link matches, even if a later link then fails (recorded on 2.9.7,
 * test/vectors/actions/chain.json).
 */
export function runActions(tx: TxState, rule: LinkedRule): void {
  const actions = rule.actions
  for (let i = 0; i < actions.length; i++) runAction(tx, rule, actions[i] as LinkedAction)
}

function runAction(tx: TxState, rule: LinkedRule, a: LinkedAction): void {
  switch (a.k) {
    case 'setvar':
      setvar(tx, rule, a.collection, a.key, a.op, a.value)
      return
    case 'ctl':
      runCtl(tx, a.ctl)
      return
    case 'setenv':
      setenv(tx, rule, a.name, a.value)
      return
    case 'initcol':
      initcol(tx, rule, a.collection, a.key)
      return
    case 'setsid':
    case 'setuid':
    case 'setrsc':
      setId(tx, rule, a.k, a.key)
      return
    case 'expirevar':
      expirevar(tx, rule, a.collection, a.name, a.seconds)
      return
    case 'deprecatevar':
      deprecatevar(tx, rule, a.collection, a.name, a.amount)
      return
    case 'sanitise': {
      const s = tx.sanitize
      if (a.what === 'arg') s.args.push(a.name)
      else if (a.what === 'requestHeader') s.requestHeaders.push(a.name)
      else if (a.what === 'responseHeader') s.responseHeaders.push(a.name)
      else if (tx.matchedVar !== undefined) s.matched.push(tx.matchedVar.name)
      return
    }
    case 'noop':
      return
  }
}
