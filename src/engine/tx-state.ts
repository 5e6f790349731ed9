import type { RuleEngineMode } from '../bundle/schema'
import type { Arg, BodyResult } from './body/types'
import type { BinaryString } from './bytes'
import { Collection } from './collections/collection'
import type { PersistentCollection } from './collections/persistent'
import type { PersistentStore } from './collections/store'
import type { OperatorContext } from './operators/types'
import type { LinkedRule, Program } from './program'
import type { EngineRequest, Interruption } from './request'
import type { MatchRecord } from './alert'
import { acquireScratch, type TxScratch } from './tx-scratch'
import { collectionItem, scalarItem, type Item } from './variables/item'
import {
  equalsIgnoringCase,
  headerValue,
  hostWithoutPort,
  mergeHeaders,
  parseCookiesV0,
  parseCookiesV1,
} from './variables/headers'
import { parseRequestTarget, type UriParts } from './variables/uri'
import { defaultBodyProcessor, parseQueryString } from './body'

/** ctl:ruleRemoveTarget* registered for this transaction. */
export interface TargetRemoval {
  readonly by: 'id' | 'tag' | 'msg'
  readonly ranges: readonly (readonly [number, number])[]
  readonly rx: RegExp | undefined
  readonly targets: readonly { readonly fname: string; readonly fkey: string | undefined }[]
  /**
   * Whether it applies, by LinkedRule.serial: 0 not decided yet, 1 yes, 2 no. Applicability
   * depends on the rule only (id, raw tags, raw msg), so one object per ctl action and isolate
   * (actions/ctl.ts) decides each rule once, not once per transaction.
   */
  readonly memo: Uint8Array
  /** [this]: the list for a rule that only this removal applies to */
  readonly alone: readonly TargetRemoval[]
}

export type AllowScope = 'none' | 'phase' | 'request' | 'all'

/**
 * Everything one transaction knows. Request-derived values are computed on first use and kept
 * (lazy materialisation); item lists per variable are cached until the argument set changes.
 * The public API is Transaction (transaction.ts); evaluation, variables, macros and actions work
 * on this state.
 */
let txSerial = 0

export class TxState {
  readonly program: Program
  readonly req: EngineRequest
  readonly clock: () => number
  readonly startMs: number
  readonly uniqueId: string
  readonly store: PersistentStore | undefined

  // per-transaction configuration (ctl changes it)
  ruleEngine: RuleEngineMode
  requestBodyAccess: boolean
  requestBodyLimit: number
  responseBodyAccess: boolean
  responseBodyLimit: number
  forceRequestBodyVariable = false
  auditEngine: 'On' | 'Off' | 'RelevantOnly'
  auditLogParts: string
  debugLogLevel = 0
  /** REQBODY_PROCESSOR; chosen from Content-Type, changed by ctl:requestBodyProcessor */
  reqbodyProcessor: string | undefined

  // request body / response state
  bodyResult: BodyResult | undefined
  /** the body as inspected (truncated with ProcessPartial) */
  requestBody: BinaryString | undefined
  /** REQUEST_BODY exists (URLENCODED, or forced with no processor) */
  requestBodyVisible = false
  inboundError = false
  outboundError = false
  reqbodyError = false
  reqbodyErrorMsg = ''
  responseStatus: number | undefined
  responseProtocol: string | undefined
  responseHeaders: [BinaryString, BinaryString][] | undefined
  responseBody: BinaryString | undefined

  // collections
  readonly tx = new Collection('TX')
  readonly env = new Collection('ENV')
  readonly geo = new Collection('GEO')
  /** persistent collections by lower-case name (ip, global, session, user, resource, ...) */
  readonly persistent = new Map<string, PersistentCollection>()
  sessionId: string | undefined
  userId: string | undefined

  // matching state
  matchedVar: Item | undefined
  readonly matchedVars: Item[] = []
  highestSeverity = 255
  readonly removedIds: (readonly [number, number])[] = []
  readonly removedTags: RegExp[] = []
  readonly removedMsgs: RegExp[] = []
  readonly removedTargets: TargetRemoval[] = []
  readonly records: MatchRecord[] = []
  /** engine messages that are not rule alerts (body limits), worded as v2 logs them */
  readonly engineMessages: string[] = []
  auditRelevant = 0
  /** sanitise* requests for the audit log writer (names as given; matched = MATCHED_VAR_NAME) */
  readonly sanitize: {
    args: string[]
    matched: string[]
    requestHeaders: string[]
    responseHeaders: string[]
  } = {
    args: [],
    matched: [],
    requestHeaders: [],
    responseHeaders: [],
  }

  // flow
  /** highest phase started */
  phase = 0
  /** the request went past phase 1: httpd normalised the path (see path()) */
  uriNormalized = false
  interruption: Interruption | undefined
  allowScope: AllowScope = 'none'
  /** loads in flight started by initcol in the current rule */
  readonly pendingLoads: Promise<void>[] = []
  /** DNS lookups in flight started by the probe of an asynchronous operator (dns.ts) */
  readonly pendingLookups: Promise<void>[] = []
  /** the rule or chain link the phase resumes at once pendingLookups settled (evaluate.ts) */
  suspendedLink: LinkedRule | undefined = undefined

  // caches
  /** distinct per transaction of the isolate (Item.vtx) */
  readonly serial = ++txSerial
  /** inspection work so far, in budget units (budget.ts) */
  work = 0
  /** the inspection budget was spent: no more phase 1-4 rules run (budget.ts) */
  budgetExceeded = false
  readonly itemCache = new Map<string, readonly Item[]>()
  /**
   * item lists that cannot change during the transaction (request headers, cookies, query
   * arguments), by slot (variables/sources-request.ts): kept across invalidate(), so their items
   * and the cells of their values are made once per transaction
   */
  readonly stableLists: (readonly Item[] | undefined)[] = []
  /**
   * the evaluator's working memory: transformation cache, literal pool, expanded stable target
   * lists and slots (tx-scratch.ts); the program's again once the transaction is over
   */
  readonly scratch: TxScratch
  /** the scratch went back to the program (Transaction.processLogging): no rule runs any more */
  scratchReleased = false
  readonly scalarCache = new Map<string, Item | null>()
  opCtx!: OperatorContext

  private uriParts: UriParts | undefined
  private merged: [BinaryString, BinaryString][] | undefined
  private cookieList: [BinaryString, BinaryString][] | undefined
  private queryArgs: Arg[] | undefined
  private queryInvalid = false
  private serverNameV: string | undefined

  constructor(
    program: Program,
    req: EngineRequest,
    clock: () => number,
    uniqueId: string,
    store: PersistentStore | undefined,
  ) {
    this.program = program
    this.req = req
    this.clock = clock
    this.startMs = clock()
    this.uniqueId = uniqueId
    this.store = store
    this.scratch = acquireScratch(program)
    const cfg = program.config
    this.ruleEngine = cfg.ruleEngine
    this.requestBodyAccess = cfg.requestBodyAccess
    this.requestBodyLimit = cfg.requestBodyLimit
    this.responseBodyAccess = cfg.responseBodyAccess
    this.responseBodyLimit = cfg.responseBodyLimit
    this.auditEngine = cfg.auditEngine
    this.auditLogParts = cfg.auditLogParts
    this.reqbodyProcessor = defaultBodyProcessor(headerValue(this.headers(), 'content-type'))
  }

  uri(): UriParts {
    if (this.uriParts === undefined) this.uriParts = parseRequestTarget(this.req.uri)
    return this.uriParts
  }

  /**
   * The path as v2 sees it now: raw in phase 1 (httpd's post_read_request hook runs before the
   * path is normalised and decoded), decoded and normalised once the request went on to phase 2
   * (recorded on 2.9.7: vectors variables/request-line.json, "(phase 1)" cases).
   */
  path(): BinaryString {
    const u = this.uri()
    return this.uriNormalized ? u.filename : u.rawPath
  }

  /** request headers, duplicates merged as Apache does */
  headers(): [BinaryString, BinaryString][] {
    if (this.merged === undefined) this.merged = mergeHeaders(this.req.headers)
    return this.merged
  }

  cookies(): [BinaryString, BinaryString][] {
    if (this.cookieList === undefined) {
      const list: [BinaryString, BinaryString][] = []
      const h = this.headers()
      for (let i = 0; i < h.length; i++) {
        const e = h[i] as [string, string]
        if (!equalsIgnoringCase(e[0], 'cookie')) continue
        if (this.program.config.cookieFormat === 1) parseCookiesV1(e[1], list)
        else parseCookiesV0(e[1], list)
      }
      this.cookieList = list
    }
    return this.cookieList
  }

  /** ARGS_GET */
  argsGet(): Arg[] {
    if (this.queryArgs === undefined) {
      const q = this.uri().query
      if (q === undefined || q === '') this.queryArgs = []
      else {
        const r = parseQueryString(q, this.program.config)
        this.queryArgs = r.args
        this.queryInvalid = r.invalid
      }
    }
    return this.queryArgs
  }

  /** body arguments and whether v2 lists them in ARGS_POST */
  argsBody(): { args: readonly Arg[]; post: boolean } {
    const r = this.bodyResult
    if (r === undefined) return { args: [], post: false }
    return { args: r.args, post: r.argsOrigin === 'BODY' }
  }

  urlencodedError(): boolean {
    this.argsGet()
    return this.queryInvalid || (this.bodyResult !== undefined && this.bodyResult.urlencodedError)
  }

  serverName(): string {
    if (this.serverNameV === undefined) {
      const host = headerValue(this.headers(), 'host')
      this.serverNameV =
        this.req.serverName ?? (host !== undefined ? hostWithoutPort(host) : this.req.serverAddress)
    }
    return this.serverNameV
  }

  /** a scalar item, computed once (cached by name; null caches absence) */
  scalar(name: string, compute: (tx: TxState) => string | undefined): Item | undefined {
    let it = this.scalarCache.get(name)
    if (it === undefined) {
      const v = compute(this)
      it = v === undefined ? null : scalarItem(name, v)
      this.scalarCache.set(name, it)
    }
    return it === null ? undefined : it
  }

  /** a collection's item list built from [key, value] pairs, cached by variable name */
  list(name: string, build: (tx: TxState, out: Item[]) => void): readonly Item[] {
    let l = this.itemCache.get(name)
    if (l === undefined) {
      const out: Item[] = []
      build(this, out)
      l = out
      this.itemCache.set(name, l)
    }
    return l
  }

  /** like list(), for a list that never changes during the transaction (kept by invalidate) */
  stableList(slot: number, build: (tx: TxState, out: Item[]) => void): readonly Item[] {
    let l = this.stableLists[slot]
    if (l === undefined) {
      const out: Item[] = []
      build(this, out)
      l = out
      this.stableLists[slot] = l
    }
    return l
  }

  /** forget derived lists and scalars (after body or response processing) */
  invalidate(): void {
    // Map.clear() allocates a new table even for an empty map
    if (this.itemCache.size !== 0) this.itemCache.clear()
    if (this.scalarCache.size !== 0) this.scalarCache.clear()
    if (!this.scratchReleased) this.scratch.newEpoch()
  }

  static pairsTo(
    prefix: string,
    pairs: readonly (readonly [string, string])[],
    out: Item[],
    names: boolean,
  ): void {
    for (let i = 0; i < pairs.length; i++) {
      const p = pairs[i] as readonly [string, string]
      out.push(collectionItem(prefix, p[0], names ? p[0] : p[1]))
    }
  }
}
