import type { Bundle, RuleEngineMode } from '../bundle/schema'
import { loadProgram, type LoadOptions, type Program } from '../engine/index'

/**
 * The bundle linked once per isolate (module scope of index.ts), plus the same program under
 * another SecRuleEngine for the WAF_ENGINE override. The override program shares every linked
 * rule with the base program (operators are built once either way); only its config differs.
 */
export interface LinkedWaf {
  readonly bundle: Bundle
  readonly program: Program
  /** the program to run under `mode` (the base program when the mode is the bundle's) */
  forMode(mode: RuleEngineMode): Program
}

export function linkWaf(bundle: Bundle, options: LoadOptions = {}): LinkedWaf {
  const program = loadProgram(bundle, options)
  const byMode = new Map<RuleEngineMode, Program>([[program.config.ruleEngine, program]])
  return {
    bundle,
    program,
    forMode(mode: RuleEngineMode): Program {
      let p = byMode.get(mode)
      if (p === undefined) {
        p = { ...program, config: { ...program.config, ruleEngine: mode } }
        byMode.set(mode, p)
      }
      return p
    },
  }
}
