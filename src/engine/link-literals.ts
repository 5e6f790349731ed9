import { OPERATORS } from './operators'
import type { OperatorDef } from './operators/types'
import type { LinkedRule } from './program'
import { LiteralIndex } from './regex/literal-index'

/**
 * One literal automaton (regex/literal-index.ts) over the prefilter literals of every slotted
 * @rx rule and the phrases of every slotted @pm / @pmFromFile / @pmf; each such rule (or chain
 * link) gets one bit, set by any of its literals (LinkedRule.litWord/litBits). Within a transaction
 * each distinct value string is scanned once, whatever the number of slots and rules that see it
 * (a JSON body's values go through 50 slots), and a rule whose bit is in none of its slot's
 * values is answered without visiting the items (rule-eval.ts). Bits are numbered slot by slot,
 * so a slot's rules share few words. Negated rules are left out (their operator must run to
 * match), and so is a rule whose operator is not the engine's own (a test's stand-in).
 */
export function indexLiterals(
  phases: readonly LinkedRule[][],
  operators: Readonly<Record<string, OperatorDef>>,
  slotWords: (Int32Array | undefined)[],
): LiteralIndex | undefined {
  const rules: { r: LinkedRule; lits: readonly string[] }[] = []
  for (const list of phases)
    for (const start of list)
      for (let r: LinkedRule | undefined = start; r !== undefined; r = r.next) {
        const lits = indexedLiterals(r, operators)
        if (lits !== undefined) rules.push({ r, lits })
      }
  if (rules.length === 0) return undefined
  rules.sort((a, b) => a.r.transformedSlot - b.r.transformedSlot || a.r.serial - b.r.serial)
  const entries: (readonly [string, number])[] = []
  const bySlot = new Map<number, Set<number>>()
  for (let bit = 0; bit < rules.length; bit++) {
    const { r, lits } = rules[bit] as { r: LinkedRule; lits: readonly string[] }
    for (const lit of new Set(lits)) entries.push([lit, bit])
    r.litWord = bit >> 5
    r.litBits = 1 << (bit & 31)
    if (r.transformedSlot < 0) continue
    let set = bySlot.get(r.transformedSlot)
    if (set === undefined) {
      set = new Set()
      bySlot.set(r.transformedSlot, set)
    }
    set.add(bit >> 5)
  }
  // per slot: the words its rules' bits are in (a slot's union is computed over these only)
  for (const [slot, set] of bySlot) slotWords[slot] = Int32Array.from([...set].sort((a, b) => a - b))
  return new LiteralIndex(entries, rules.length)
}

const PHRASE_OPERATORS = ['pm', 'pmFromFile', 'pmf'] as const

/** The literals one of which every match of the rule's operator contains, or undefined. */
function indexedLiterals(
  r: LinkedRule,
  operators: Readonly<Record<string, OperatorDef>>,
): readonly string[] | undefined {
  // a slotted rule, or a multiMatch one (rule-eval.ts tests each value it gives the operator)
  if ((r.transformedSlot < 0 && !r.multiMatch) || r.op.negated) return undefined
  const name = r.op.name
  const p = r.op.params
  if (name === 'rx') {
    if (operators.rx !== OPERATORS.rx || p?.kind !== 'rx') return undefined
    const pre = p.regex.prefilter
    if (pre === undefined || pre.length === 0 || pre.some((l) => l.length === 0)) return undefined
    return pre
  }
  for (const pm of PHRASE_OPERATORS) {
    if (name !== pm) continue
    if (operators[pm] !== OPERATORS[pm] || p?.kind !== 'phrases') return undefined
    // an empty list never matches: a bit no literal sets says exactly that
    return p.phrases.filter((ph) => ph.length > 0)
  }
  return undefined
}
