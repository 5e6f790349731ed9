import type { MatchRecord } from './alert'
import type { BinaryString } from './bytes'
import type { DisruptiveKind, LinkedRule } from './program'
import type { TxState } from './tx-state'
import type { Item } from './variables/item'

/** What only a match that can be written carries (AlertRecord). */
export interface WrittenParts {
  readonly prefix: string
  readonly disruptive: boolean
  readonly status: number | undefined
  readonly location: string | undefined
  readonly msg: BinaryString | undefined
  readonly data: BinaryString | undefined
  readonly tags: readonly BinaryString[]
}

const NO_TAGS: readonly BinaryString[] = []

/**
 * The MatchRecord the engine builds for every match (disrupt.ts). A CRS transaction records
 * about 90 matches, nearly all of them silent pass rules (paranoia-level gates, setvar rules),
 * so the record is small, one shape, and copies nothing it can read later unchanged:
 * - the rule's metadata (id, file, line, rev, ver, severity, accuracy, maturity, log, auditlog,
 *   action) are read from the chain starter;
 * - MATCHED_VAR_NAME / MATCHED_VAR from the matched item (items are immutable);
 * - hostname and unique id from the transaction (both fixed for its life; a record keeps its
 *   transaction reachable);
 * - the written parts (prefix, msg, logdata, tags, status, location) exist only for a match
 *   that can be written; a silent one (nolog, noauditlog, not carried out) is a "Warning." with
 *   no msg, data or tags (see MatchRecord.msg).
 */
export class AlertRecord implements MatchRecord {
  readonly phase: number
  readonly opMessage: string
  /** the request path as Apache reports it when the rule matched (raw in phase 1) */
  readonly uri: BinaryString
  readonly #head: LinkedRule
  readonly #mv: Item | undefined
  readonly #tx: TxState
  readonly #w: WrittenParts | undefined

  constructor(
    tx: TxState,
    head: LinkedRule,
    mv: Item | undefined,
    opMessage: string,
    written: WrittenParts | undefined,
  ) {
    this.phase = tx.phase
    this.opMessage = opMessage
    this.uri = tx.path()
    this.#head = head
    this.#mv = mv
    this.#tx = tx
    this.#w = written
  }

  get id(): number {
    return this.#head.id
  }
  get file(): string {
    return this.#head.file
  }
  get line(): number {
    return this.#head.line
  }
  get rev(): string | undefined {
    return this.#head.rule.rev
  }
  get ver(): string | undefined {
    return this.#head.rule.ver
  }
  get severity(): number | undefined {
    const s = this.#head.severity
    return s >= 0 ? s : undefined
  }
  get accuracy(): number | undefined {
    return this.#head.rule.accuracy
  }
  get maturity(): number | undefined {
    return this.#head.rule.maturity
  }
  get action(): DisruptiveKind {
    return this.#head.disruptive.kind
  }
  get log(): boolean {
    return this.#head.log
  }
  get auditlog(): boolean {
    return this.#head.auditlog
  }
  get matchedVarName(): string {
    return this.#mv === undefined ? '' : this.#mv.name
  }
  get matchedVar(): BinaryString {
    return this.#mv === undefined ? '' : this.#mv.value
  }
  get hostname(): string {
    return this.#tx.serverName()
  }
  get uniqueId(): string {
    return this.#tx.uniqueId
  }
  get prefix(): string {
    return this.#w === undefined ? 'Warning.' : this.#w.prefix
  }
  get disruptive(): boolean {
    return this.#w !== undefined && this.#w.disruptive
  }
  get status(): number | undefined {
    return this.#w?.status
  }
  get location(): string | undefined {
    return this.#w?.location
  }
  get msg(): BinaryString | undefined {
    return this.#w?.msg
  }
  get data(): BinaryString | undefined {
    return this.#w?.data
  }
  get tags(): readonly BinaryString[] {
    return this.#w === undefined ? NO_TAGS : this.#w.tags
  }
}
