import type { LinkedCtl, LinkedRule } from '../program'
import type { TxState } from '../tx-state'
import { expand } from '../macro'
import { asciiLower } from '../log-escape'
import type { Item } from '../variables/item'

/**
 * ctl:option=value for the rest of the transaction (re_actions.c msre_action_ctl_execute).
 * Rule removal applies to rules evaluated afterwards (v2 checks it when it reaches a rule), to
 * chain starters only (v2 chain links have no id/tag/msg of their own).
 */
export function runCtl(tx: TxState, c: LinkedCtl): void {
  switch (c.o) {
    case 'ruleEngine':
      tx.ruleEngine = c.v
      return
    case 'ruleRemoveById':
      for (let i = 0; i < c.ranges.length; i++) tx.removedIds.push(c.ranges[i] as readonly [number, number])
      return
    case 'ruleRemoveByTag':
      if (c.rx !== undefined) tx.removedTags.push(c.rx)
      return
    case 'ruleRemoveByMsg':
      if (c.rx !== undefined) tx.removedMsgs.push(c.rx)
      return
    case 'ruleRemoveTargetById':
      tx.removedTargets.push({ by: 'id', ranges: c.ranges, rx: undefined, targets: c.targets })
      return
    case 'ruleRemoveTargetByTag':
      if (c.rx !== undefined)
        tx.removedTargets.push({ by: 'tag', ranges: c.ranges, rx: c.rx, targets: c.targets })
      return
    case 'ruleRemoveTargetByMsg':
      if (c.rx !== undefined)
        tx.removedTargets.push({ by: 'msg', ranges: c.ranges, rx: c.rx, targets: c.targets })
      return
    case 'requestBodyProcessor':
      tx.reqbodyProcessor = c.v
      tx.scalarCache.delete('REQBODY_PROCESSOR')
      return
    case 'requestBodyAccess':
      if (c.on !== undefined) tx.requestBodyAccess = c.on
      return
    case 'responseBodyAccess':
      if (c.on !== undefined) tx.responseBodyAccess = c.on
      return
    case 'forceRequestBodyVariable':
      if (c.on !== undefined) tx.forceRequestBodyVariable = c.on
      return
    case 'requestBodyLimit':
      tx.requestBodyLimit = c.n
      return
    case 'responseBodyLimit':
      tx.responseBodyLimit = c.n
      return
    case 'debugLogLevel':
      tx.debugLogLevel = c.n
      return
    case 'auditEngine':
      if (c.v !== undefined) tx.auditEngine = c.v
      return
    case 'auditLogParts':
      tx.auditLogParts = auditParts(tx.auditLogParts, c.v)
      return
    case 'noop':
      return
  }
}

/** SecAuditLogParts arithmetic: "+E" appends, "-E" removes every occurrence, else replaces. */
export function auditParts(current: string, v: string): string {
  if (v.startsWith('+')) return current + v.slice(1)
  if (v.startsWith('-')) {
    let out = current
    for (const ch of v.slice(1)) out = out.split(ch).join('')
    return out
  }
  return v
}

function inRanges(id: number, ranges: readonly (readonly [number, number])[]): boolean {
  for (let i = 0; i < ranges.length; i++) {
    const r = ranges[i] as readonly [number, number]
    if (id >= r[0] && id <= r[1]) return true
  }
  return false
}

function anyTag(tx: TxState, rule: LinkedRule, rx: RegExp, expandTags: boolean): boolean {
  const tags = rule.rule.tags
  if (tags === undefined) return false
  for (let i = 0; i < tags.length; i++) {
    const t = tags[i]
    if (t === undefined) continue
    const text = expandTags ? expand(tx, t, null) : (rule.tagsRaw[i] ?? '')
    rx.lastIndex = 0
    if (rx.test(text)) return true
  }
  return false
}

/** ctl:ruleRemoveById/ByTag/ByMsg: is this chain starter removed? (v2 expands tags here) */
export function isRuleRemoved(tx: TxState, rule: LinkedRule): boolean {
  const ids = tx.removedIds
  if (ids.length > 0 && inRanges(rule.id, ids)) return true
  const msgs = tx.removedMsgs
  if (msgs.length > 0 && rule.msgRaw !== undefined) {
    for (let i = 0; i < msgs.length; i++) {
      const rx = msgs[i] as RegExp
      rx.lastIndex = 0
      if (rx.test(rule.msgRaw)) return true
    }
  }
  const tags = tx.removedTags
  for (let i = 0; i < tags.length; i++) if (anyTag(tx, rule, tags[i] as RegExp, true)) return true
  return false
}

/**
 * ctl:ruleRemoveTarget*: is this target of this rule removed? v2 fetch_target_exception: the
 * target's printed name splits at the first ':'; "ARGS" removes every ARGS:* (and a count of
 * ARGS), "ARGS:foo" only ARGS:foo; names and keys compare case-insensitively.
 */
export function isTargetRemoved(tx: TxState, rule: LinkedRule, it: Item): boolean {
  const list = tx.removedTargets
  let name: string | undefined
  let key: string | undefined
  for (let i = 0; i < list.length; i++) {
    const r = list[i]
    if (r === undefined) continue
    let applies = false
    if (r.by === 'id') {
      applies = inRanges(rule.id, r.ranges)
    } else if (r.by === 'msg') {
      if (r.rx !== undefined && rule.msgRaw !== undefined) {
        r.rx.lastIndex = 0
        applies = r.rx.test(rule.msgRaw)
      }
    } else if (r.rx !== undefined) applies = anyTag(tx, rule, r.rx, false)
    if (!applies) continue
    if (name === undefined) {
      const colon = it.name.indexOf(':')
      name = asciiLower(colon < 0 ? it.name : it.name.slice(0, colon))
      key = colon < 0 ? undefined : asciiLower(it.name.slice(colon + 1))
    }
    for (let j = 0; j < r.targets.length; j++) {
      const t = r.targets[j]
      if (t === undefined || t.fname !== name) continue
      if (t.fkey === undefined || t.fkey === key) return true
    }
  }
  return false
}
