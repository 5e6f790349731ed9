import type { BinaryString } from '../bytes'
import type { DnsLookups } from '../dns'
import type { OperatorParams, OperatorRef, Template } from '../../bundle/schema'

/**
 * What an operator may see and set while it evaluates one value. One object per transaction,
 * reused for every evaluation (no allocation per call).
 */
export interface OperatorContext {
  /** the target being evaluated, as ModSecurity names it in messages: "ARGS:id", "REQUEST_URI" */
  varName: string
  /** the rule has the `capture` action: the operator should fill `captures` */
  capture: boolean
  /**
   * Output when `capture` is set: captures[0] is the whole match, 1..9 the groups (v2 sets
   * TX.0..TX.9 from these). The engine clears it before each evaluation.
   */
  captures: (BinaryString | undefined)[]
  /**
   * Output on a match: the match description as ModSecurity 2.9 writes it in the alert line,
   * e.g. `Pattern match "a" at ARGS:x.` or `detected SQLi using libinjection with fingerprint 's&1c'`.
   */
  message: string
  /**
   * Output: bytes this evaluation ran on the linear-time regex engine (re2js), which the
   * inspection budget weighs apart (budget.ts WORK_UNITS.linearByte). The engine zeroes it
   * before each evaluation.
   */
  linearBytes: number
  /**
   * Input: the work units left of the inspection budget (budget.ts), which an operator's costliest
   * step may not exceed (the linear-time engine's capturing search); Infinity without a budget
   * and in phase 5.
   */
  unitsLeft: number
  /**
   * Output: bytes given to the linear-time engine's capturing search (WORK_UNITS.captureByte
   * each). The engine adds and zeroes it after each evaluation.
   */
  captureBytes: number
  /**
   * Output: the operator did not run a step the rest of the budget cannot pay for (unitsLeft);
   * the engine then stops the transaction on its budget. Zeroed after each evaluation.
   */
  budgetSpent: boolean
  /**
   * Input: the value is known to hold one of the operator's prefilter literals (the engine's
   * literal index answered for this rule and value, literal-scan.ts), so an @rx need not run its
   * own prefilter (regex/prefilter.ts) again. Set before each evaluation.
   */
  prefiltered?: boolean
  /** expand a macro template against the transaction (for operators with %{...} arguments) */
  expand(t: Template): BinaryString
  /** set a TX variable (e.g. MSC_PCRE_LIMITS_EXCEEDED when a guard stops an evaluation) */
  setTx(name: string, value: string): void
  /**
   * Output, optional: set by an operator when ModSecurity 2.9 would return -1 ("operator error"),
   * e.g. @ipMatch on a value that is not an IP address (`IPmatch: bad IPv4 specification "x".`).
   * The operator then returns false. v2 logs "Rule processing failed", skips the rule's remaining
   * targets and does not apply negation (recorded in test/vectors/operators/ipMatch.json). The
   * engine clears it (undefined) before each evaluation, like `captures`.
   */
  error?: string
  /**
   * The transaction's geo source for @geoLookup (v2: SecGeoLookupDb). Absent = no geo database
   * configured: @geoLookup never matches, as in v2. In the Worker the engine builds it from the
   * request's edge metadata (see geoRecordFromEdge in operators/geo-lookup.ts).
   */
  geo?: GeoSource
  /**
   * True while the engine probes a rule whose operator is asynchronous (OperatorDef.async, see
   * src/engine/dns.ts): the operator must only start what it needs (dns.request) and return
   * `op.negated`, so that the probe never matches and has no effect. Absent or false otherwise.
   */
  probe?: boolean
  /** DNS answers for @rbl. Absent = no resolver configured: @rbl never matches and says so in TX. */
  dns?: DnsLookups
  /** SecHttpBlKey (Project Honey Pot access key for @rbl with dnsbl.httpbl.org), when set */
  httpBlKey?: string
}

/** The GEO collection as ModSecurity 2.9 fills it (every key present; "" when unknown). */
export interface GeoRecord {
  COUNTRY_CODE: string
  COUNTRY_CODE3: string
  COUNTRY_NAME: string
  COUNTRY_CONTINENT: string
  REGION: string
  CITY: string
  POSTAL_CODE: string
  /** printf %f: "37.751000" */
  LATITUDE: string
  LONGITUDE: string
  /** printf %d */
  DMA_CODE: string
  AREA_CODE: string
}

/** What @geoLookup needs from the transaction. */
export interface GeoSource {
  /**
   * The record for `host` (the target value, an address as text), or undefined when unknown.
   * From edge metadata only the client's own address is known.
   */
  lookup(host: BinaryString): GeoRecord | undefined
  /** Replace the GEO collection; undefined clears it (v2 clears GEO when a lookup fails). */
  setGeo(record: GeoRecord | undefined): void
}

/** The evaluator built once per isolate for one rule's operator. Total: never throws. */
export type OperatorFn = (input: BinaryString, ctx: OperatorContext) => boolean

export interface OperatorDef {
  /** canonical SecLang name without '@' */
  name: string
  /**
   * Build time (called by the compiler, must stay pure): check the argument and prepare what
   * the engine needs (parsed phrases, CIDRs, byte ranges...). Throws an Error whose message is
   * a one-line reason when the argument is invalid. Operators whose argument the compiler
   * prepares itself (rx: translated regex; pmFromFile/ipMatchFromFile: file contents) omit it.
   */
  prepare?(arg: string): OperatorParams | undefined
  /** Once per isolate: build the evaluator from the bundle's operator reference (regexes, automata built here) */
  link(op: OperatorRef): OperatorFn
  /** one line: what it does, in the Reference Manual's terms */
  doc: string
  /**
   * The operator may need an answer the engine only gets asynchronously (DNS for @rbl): the
   * engine probes each rule using it first (OperatorContext.probe) and suspends the phase until
   * the answers are in (src/engine/dns.ts). Absent for every synchronous operator.
   */
  async?: true
}
