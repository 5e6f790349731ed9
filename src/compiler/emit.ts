/**
 * The end of compilation: rules partitioned by phase in file order (SecMarker placeholders in
 * every phase, as v2 does), skip/skipAfter resolved to indexes within the phase, transformation
 * chains interned, and the bundle assembled deterministically (no timestamps, stable order).
 */
import {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  type Bundle,
  type Rule,
} from '../bundle/schema'
import type { CompileState, RuleDraft } from './state'

export interface EmitStats {
  rulesPerPhase: number[]
  ruleIds: number
}

class ChainInterner {
  readonly chains: string[][] = [[]]
  private readonly index = new Map<string, number>([['', 0]])
  intern(names: string[]): number {
    const key = names.join(',')
    const found = this.index.get(key)
    if (found !== undefined) return found
    const i = this.chains.length
    this.chains.push([...names])
    this.index.set(key, i)
    return i
  }
}

/** Deep-copy a rule chain and set the interned transformation chain of each link. */
function finishRule(draft: RuleDraft, interner: ChainInterner): Rule {
  const copy = structuredClone(draft.rule)
  let link: Rule | undefined = copy
  let i = 0
  while (link !== undefined) {
    link.t = interner.intern(draft.tnames[i] ?? [])
    link = link.chain
    i++
  }
  return copy
}

function resolveJumps(state: CompileState, phaseDrafts: RuleDraft[], phaseRules: Rule[]): void {
  for (let i = 0; i < phaseDrafts.length; i++) {
    const d = phaseDrafts[i] as RuleDraft
    const rule = phaseRules[i] as Rule
    if (d.skip !== undefined) {
      let left = d.skip
      let j = i + 1
      // markers are placeholders: v2 does not count them when skipping
      while (j < phaseDrafts.length && left > 0) {
        if (phaseDrafts[j]?.marker === undefined) left--
        j++
      }
      rule.jumpTo = j
    } else if (d.skipAfter !== undefined) {
      const target = d.skipAfter
      const asId = /^\d+$/.test(target) ? Number(target) : undefined
      let j = i + 1
      for (; j < phaseDrafts.length; j++) {
        const o = phaseDrafts[j] as RuleDraft
        if (o.marker === target || (asId !== undefined && o.marker === undefined && o.rule.id === asId)) break
      }
      if (j >= phaseDrafts.length) {
        const known = state.markerNames.has(target) || (asId !== undefined && state.ids.has(asId))
        state.diagnostics.push({
          ...d.pos,
          severity: known ? 'warning' : 'error',
          message: known
            ? `skipAfter:${target} of rule ${d.rule.id}: the target is not after the rule in phase ${d.phase}; the rest of the phase is skipped (as in ModSecurity 2.9)`
            : `skipAfter:${target} of rule ${d.rule.id}: no SecMarker or rule with that name`,
        })
        rule.jumpTo = phaseDrafts.length
      } else {
        rule.jumpTo = j + 1
      }
    }
  }
}

export function emitBundle(state: CompileState, compilerVersion: string): { bundle: Bundle; stats: EmitStats } {
  const interner = new ChainInterner()
  const phases: Rule[][] = []
  const rulesPerPhase: number[] = []
  for (let phase = 1; phase <= 5; phase++) {
    const drafts = state.drafts.filter((d) => !d.removed && (d.phase === phase || d.marker !== undefined))
    const rules = drafts.map((d) => finishRule(d, interner))
    resolveJumps(state, drafts, rules)
    phases.push(rules)
    rulesPerPhase.push(drafts.filter((d) => d.marker === undefined).length)
  }
  const bundle: Bundle = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    compiler: compilerVersion,
    sources: state.sources,
    components: state.components,
    config: state.config,
    tchains: interner.chains,
    phases,
  }
  return { bundle, stats: { rulesPerPhase, ruleIds: state.drafts.filter((d) => !d.removed && d.marker === undefined).length } }
}
