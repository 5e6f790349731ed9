/**
 * Thrown by translate() for any pattern it cannot translate faithfully. `offset` is the 0-based
 * index in the pattern (binary string) where the offending construct starts; `construct` is a
 * short name for it (`\G`, `conditional group`, `caseless backreference`...). The compiler turns
 * the offset into `file:line:col`.
 */
export class RegexTranslateError extends Error {
  readonly offset: number
  readonly construct: string

  constructor(construct: string, offset: number, reason: string) {
    super(`${construct} at offset ${offset}: ${reason}`)
    this.name = 'RegexTranslateError'
    this.offset = offset
    this.construct = construct
  }
}
