import type { BinaryString } from '../bytes'
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
  /** expand a macro template against the transaction (for operators with %{...} arguments) */
  expand(t: Template): BinaryString
  /** set a TX variable (e.g. MSC_PCRE_LIMITS_EXCEEDED when a guard stops an evaluation) */
  setTx(name: string, value: string): void
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
}
