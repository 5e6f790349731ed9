import type { LinkedCtl, LinkedRule, LinkedTarget } from '../program'
import type { TargetRemoval, TxState } from '../tx-state'
import { expand } from '../macro'

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
    case 'ruleRemoveTargetByTag':
    case 'ruleRemoveTargetByMsg':
      if (c.o === 'ruleRemoveTargetById' || c.rx !== undefined) tx.removedTargets.push(removalOf(tx, c))
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

/** Does this ctl:ruleRemoveTarget* apply to the rule? (v2 matches raw tags and msg, not expanded) */
function removalApplies(tx: TxState, rule: LinkedRule, r: TargetRemoval): boolean {
  if (r.by === 'id') return inRanges(rule.id, r.ranges)
  if (r.rx === undefined) return false
  if (r.by === 'msg') {
    if (rule.msgRaw === undefined) return false
    r.rx.lastIndex = 0
    return r.rx.test(rule.msgRaw)
  }
  return anyTag(tx, rule, r.rx, false)
}

const NONE: readonly TargetRemoval[] = []

type RemoveTargetCtl = Extract<LinkedCtl, { readonly targets: unknown }>

/** One TargetRemoval per ctl action and isolate (its memo outlives the transaction). */
const REMOVALS = new WeakMap<LinkedCtl, TargetRemoval>()

function removalOf(tx: TxState, c: RemoveTargetCtl): TargetRemoval {
  let r = REMOVALS.get(c)
  if (r === undefined || r.memo.length < tx.program.ruleCount) {
    const by = c.o === 'ruleRemoveTargetById' ? 'id' : c.o === 'ruleRemoveTargetByTag' ? 'tag' : 'msg'
    const alone: TargetRemoval[] = []
    r = {
      by,
      ranges: c.ranges,
      rx: by === 'id' ? undefined : c.rx,
      targets: c.targets,
      memo: new Uint8Array(tx.program.ruleCount),
      alone,
    }
    alone.push(r)
    REMOVALS.set(c, r)
  }
  return r
}

function applies(tx: TxState, rule: LinkedRule, r: TargetRemoval): boolean {
  let m = r.memo[rule.serial]
  if (m === undefined) return removalApplies(tx, rule, r)
  if (m === 0) {
    m = removalApplies(tx, rule, r) && canRemoveFrom(rule, r) ? 1 : 2
    r.memo[rule.serial] = m
  }
  return m === 1
}

/**
 * Can the removal name an item of this rule? Every item a target produces is named after the
 * target's variable ("ARGS:x", "REQUEST_FILENAME", "&ARGS" counts too), except MATCHED_VARS and
 * MATCHED_VARS_NAMES, whose items keep the matched item's name. A removal of REQUEST_FILENAME
 * (CRS 941010) therefore never touches a rule on ARGS: the rule skips the per-item check.
 */
function canRemoveFrom(rule: LinkedRule, r: TargetRemoval): boolean {
  for (let t = 0; t < rule.targets.length; t++) {
    const name = (rule.targets[t] as LinkedTarget).name
    if (name === 'MATCHED_VARS' || name === 'MATCHED_VARS_NAMES') return true
    for (let k = 0; k < r.targets.length; k++) {
      const fname = (r.targets[k] as { fname: string }).fname
      if (name.length === fname.length && foldedEquals(name, 0, fname)) return true
    }
  }
  return false
}

/**
 * The ctl:ruleRemoveTarget* entries registered so far that apply to this rule (a list that does
 * not change while the rule runs, as v2 reads them when it reaches the rule).
 */
export function removalsFor(tx: TxState, rule: LinkedRule): readonly TargetRemoval[] {
  const all = tx.removedTargets
  let list: TargetRemoval[] | undefined
  let one: TargetRemoval | undefined
  for (let i = 0; i < all.length; i++) {
    const r = all[i] as TargetRemoval
    if (!applies(tx, rule, r)) continue
    if (one === undefined) one = r
    else (list ??= [one]).push(r)
  }
  return list ?? (one === undefined ? NONE : one.alone)
}

/**
 * Is this target removed by one of the applicable ctl:ruleRemoveTarget* entries? v2
 * fetch_target_exception: the target's printed name splits at the first ':'; "ARGS" removes
 * every ARGS:* (and a count of ARGS), "ARGS:foo" only ARGS:foo; case-insensitive.
 */
export function isTargetRemoved(list: readonly TargetRemoval[], name: string): boolean {
  // `name` is compared with ASCII case folded in place (no folded copy per target and rule)
  const n = name.length
  for (let i = 0; i < list.length; i++) {
    const targets = (list[i] as TargetRemoval).targets
    for (let j = 0; j < targets.length; j++) {
      const t = targets[j]
      if (t === undefined) continue
      const m = t.fname.length
      if (m > n || !foldedEquals(name, 0, t.fname)) continue
      if (m === n) return true
      if (name.charCodeAt(m) !== 0x3a) continue
      if (t.fkey === undefined) return true
      if (n === m + 1 + t.fkey.length && foldedEquals(name, m + 1, t.fkey)) return true
    }
  }
  return false
}

/** name[at..] starts with `lower` (ASCII lower case) when ASCII case is folded. */
function foldedEquals(name: string, at: number, lower: string): boolean {
  for (let k = 0; k < lower.length; k++) {
    let c = name.charCodeAt(at + k)
    if (c >= 0x41 && c <= 0x5a) c |= 0x20
    if (c !== lower.charCodeAt(k)) return false
  }
  return true
}
