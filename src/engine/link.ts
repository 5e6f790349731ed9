import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION } from '../bundle/schema'
import type { Bundle, OperatorRef, PhaseNumber, Rule, VariableRef } from '../bundle/schema'
import { linkAction } from './actions/link-action'
import type { BodyOptions, BodyProcessor } from './body/types'
import type { PersistentStore } from './collections/store'
import type { DnsResolver } from './dns'
import { asciiLower } from './log-escape'
import { templateText } from './macro'
import { DEFAULT_INSPECTION_BUDGET } from './budget'
import { OPERATORS } from './operators'
import { indexLiterals } from './link-literals'
import type { OperatorDef, OperatorFn } from './operators/types'
import type {
  DisruptiveKind,
  EngineProfiler,
  LinkedChain,
  LinkedDisruptive,
  LinkedRule,
  LinkedTarget,
  Program,
} from './program'
import { TRANSFORMATIONS } from './transformations'
import { IDENTITY_UNLESS } from './transformations/identity'
import type { TransformationDef, TransformEnv, TransformFn } from './transformations/types'
import { DEFAULT_BODY_PROCESSORS } from './body-processors'
import { VARIABLE_IMPLS, type VariableImpl } from './variables/registry'

export interface LoadOptions {
  /** operator registry (default: OPERATORS) - tests inject partial registries */
  operators?: Readonly<Record<string, OperatorDef>>
  /** transformation registry (default: TRANSFORMATIONS) */
  transformations?: Readonly<Record<string, TransformationDef>>
  /** request body processors by v2 name (default: the engine's, see body-processors.ts) */
  bodyProcessors?: Readonly<Record<string, BodyProcessor>>
  /** store for persistent collections (initcol...); without one they live for the transaction only */
  store?: PersistentStore
  /** options for the body processors (keep uploaded file contents for FILES_TMP_CONTENT) */
  bodyOptions?: BodyOptions
  /** DNS resolver for @rbl (the Worker: DNS-over-HTTPS); without one @rbl never matches (dns.ts) */
  resolver?: DnsResolver
  /** profiling hooks (the bench's --profile); never set in production, see EngineProfiler */
  profiler?: EngineProfiler
  /** work units one transaction may spend (budget.ts, default DEFAULT_INSPECTION_BUDGET; Infinity: none) */
  inspectionBudget?: number
}

export class BundleError extends Error {
  override name = 'BundleError'
}

/**
 * Check the bundle and link it, once per isolate: variables, transformation chains and actions
 * are resolved to code here; operators are looked up now (an unknown name fails the load) and
 * built on first use (their RegExp / automaton is made once, never per request).
 */
export function loadProgram(bundle: Bundle, options: LoadOptions = {}): Program {
  if (bundle === null || typeof bundle !== 'object') throw new BundleError('bundle: not an object')
  if (bundle.format !== BUNDLE_FORMAT) {
    throw new BundleError(`bundle: format is ${JSON.stringify(bundle.format)}, expected "${BUNDLE_FORMAT}"`)
  }
  if (bundle.formatVersion !== BUNDLE_FORMAT_VERSION) {
    throw new BundleError(
      `bundle: formatVersion ${String(bundle.formatVersion)} does not match the engine's ${BUNDLE_FORMAT_VERSION}; rebuild the rules with this commit's compiler`,
    )
  }
  if (!Array.isArray(bundle.phases) || bundle.phases.length !== 5)
    throw new BundleError('bundle: phases must list 5 phases')
  const operators = options.operators ?? OPERATORS
  const transformations = options.transformations ?? TRANSFORMATIONS
  const files = bundle.sources.map((s) => s.path)
  const prof = options.profiler
  const { chains, nodeDepth } = linkChains(bundle.tchains, transformations, prof)
  const problems: string[] = []
  const phases: LinkedRule[][] = []
  const ctx: LinkContext = { serial: 0, sets: new Map(), slots: new Map(), byOp: new Map() }
  const ops = prof === undefined ? operators : profiledOperators(operators, prof, ctx.byOp)
  for (let p = 0; p < 5; p++) {
    const list = bundle.phases[p] ?? []
    const out: LinkedRule[] = []
    for (let i = 0; i < list.length; i++) {
      out.push(
        linkRule(list[i] as Rule, (p + 1) as PhaseNumber, i, files, chains, ops, undefined, problems, ctx),
      )
    }
    phases.push(out)
  }
  if (problems.length > 0) throw new BundleError('bundle: ' + Array.from(new Set(problems)).join('; '))
  const slotWords: (Int32Array | undefined)[] = []
  const literals = indexLiterals(phases, operators, slotWords)
  const env: TransformEnv = {}
  if (bundle.config.unicodeMap !== undefined) env.unicodeMap = new Map(bundle.config.unicodeMap)
  return {
    bundle,
    config: bundle.config,
    phases,
    transformEnv: env,
    chainNodeDepth: nodeDepth,
    ruleCount: ctx.serial,
    targetSetCount: ctx.sets.size,
    transformedSlotCount: ctx.slots.size,
    literals,
    slotWords,
    scratch: [],
    bodyProcessors: options.bodyProcessors ?? DEFAULT_BODY_PROCESSORS,
    store: options.store,
    resolver: options.resolver,
    bodyOptions: options.bodyOptions ?? {},
    files,
    profiler: prof,
    inspectionBudget: options.inspectionBudget ?? DEFAULT_INSPECTION_BUDGET,
  }
}

/** The operator registry with every evaluator wrapped in the profiler's timer. */
function profiledOperators(
  registry: Readonly<Record<string, OperatorDef>>,
  prof: EngineProfiler,
  byOp: Map<OperatorRef, LinkedRule>,
): Readonly<Record<string, OperatorDef>> {
  const out: Record<string, OperatorDef> = {}
  for (const name of Object.keys(registry)) {
    const def = registry[name] as OperatorDef
    out[name] = {
      ...def,
      link(op) {
        const fn = def.link(op)
        const rule = byOp.get(op)
        if (rule === undefined) return fn
        const timed: OperatorFn = (input, ctx) => {
          const t0 = prof.now()
          try {
            return fn(input, ctx)
          } finally {
            prof.operator(rule, prof.now() - t0)
          }
        }
        return timed
      },
    }
  }
  return out
}

interface LinkContext {
  serial: number
  /** stable target lists by signature -> LinkedRule.targetSet */
  sets: Map<string, number>
  /** (targetSet, chain) -> LinkedRule.transformedSlot */
  slots: Map<string, number>
  /** the rule (or link) of each operator reference, for the profiler */
  byOp: Map<OperatorRef, LinkedRule>
}

function linkChains(
  tchains: string[][],
  registry: Readonly<Record<string, TransformationDef>>,
  prof: EngineProfiler | undefined,
): { chains: LinkedChain[]; nodeDepth: Int32Array } {
  const ids = new Map<string, number>()
  const depths: number[] = [0]
  const chains: LinkedChain[] = []
  const unknown: string[] = []
  const intern = (k: string, depth: number): number => {
    let id = ids.get(k)
    if (id === undefined) {
      id = ids.size + 1
      ids.set(k, id)
      depths[id] = depth
    }
    return id
  }
  for (const names of tchains) {
    const fns: TransformFn[] = []
    const nodes: number[] = []
    const singles: number[] = []
    const skips: number[] = []
    let parent = 0
    for (const name of names) {
      const def = registry[name]
      if (def === undefined) unknown.push(name)
      const fn = def === undefined ? identity : def.fn
      // the identity classes hold for the built-in implementation only (not for a replacement)
      skips.push(fn === TRANSFORMATIONS[name]?.fn ? (IDENTITY_UNLESS[name] ?? 0) : 0)
      fns.push(prof === undefined ? fn : profiledTransformation(name, fn, prof))
      const id = intern(parent + '\u0000' + name, nodes.length + 1)
      nodes.push(id)
      singles.push(intern('0\u0000' + name, 1))
      parent = id
    }
    chains.push({ fns, names, nodes, singles, skips })
  }
  if (unknown.length > 0)
    throw new BundleError('bundle: unknown transformation(s): ' + Array.from(new Set(unknown)).join(', '))
  return { chains, nodeDepth: Int32Array.from(depths) }
}

function identity(s: string): string {
  return s
}

function profiledTransformation(name: string, fn: TransformFn, prof: EngineProfiler): TransformFn {
  return (v, env) => {
    const t0 = prof.now()
    try {
      return fn(v, env)
    } finally {
      prof.transformation(name, prof.now() - t0)
    }
  }
}

function linkTarget(v: VariableRef, problems: string[]): LinkedTarget {
  const impl = VARIABLE_IMPLS[v.name]
  if (impl === undefined) problems.push(`unknown variable ${v.name}`)
  let rx: RegExp | undefined
  if (v.keyRx !== undefined) {
    // the compiler translated the selector with PCRE_CASELESS already (v2 semantics); adding the
    // JS `i` flag here would also fold Latin-1 letters, which PCRE does not
    const flags = v.keyRx.flags.replace(/[gy]/g, '')
    try {
      rx = new RegExp(v.keyRx.source, flags)
    } catch {
      problems.push(`invalid key regex /${v.keyRx.source}/ on ${v.name}`)
    }
  }
  const param = v.key !== undefined ? v.key : v.keyRx !== undefined ? '/' + v.keyRx.source + '/' : undefined
  return {
    name: v.name,
    impl: impl ?? NOTHING,
    key: v.key,
    fkey: v.key === undefined ? undefined : asciiLower(v.key),
    rx,
    count: v.count === true,
    exclude: v.exclude === true,
    txKey: v.name === 'TX' && v.key !== undefined && v.count !== true && v.exclude !== true,
    fullName: (v.count === true ? '&' : '') + v.name + (param === undefined ? '' : ':' + param),
  }
}

const NOTHING: VariableImpl = {
  collect(): void {},
}

/** SecAction has no targets: v2 runs it as a rule on REMOTE_ADDR (MATCHED_VAR_NAME is REMOTE_ADDR). */
const SECACTION_TARGET: VariableRef = { name: 'REMOTE_ADDR' }

/**
 * Variables whose values only change when the request body or the response is processed
 * (Transaction invalidates its caches then). TX, MATCHED_*, ENV, GEO, persistent collections,
 * RULE, time and counters are not stable.
 */
const STABLE =
  /^(?:ARGS.*|REQUEST_(?:HEADERS|HEADERS_NAMES|COOKIES|COOKIES_NAMES|URI|URI_RAW|FILENAME|BASENAME|LINE|METHOD|PROTOCOL|BODY|BODY_LENGTH)|QUERY_STRING|FILES.*|MULTIPART_.*|XML|RESPONSE_.*|STATUS_LINE|REMOTE_(?:ADDR|HOST|PORT)|SERVER_(?:ADDR|NAME|PORT)|USERAGENT_IP|UNIQUE_ID|FULL_REQUEST.*|INBOUND_DATA_ERROR|OUTBOUND_DATA_ERROR)$/

function targetSetOf(rule: Rule, vars: VariableRef[], sets: Map<string, number>): number {
  if (rule.marker !== undefined || vars.length === 0) return -1
  for (const v of vars) if (!STABLE.test(v.name)) return -1
  const sig = JSON.stringify(vars)
  let id = sets.get(sig)
  if (id === undefined) {
    id = sets.size
    sets.set(sig, id)
  }
  return id
}

function disruptiveOf(rule: Rule): LinkedDisruptive {
  const d = rule.disruptive.name === 'block' ? (rule.blockAs ?? { name: 'pass' }) : rule.disruptive
  let kind: DisruptiveKind
  if (d.name === 'allow')
    kind = d.allow === 'phase' ? 'allowPhase' : d.allow === 'request' ? 'allowRequest' : 'allow'
  else if (d.name === 'block') kind = 'pass'
  else kind = d.name
  return { kind, target: d.target }
}

function linkRule(
  rule: Rule,
  phase: PhaseNumber,
  index: number,
  files: string[],
  chains: LinkedChain[],
  operators: Readonly<Record<string, OperatorDef>>,
  head: LinkedRule | undefined,
  problems: string[],
  ctx: LinkContext,
): LinkedRule {
  const vars = rule.marker === undefined && rule.vars.length === 0 ? [SECACTION_TARGET] : rule.vars
  const targets = vars.map((v) => linkTarget(v, problems))
  const opDef = operators[rule.op.name]
  if (opDef === undefined && rule.marker === undefined) problems.push(`unknown operator @${rule.op.name}`)
  const chain = chains[rule.t]
  if (chain === undefined) problems.push(`rule ${rule.id}: transformation chain ${rule.t} does not exist`)
  const targetSet = targetSetOf(rule, vars, ctx.sets)
  let transformedSlot = -1
  if (targetSet >= 0 && rule.multiMatch !== true) {
    const key = targetSet + ':' + rule.t
    const known = ctx.slots.get(key)
    transformedSlot = known ?? ctx.slots.size
    if (known === undefined) ctx.slots.set(key, transformedSlot)
  }
  const linked: LinkedRule = {
    rule,
    id: rule.id,
    phase,
    index,
    serial: ctx.serial++,
    file: files[rule.src[0]] ?? '',
    line: rule.src[1],
    targets,
    targetSet,
    transformedSlot,
    litWord: -1,
    litBits: 0,
    soleTxKey: targets.length === 1 && targets[0]?.txKey === true ? targets[0].fkey : undefined,
    op: rule.op,
    opDef: opDef ?? null,
    opFn: undefined,
    asyncOp: opDef?.async === true,
    chain: chain ?? { fns: [], names: [], nodes: [], singles: [], skips: [] },
    actions: rule.actions.map(linkAction),
    disruptive: disruptiveOf(rule),
    status: rule.status ?? 0,
    log: rule.log,
    auditlog: rule.auditlog,
    capture: rule.capture === true,
    multiMatch: rule.multiMatch === true,
    severity: rule.severity ?? -1,
    msgRaw: rule.msg === undefined ? undefined : templateText(rule.msg),
    logdataRaw: rule.logdata === undefined ? undefined : templateText(rule.logdata),
    tagsRaw: (rule.tags ?? []).map(templateText),
    tagsStatic: (rule.tags ?? []).every((t) => typeof t === 'string'),
    next: undefined,
    jumpTo: rule.jumpTo,
    marker: rule.marker,
    isLink: head !== undefined,
    head: undefined as unknown as LinkedRule,
  }
  linked.head = head ?? linked
  ctx.byOp.set(rule.op, linked)
  if (rule.chain !== undefined) {
    const next = linkRule(rule.chain, phase, index, files, chains, operators, linked.head, problems, ctx)
    linked.next = next
  }
  return linked
}
