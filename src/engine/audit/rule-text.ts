import type { Action, Rule, VariableRef } from '../../bundle/schema'
import type { MatchRecord } from '../alert'
import { templateText } from '../macro'
import type { LinkedRule, Program } from '../program'
import type { MatchedRule, RuleText } from './types'

/**
 * Part K: the rules that matched. ModSecurity 2.9 writes each matched rule's text as it
 * rebuilds it from its parsed form (msre_rule_generate_unparsed: `SecRule "TARGETS" "@op arg"
 * "actions"`, SecDefaultAction merged in, e.g. `phase:2,auditlog,id:1001,deny,log`). The
 * bundle keeps the parsed rule, not its text, so we rebuild it the same way from the bundle:
 *
 *   SecRule "ARGS:card|!ARGS:x" "@rx 4111" "phase:2,id:1006,pass,t:lowercase,log,auditlog,msg:'card',..."
 *
 * with canonical names, the transformation chain as resolved (SecDefaultAction's included),
 * block written as `block`, and without skip/skipAfter (the bundle keeps only the jump target).
 * Regex key selectors show the translated (JavaScript) pattern, which for nearly every
 * selector is the PCRE text. The file and line of every link are in the record (JSON
 * matched_rules[].rules[].config, and the H messages).
 * One entry per match, as v2 (a rule matching two arguments is listed twice). v2 also lists a
 * chain whose later link did not match, with that link commented out ("#SecRule ..."); the
 * engine records complete matches only, so we list complete chains only.
 */

const indexes = new WeakMap<Program, Map<string, LinkedRule>>()

function recordKey(phase: number, id: number, line: number, file: string): string {
  return phase + ':' + id + ':' + line + ':' + file
}

function ruleIndex(program: Program): Map<string, LinkedRule> {
  let m = indexes.get(program)
  if (m === undefined) {
    m = new Map()
    for (let p = 0; p < program.phases.length; p++) {
      const list = program.phases[p] ?? []
      for (let i = 0; i < list.length; i++) {
        const r = list[i] as LinkedRule
        if (r.isLink || r.marker !== undefined) continue
        m.set(recordKey(r.phase, r.id, r.line, r.file), r)
      }
    }
    indexes.set(program, m)
  }
  return m
}

function quote(s: string): string {
  return "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'"
}

/** a value that needs no quotes in an action list */
function bare(s: string): boolean {
  return /^[A-Za-z0-9_.:/@%{}+=-]*$/.test(s) && s !== ''
}

function maybeQuote(s: string): string {
  return bare(s) ? s : quote(s)
}

export function targetsText(vars: readonly VariableRef[]): string {
  let out = ''
  for (let i = 0; i < vars.length; i++) {
    const v = vars[i] as VariableRef
    if (i > 0) out += '|'
    if (v.exclude === true) out += '!'
    if (v.count === true) out += '&'
    out += v.name
    if (v.key !== undefined) out += ':' + v.key
    else if (v.keyRx !== undefined) out += ':/' + v.keyRx.source + '/'
  }
  return out
}

function actionText(a: Action): string {
  if (a.name === 'setvar' && 'collection' in a) {
    const name = a.collection.toLowerCase() + '.' + templateText(a.key)
    if (a.op === '!') return 'setvar:' + quote('!' + name)
    const op = a.op === '=' ? '=' : '=' + a.op
    return 'setvar:' + quote(name + op + (a.value === undefined ? '' : templateText(a.value)))
  }
  if (a.name === 'ctl' && 'option' in a) return 'ctl:' + a.option + '=' + a.value
  const arg = 'arg' in a && a.arg !== undefined ? templateText(a.arg) : undefined
  return arg === undefined ? a.name : a.name + ':' + maybeQuote(arg)
}

function disruptiveText(r: Rule): string {
  const d = r.disruptive
  if (d.name === 'allow' && d.allow !== undefined && d.allow !== 'all') return 'allow:' + d.allow
  if ((d.name === 'redirect' || d.name === 'proxy') && d.target !== undefined)
    return d.name + ':' + maybeQuote(templateText(d.target))
  return d.name
}

/** the action list of one rule (starter) or chain link, as SecLang */
function actionsText(program: Program, lr: LinkedRule, starter: boolean): string {
  const r = lr.rule
  const parts: string[] = []
  if (starter) {
    parts.push('phase:' + lr.phase, 'id:' + r.id, disruptiveText(r))
    if (r.status !== undefined) parts.push('status:' + r.status)
  }
  const chain = program.bundle.tchains[r.t] ?? []
  for (const t of chain) parts.push('t:' + t)
  if (r.capture === true) parts.push('capture')
  if (r.multiMatch === true) parts.push('multiMatch')
  if (starter) {
    parts.push(r.log ? 'log' : 'nolog', r.auditlog ? 'auditlog' : 'noauditlog')
    if (r.msg !== undefined) parts.push('msg:' + quote(templateText(r.msg)))
    if (r.logdata !== undefined) parts.push('logdata:' + quote(templateText(r.logdata)))
    for (const t of r.tags ?? []) parts.push('tag:' + quote(templateText(t)))
    if (r.severity !== undefined) parts.push('severity:' + r.severity)
    if (r.ver !== undefined) parts.push('ver:' + quote(r.ver))
    if (r.rev !== undefined) parts.push('rev:' + quote(r.rev))
    if (r.accuracy !== undefined) parts.push('accuracy:' + r.accuracy)
    if (r.maturity !== undefined) parts.push('maturity:' + r.maturity)
  }
  for (const a of r.actions) parts.push(actionText(a))
  if (lr.next !== undefined) parts.push('chain')
  return parts.join(',')
}

function esc(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')
}

function isSecAction(r: Rule): boolean {
  return r.vars.length === 0 && r.op.name === 'unconditionalMatch'
}

/** One rule or chain link as SecLang. */
export function unparse(program: Program, lr: LinkedRule, starter: boolean): string {
  const r = lr.rule
  const actions = esc(actionsText(program, lr, starter))
  if (isSecAction(r)) return 'SecAction "' + actions + '"'
  const op = (r.op.negated ? '!' : '') + '@' + r.op.name + (r.op.arg === '' ? '' : ' ' + r.op.arg)
  return 'SecRule "' + esc(targetsText(r.vars)) + '" "' + esc(op) + '" "' + actions + '"'
}

function linkText(program: Program, lr: LinkedRule, starter: boolean, chained: boolean): RuleText {
  const r = lr.rule
  const t: RuleText = {
    phase: lr.phase,
    file: lr.file,
    line: lr.line,
    unparsed: unparse(program, lr, starter),
    operator: r.op.name,
    operatorParam: r.op.arg,
    // v2 runs SecAction as a rule on REMOTE_ADDR with @unconditionalMatch and says so in JSON
    target: isSecAction(r) ? 'REMOTE_ADDR' : targetsText(r.vars),
    negated: r.op.negated,
    isChained: chained,
    chainStarter: starter && chained,
  }
  if (starter) {
    t.id = r.id
    if (r.rev !== undefined) t.rev = r.rev
    if (r.ver !== undefined) t.ver = r.ver
    if (r.severity !== undefined) t.severity = r.severity
    if (r.accuracy !== undefined) t.accuracy = r.accuracy
    if (r.maturity !== undefined) t.maturity = r.maturity
    if (r.tags !== undefined && r.tags.length > 0) t.tags = r.tags.map(templateText)
  }
  return t
}

/** The matched rules of a transaction's alerts (every match, logged or not), in match order. */
export function matchedRules(program: Program, records: readonly MatchRecord[]): MatchedRule[] {
  const index = ruleIndex(program)
  const out: MatchedRule[] = []
  for (let i = 0; i < records.length; i++) {
    const rec = records[i] as MatchRecord
    const head = index.get(recordKey(rec.phase, rec.id, rec.line, rec.file))
    if (head === undefined) {
      // not in this program (cannot happen for the program that produced the record)
      out.push({
        links: [
          {
            id: rec.id,
            phase: rec.phase,
            file: rec.file,
            line: rec.line,
            unparsed: '# rule ' + rec.id + ' (' + rec.file + ':' + rec.line + ')',
            operator: '',
            operatorParam: '',
            target: '',
            negated: false,
            isChained: false,
            chainStarter: false,
          },
        ],
      })
      continue
    }
    const chained = head.next !== undefined
    const links: RuleText[] = [linkText(program, head, true, chained)]
    for (let l = head.next; l !== undefined; l = l.next) links.push(linkText(program, l, false, true))
    out.push({ links })
  }
  return out
}
