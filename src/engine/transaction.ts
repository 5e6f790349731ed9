import type { PhaseNumber, RuleEngineMode } from '../bundle/schema'
import type { MatchRecord } from './alert'
import type { BinaryString } from './bytes'
import { persistCollections } from './actions/persistence'
import type { PersistentStore } from './collections/store'
import { TxDns, type DnsResolver } from './dns'
import { runPhase } from './evaluate'
import { expand } from './macro'
import type { GeoRecord, OperatorContext } from './operators/types'
import type { Program } from './program'
import type { EngineRequest, Interruption } from './request'
import { processRequestBodyData, processResponseBodyData } from './bodies'
import { TxState, type AllowScope } from './tx-state'
import { releaseScratch } from './tx-scratch'

export interface TransactionOptions {
  /** milliseconds since the epoch (TIME*, DURATION, collection timestamps); default Date.now */
  clock?: () => number
  /** UNIQUE_ID when the request carries none */
  uniqueId?: string
  /** overrides the program's store for this transaction */
  store?: PersistentStore
  /** initial ENV entries (v2 ENV reads the web server's environment) */
  env?: Readonly<Record<string, string>>
  /** overrides the program's DNS resolver for @rbl (see dns.ts) */
  resolver?: DnsResolver
  /**
   * SecRuleEngine for this transaction, replacing the program's (the Worker's WAF_ENGINE switch):
   * the transaction runs exactly as if the configuration said so; ctl:ruleEngine in the rules
   * still changes it afterwards, as in v2.
   */
  ruleEngine?: RuleEngineMode
}

export type PhaseResult = Interruption | undefined | Promise<Interruption | undefined>

/**
 * One HTTP transaction through the five ModSecurity phases. Call the process methods in order;
 * each runs its phase (and any earlier phase not run yet) and returns the interruption, if the
 * transaction is interrupted. Phases are synchronous; a method returns a Promise only when an
 * initcol had to wait for the persistent store or an @rbl rule for DNS answers (dns.ts). Phase 5
 * always runs, even after an interruption.
 * v2 phase gating: after an interruption only phase 5 runs; `allow` skips phases 2-4,
 * `allow:request` skips phase 2, `allow:phase` only ends the current phase.
 */
export class Transaction {
  /** engine internals, for the worker's audit writer and for tests */
  readonly state: TxState
  private pending: Promise<unknown> | undefined

  constructor(program: Program, request: EngineRequest, options: TransactionOptions = {}) {
    const clock = options.clock ?? Date.now
    const s = new TxState(
      program,
      request,
      clock,
      request.uniqueId ?? options.uniqueId ?? newUniqueId(),
      options.store ?? program.store,
    )
    const ctx: OperatorContext = {
      varName: '',
      capture: false,
      captures: [],
      message: '',
      linearBytes: 0,
      unitsLeft: Infinity,
      captureBytes: 0,
      budgetSpent: false,
      expand: (t) => expand(s, t, null),
      setTx: (name, value) => s.tx.set(name, value),
      geo: {
        lookup: (host) => (host === request.clientAddress ? request.geo : undefined),
        setGeo: (record) => {
          for (const it of s.geo.items()) s.geo.delete(it.key)
          if (record !== undefined)
            for (const k of Object.keys(record) as (keyof GeoRecord)[]) s.geo.set(k, record[k])
        },
      },
    }
    // @rbl (dns.ts): the probe flag, SecHttpBlKey, and this transaction's DNS answers
    ctx.probe = false
    ctx.prefiltered = false
    if (program.config.httpBlKey !== undefined) ctx.httpBlKey = program.config.httpBlKey
    const resolver = options.resolver ?? program.resolver
    if (resolver !== undefined) ctx.dns = new TxDns(resolver, s.pendingLookups)
    s.opCtx = ctx
    if (options.env !== undefined)
      for (const k of Object.keys(options.env)) s.env.set(k, options.env[k] ?? '')
    if (options.ruleEngine !== undefined) s.ruleEngine = options.ruleEngine
    this.state = s
  }

  /** alerts so far, in the order v2 would log them */
  get records(): readonly MatchRecord[] {
    return this.state.records
  }

  get interruption(): Interruption | undefined {
    return this.state.interruption
  }

  /** the scope of an executed allow action ('none' when none ran) */
  get allow(): AllowScope {
    return this.state.allowScope
  }

  /**
   * What the audit log writer needs: SecAuditEngine / SecAuditLogParts after ctl changes,
   * whether a rule marked the transaction relevant (auditlog), and the sanitise* requests.
   */
  get audit(): {
    engine: 'On' | 'Off' | 'RelevantOnly'
    parts: string
    relevant: boolean
    sanitize: TxState['sanitize']
  } {
    const s = this.state
    return {
      engine: s.auditEngine,
      parts: s.auditLogParts,
      relevant: s.auditRelevant > 0,
      sanitize: s.sanitize,
    }
  }

  /** TX variable (tests, worker integrations) */
  txValue(name: string): BinaryString | undefined {
    return this.state.tx.get(name)?.value
  }

  processRequestHeaders(): PhaseResult {
    return this.step(() => this.run(1))
  }

  /**
   * Phase 2. `body` (binary string) replaces EngineRequest.body when given: the Worker reads the
   * body only after phase 1 decided whether it is inspected (ctl:requestBodyAccess), and at most
   * SecRequestBodyLimit + 1 bytes of it.
   */
  processRequestBody(body?: BinaryString): PhaseResult {
    if (body !== undefined && this.state.phase < 2) this.state.req.body = body
    return this.step(() => {
      const r = this.run(1)
      if (r !== undefined) return r.then(() => this.bodyThen())
      return this.bodyThen()
    })
  }

  processResponseHeaders(
    status: number,
    protocol: string,
    headers: ReadonlyArray<readonly [BinaryString, BinaryString]>,
  ): PhaseResult {
    return this.step(() => {
      const r = this.upTo(2)
      const go = (): void | Promise<void> => {
        const s = this.state
        if (s.responseStatus === undefined) {
          s.responseStatus = status
          s.responseProtocol = protocol
          s.responseHeaders = headers.map((h) => [h[0], h[1]])
          s.invalidate()
        }
        return this.run(3)
      }
      return r !== undefined ? r.then(go) : go()
    })
  }

  processResponseBody(body: BinaryString | undefined): PhaseResult {
    return this.step(() => {
      const r = this.upTo(3)
      const go = (): void | Promise<void> => {
        const s = this.state
        if (
          s.phase < 4 &&
          s.interruption === undefined &&
          s.responseBody === undefined &&
          body !== undefined
        ) {
          processResponseBodyData(s, body)
          s.invalidate()
        }
        return this.run(4)
      }
      return r !== undefined ? r.then(go) : go()
    })
  }

  /** Phase 5. Always runs (v2), also after an interruption. */
  processLogging(): void | Promise<void> {
    const r = this.step(() => {
      const s = this.state
      if (s.phase >= 5 || s.ruleEngine === 'Off') return undefined
      s.phase = 5
      return runPhase(s, 5)
    })
    if (r instanceof Promise) return r.then(() => this.release())
    this.release()
    return undefined
  }

  /**
   * Once phase 5 ran no rule runs again: the evaluator's scratch goes back to the program for
   * the next transaction (tx-scratch.ts). Nothing after this reads it (TxState.scratchReleased).
   */
  private release(): void {
    const s = this.state
    if (s.phase < 5 || s.scratchReleased) return
    s.scratchReleased = true
    releaseScratch(s.program, s.scratch)
  }

  /** Write changed persistent collections back to the store (after processLogging; Worker: waitUntil). */
  async persist(): Promise<void> {
    if (this.pending !== undefined) await this.pending
    await persistCollections(this.state)
  }

  // -- internals --

  /** serialise calls: when a phase is waiting (store, DNS), the next call waits for it */
  private step(fn: () => void | Promise<void>): PhaseResult {
    if (this.pending !== undefined) {
      const p = this.pending.then(() => this.step(fn))
      return p
    }
    const r = fn()
    if (r instanceof Promise) {
      const p = r.then(() => {
        this.pending = undefined
        return this.state.interruption
      })
      this.pending = p
      return p
    }
    return this.state.interruption
  }

  private bodyThen(): void | Promise<void> {
    const s = this.state
    if (s.phase < 2 && s.interruption === undefined) {
      // httpd normalises and decodes the path between phases 1 and 2
      s.uriNormalized = true
      s.invalidate()
      // v2 re-reads the configuration with the ctl changes before the body: after
      // ctl:ruleEngine=Off the body is not read (vectors engine/nofiles-limit.json)
      if (s.allowScope !== 'request' && s.allowScope !== 'all' && s.ruleEngine !== 'Off') {
        processRequestBodyData(s)
      }
    }
    return this.run(2)
  }

  /** run every phase before `upTo`+1 that has not run yet */
  private upTo(last: PhaseNumber): void | Promise<void> {
    const s = this.state
    if (s.phase >= last) return undefined
    if (last === 1) return this.run(1)
    const r = this.upTo((last - 1) as PhaseNumber)
    const go = (): void | Promise<void> => (last === 2 ? this.bodyThen() : this.run(last))
    return r !== undefined ? r.then(go) : go()
  }

  /** run one phase if v2 would run it now */
  private run(phase: PhaseNumber): void | Promise<void> {
    const s = this.state
    if (s.phase >= phase) return undefined
    s.phase = phase
    // SecRuleEngine / TransactionOptions.ruleEngine Off, or ctl:ruleEngine=Off in an earlier phase
    if (s.ruleEngine === 'Off') return undefined
    if (s.interruption !== undefined) return undefined
    if (phase === 2 && (s.allowScope === 'request' || s.allowScope === 'all')) return undefined
    if ((phase === 3 || phase === 4) && s.allowScope === 'all') return undefined
    return runPhase(s, phase)
  }
}

let idCounter = 0
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@-'

/** A 27-character id in the style of Apache mod_unique_id (not cryptographic). */
export function newUniqueId(): string {
  idCounter = (idCounter + 1) & 0xffffff
  let s = ''
  for (let i = 0; i < 22; i++) s += ID_CHARS.charAt(Math.floor(Math.random() * 64))
  let c = idCounter
  for (let i = 0; i < 5; i++) {
    s += ID_CHARS.charAt(c & 63)
    c >>= 6
  }
  return s
}
