import type { Bundle, EngineConfig, OperatorRef, PhaseNumber, Rule, Template } from '../bundle/schema'
import type { BodyOptions, BodyProcessor } from './body/types'
import type { PersistentStore } from './collections/store'
import type { DnsResolver } from './dns'
import type { OperatorDef, OperatorFn } from './operators/types'
import type { LiteralIndex } from './regex/literal-index'
import type { TransformEnv, TransformFn } from './transformations/types'
import type { TxScratch } from './tx-scratch'
import type { VariableImpl } from './variables/registry'

/**
 * The linked program: the bundle turned into ready-to-run structures once per isolate. Nothing
 * here is allocated per request; a transaction only reads it (and fills the lazily linked
 * operator evaluators, which are pure and shared).
 */
export interface Program {
  readonly bundle: Bundle
  readonly config: EngineConfig
  /** rules per phase (index 0 = phase 1), chain links hang off their starter */
  readonly phases: readonly (readonly LinkedRule[])[]
  readonly transformEnv: TransformEnv
  /** by transformation-chain node id (link.ts): the length of the chain prefix it stands for */
  readonly chainNodeDepth: Int32Array
  readonly bodyProcessors: Readonly<Record<string, BodyProcessor>>
  readonly store: PersistentStore | undefined
  /** resolver for @rbl (LoadOptions.resolver); a Transaction may bring its own */
  readonly resolver?: DnsResolver
  readonly bodyOptions: BodyOptions
  /** number of rules and chain links (LinkedRule.serial is below it) */
  readonly ruleCount: number
  /** number of distinct stable target lists (LinkedRule.targetSet is below it) */
  readonly targetSetCount: number
  /** number of distinct (targetSet, chain) pairs (LinkedRule.transformedSlot is below it) */
  readonly transformedSlotCount: number
  /** the automaton of the slotted @rx prefilter literals and @pm phrases (link-literals.ts indexLiterals) */
  readonly literals: LiteralIndex | undefined
  /** by slot: the words of Program.literals its rules' literal bits are in (LinkedRule.litWord) */
  readonly slotWords: readonly (Int32Array | undefined)[]
  /** file paths by Bundle.sources index */
  readonly files: readonly string[]
  /** inspection budget per transaction in work units (budget.ts; Infinity: no guard) */
  readonly inspectionBudget: number
  /**
   * scratch of finished transactions, for the next ones (tx-scratch.ts): the only part of the
   * program a transaction changes
   */
  readonly scratch: TxScratch[]
  /** the profiling hooks the program was linked with (LoadOptions.profiler); absent normally */
  readonly profiler?: EngineProfiler
}

/**
 * Optional profiling hooks (`npm run bench -- --profile`). When LoadOptions.profiler is absent
 * nothing below exists: transformations and operators are linked unwrapped and the rule loop
 * reads one field per phase, so the hook costs nothing when off. When present, link.ts wraps every
 * transformation and operator in a timer and runPhase times every rule (chain, inclusive of its
 * links, transformations, operators and actions). Times are in the unit of `now()`.
 */
export interface EngineProfiler {
  now(): number
  /** a rule (chain starter) evaluated, links included */
  rule(rule: LinkedRule, time: number): void
  /** one operator call (cached transformation results are not timed again) */
  operator(rule: LinkedRule, time: number): void
  /** one transformation call that ran (the per-transaction cache answers the others) */
  transformation(name: string, time: number): void
}

/** A target of a rule, with its selector prepared. */
export interface LinkedTarget {
  readonly name: string
  readonly impl: VariableImpl
  /** literal key as written and folded to ASCII lower case */
  readonly key: string | undefined
  readonly fkey: string | undefined
  /** regex key selector */
  readonly rx: RegExp | undefined
  readonly count: boolean
  readonly exclude: boolean
  /** TX:literal-key (not counted, not excluded): looked up directly, the commonest CRS target */
  readonly txKey: boolean
  /** how v2 names the target in "Match of ... against ..." messages: &ARGS:foo, ARGS:foo, REQUEST_URI */
  readonly fullName: string
}

/** A transformation chain: the functions and, per step, the id of the prefix ending there. */
export interface LinkedChain {
  readonly fns: readonly TransformFn[]
  readonly names: readonly string[]
  readonly nodes: readonly number[]
  /** by step: the node of the one-step chain of that step's transformation (its result on any input) */
  readonly singles: readonly number[]
  /**
   * by step: the byte classes without which the step returns its input (transformations/
   * identity.ts IDENTITY_UNLESS; 0: always run it)
   */
  readonly skips: readonly number[]
}

export type DisruptiveKind =
  'pass' | 'deny' | 'drop' | 'redirect' | 'proxy' | 'pause' | 'allow' | 'allowPhase' | 'allowRequest'

export interface LinkedDisruptive {
  readonly kind: DisruptiveKind
  readonly target: Template | undefined
}

/** Non-disruptive actions, prepared (see actions/link-action.ts). */
export type LinkedAction =
  | {
      readonly k: 'setvar'
      readonly collection: string
      readonly key: Template
      readonly op: '=' | '+' | '-' | '!'
      readonly value: Template
    }
  | { readonly k: 'setenv'; readonly name: Template; readonly value: Template | undefined }
  | { readonly k: 'ctl'; readonly ctl: LinkedCtl }
  | { readonly k: 'initcol'; readonly collection: string; readonly key: Template }
  | { readonly k: 'setsid' | 'setuid' | 'setrsc'; readonly key: Template }
  | {
      readonly k: 'expirevar'
      readonly collection: string
      readonly name: Template
      readonly seconds: Template
    }
  | {
      readonly k: 'deprecatevar'
      readonly collection: string
      readonly name: Template
      readonly amount: Template
    }
  | {
      readonly k: 'sanitise'
      readonly what: 'arg' | 'matched' | 'requestHeader' | 'responseHeader'
      readonly name: string
    }
  | { readonly k: 'noop'; readonly name: string }

export type LinkedCtl =
  | { readonly o: 'ruleEngine'; readonly v: 'On' | 'Off' | 'DetectionOnly' }
  | {
      readonly o: 'ruleRemoveById'
      readonly v: string
      readonly ranges: readonly (readonly [number, number])[]
    }
  | { readonly o: 'ruleRemoveByTag' | 'ruleRemoveByMsg'; readonly rx: RegExp | undefined; readonly v: string }
  | {
      readonly o: 'ruleRemoveTargetById' | 'ruleRemoveTargetByTag' | 'ruleRemoveTargetByMsg'
      readonly v: string
      readonly rx: RegExp | undefined
      readonly ranges: readonly (readonly [number, number])[]
      readonly targets: readonly TargetException[]
    }
  | { readonly o: 'requestBodyProcessor'; readonly v: string }
  | {
      readonly o: 'requestBodyAccess' | 'responseBodyAccess' | 'forceRequestBodyVariable'
      readonly on: boolean | undefined
    }
  | { readonly o: 'requestBodyLimit' | 'responseBodyLimit' | 'debugLogLevel'; readonly n: number }
  | { readonly o: 'auditEngine'; readonly v: 'On' | 'Off' | 'RelevantOnly' | undefined }
  | { readonly o: 'auditLogParts'; readonly v: string }
  | { readonly o: 'noop'; readonly v: string }

/** ctl:ruleRemoveTarget*: "ARGS" (every ARGS:* target) or "ARGS:key" (exact, case-insensitive). */
export interface TargetException {
  readonly fname: string
  readonly fkey: string | undefined
}

export interface LinkedRule {
  readonly rule: Rule
  readonly id: number
  readonly phase: PhaseNumber
  readonly index: number
  /** unique number of this rule or link in the program (per-transaction caches index by it) */
  readonly serial: number
  readonly file: string
  readonly line: number
  readonly targets: readonly LinkedTarget[]
  /**
   * Id of the rule's target list when every target only depends on request/response data
   * (not TX, MATCHED_*, collections, time...): rules with the same list share the expanded
   * items within a transaction (CRS repeats a few long lists hundreds of times). -1 otherwise.
   */
  readonly targetSet: number
  /**
   * Id of the pair (targetSet, transformation chain) when targetSet >= 0 and the rule is not
   * multiMatch: rules with the same pair share the transformed values within a transaction
   * (TxState.transformed). -1 otherwise.
   */
  readonly transformedSlot: number
  /**
   * For a rule with a slot whose operator is an @rx with a prefilter or a @pm-family phrase list:
   * its bit in Program.literals (set by any of its literals), as its word index (litWord, -1:
   * none) and the bit within the word (litBits). An item whose value has the bit clear is not
   * given to the operator (it would answer NO_MATCH). Set once at link time.
   */
  litWord: number
  litBits: number
  /** the folded key when the rule's only target is TX:key (txKey): read without the target list */
  readonly soleTxKey: string | undefined
  readonly op: OperatorRef
  /** null: operator not in the registry (never matches, see link.ts) */
  readonly opDef: OperatorDef | null
  /** linked on first use */
  opFn: OperatorFn | undefined
  /** the operator is asynchronous (OperatorDef.async, @rbl): probed before it runs, see dns.ts */
  readonly asyncOp: boolean
  readonly chain: LinkedChain
  readonly actions: readonly LinkedAction[]
  readonly disruptive: LinkedDisruptive
  readonly status: number
  readonly log: boolean
  readonly auditlog: boolean
  readonly capture: boolean
  readonly multiMatch: boolean
  readonly severity: number
  /** raw msg text (ctl:ruleRemoveByMsg and RULE.msg match the unexpanded text, as v2) */
  readonly msgRaw: string | undefined
  readonly logdataRaw: string | undefined
  readonly tagsRaw: readonly string[]
  /** no tag has a macro: tagsRaw are the expanded tags (alerts share the array) */
  readonly tagsStatic: boolean
  next: LinkedRule | undefined
  readonly jumpTo: number | undefined
  readonly marker: string | undefined
  /** true for chain links (not the starter) */
  readonly isLink: boolean
  /** the chain starter (itself for a starter): metadata and disruptive action come from it */
  head: LinkedRule
}
