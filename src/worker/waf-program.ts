import type { Bundle } from '../bundle/schema'
import { loadProgram, warmProgram, type LoadOptions, type Program, type WarmReport } from '../engine/index'
import { DEFAULT_INSPECTION_BUDGET } from '../engine/budget'
import { TYPICAL_TRAFFIC } from './warm-sample'

/**
 * The bundle linked once per isolate (module scope of index.ts). The WAF_ENGINE override needs
 * no second program: it is the transaction's SecRuleEngine (TransactionOptions.ruleEngine).
 */
export interface LinkedWaf {
  readonly bundle: Bundle
  readonly program: Program
  /** what the isolate warmed at start (warmWaf); null: nothing (WAF_WARMUP=off, or not asked) */
  warmup: WarmReport | null
}

export function linkWaf(bundle: Bundle, options: LoadOptions = {}): LinkedWaf {
  // SecUploadKeepFiles On/RelevantOnly: the multipart processor keeps file contents, which the
  // audit log stores beside the record (r2-audit.ts)
  const keep = bundle.config.uploadKeepFiles !== 'Off'
  const opts =
    keep && options.bodyOptions === undefined
      ? { ...options, bodyOptions: { keepFileContents: true } }
      : options
  return { bundle, program: loadProgram(bundle, opts), warmup: null }
}

/**
 * Bytes of patterns and phrase lists compiled at isolate start by default (WAF_WARMUP unset).
 * CRS v4.28 at paranoia level 1 has 381 KB of them, about 0.5 s of CPU in workerd on the 2-core
 * machine of the README's figures: with the rest of the start-up, too close to Workers' 1 s
 * startup limit. The default takes about a third, those ordinary requests reach first (the
 * @pmFromFile list of 953100, run on every HTML response, and the largest regexes whose literals
 * occur in common header values): about 0.2 s of start-up, which halves the first request's CPU.
 * README "Cold start".
 */
export const DEFAULT_WARMUP_BYTES = 131072

/**
 * Warm-up at isolate start (warmProgram), as WAF_WARMUP says: unset: the rules that can run at
 * the rule set's paranoia level, those ordinary traffic reaches first (warm-sample.ts), each
 * group largest first, up to DEFAULT_WARMUP_BYTES; a number: that many
 * bytes; "all": every rule of that level; "off" or 0: nothing (everything compiles on first
 * use). Anything else is the default. A deterministic plan (bytes, not time: Date.now() does not
 * advance during CPU work in workerd). Never throws: a failure only leaves work to the requests.
 */
export function warmWaf(waf: LinkedWaf, setting: string | undefined): WarmReport | null {
  const s = setting === undefined ? '' : setting.trim().toLowerCase()
  let budget: number | undefined = DEFAULT_WARMUP_BYTES
  if (s === 'off' || s === '0') return null
  if (s === 'all') budget = undefined
  else if (/^\d+$/.test(s)) budget = Number(s)
  try {
    waf.warmup = warmProgram(waf.program, {
      paranoiaLevel: 'auto',
      budget,
      fallbacks: false,
      sample: TYPICAL_TRAFFIC,
      // JIT training (engine train.ts) costs 0.2-0.5 s with CRS: with `all`, too close to
      // Workers' 1 s startup limit (README "Cold start")
      train: 0,
    })
  } catch {
    waf.warmup = null
  }
  return waf.warmup
}

/**
 * The inspection budget per transaction (engine budget.ts), as WAF_INSPECTION_BUDGET says: unset
 * or empty: DEFAULT_INSPECTION_BUDGET work units; a positive whole number: that many units; "off":
 * no budget (a request may then cost whatever the rules cost: issue 9's guarantee is gone). A
 * value that is none of these is refused, so that a typo cannot switch the guard off: the
 * Worker fails to start and the deployment shows the message.
 */
export function inspectionBudgetOf(setting: string | undefined): number {
  const s = setting === undefined ? '' : setting.trim().toLowerCase()
  if (s === '') return DEFAULT_INSPECTION_BUDGET
  if (s === 'off') return Infinity
  if (/^[1-9]\d*$/.test(s) && Number.isSafeInteger(Number(s))) return Number(s)
  throw new Error(
    `WAF_INSPECTION_BUDGET: expected a positive whole number of work units or "off", got ${JSON.stringify(setting)}`,
  )
}
