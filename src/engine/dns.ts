/**
 * DNS for @rbl. The engine does no I/O: the host supplies a DnsResolver (the Worker: a
 * DNS-over-HTTPS client with an isolate-wide cache, src/worker/doh.ts; tests: an in-memory
 * table), through loadProgram(bundle, { resolver }) or the Transaction's options.
 *
 * How a lookup fits into the synchronous evaluation (evaluate.ts): before a
 * rule whose operator is asynchronous runs, the engine evaluates it once in "probe" mode, where
 * the operator only asks for the names it will need (TxDns.request) and has no effect. If it
 * asked for any, the phase returns a Promise that settles when every answer is in this
 * transaction's table; the rule then runs for real and reads its answers synchronously
 * (TxDns.answer). Rules without such an operator never see any of this.
 */

export interface DnsResolver {
  /**
   * The IPv4 addresses (A records, dotted quads, in answer order) of `name`: [] when the name
   * does not exist or has no A record, undefined when the lookup failed (timeout, network error,
   * SERVFAIL...). The promise must settle (the Worker's client has a timeout); a rejection counts
   * as a failed lookup.
   */
  resolveA(name: string): Promise<readonly string[] | undefined>
}

/** What an operator sees of the transaction's DNS answers (OperatorContext.dns). */
export interface DnsLookups {
  /**
   * The answer this transaction has for `name`: addresses ([] = not listed), null = the lookup
   * failed, undefined = not asked (or not answered yet).
   */
  answer(name: string): readonly string[] | null | undefined
  /** Probe pass only: ask the resolver; the phase waits for the answer before the rule runs. */
  request(name: string): void
}

/**
 * At most this many distinct names per transaction are sent to the resolver; further names
 * count as failed lookups. A rule such as `SecRule ARGS "@rbl ..."` would otherwise let one
 * request make the Worker send as many DNS queries as it has arguments.
 */
export const MAX_LOOKUPS_PER_TRANSACTION = 16

/** Placeholder for a name being resolved: `answer` reports it as undefined (not answered yet). */
const IN_FLIGHT: readonly string[] = Object.freeze([])

/** One transaction's DNS answers, filled by the resolver's promises (pushed to `waits`). */
export class TxDns implements DnsLookups {
  private answers: Map<string, readonly string[] | null> | undefined
  private asked = 0

  constructor(
    private readonly resolver: DnsResolver,
    /** the transaction's list of promises the current phase must wait for (TxState.pendingLookups) */
    private readonly waits: Promise<void>[],
  ) {}

  answer(name: string): readonly string[] | null | undefined {
    const a = this.answers === undefined ? undefined : this.answers.get(name)
    return a === IN_FLIGHT ? undefined : a
  }

  request(name: string): void {
    let answers = this.answers
    if (answers === undefined) answers = this.answers = new Map()
    if (answers.has(name)) return
    if (this.asked >= MAX_LOOKUPS_PER_TRANSACTION) {
      answers.set(name, null)
      return
    }
    this.asked++
    const table = answers
    const settle = (a: readonly string[] | null): void => {
      table.set(name, a)
    }
    let p: Promise<readonly string[] | undefined>
    try {
      p = this.resolver.resolveA(name)
    } catch {
      settle(null)
      return
    }
    // in flight: the placeholder makes a second request for the name a no-op, and `answer`
    // reports it as not answered yet
    table.set(name, IN_FLIGHT)
    this.waits.push(
      Promise.resolve(p).then(
        (a) => settle(Array.isArray(a) ? a : null),
        () => settle(null),
      ),
    )
  }
}
