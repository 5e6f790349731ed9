/**
 * Operator messages (ctx.message) carry values escaped with v2's log_escape (msc_util.c), e.g.
 * `Matched phrase "caf\xc3\xa9" at ARGS:q.`: the one implementation is ../log-escape.ts
 * (logEscape escapes quotes, logEscapeNq keeps them), re-exported here for the operators.
 */
export { logEscape, logEscapeNq } from '../log-escape'

/** v2 prints long escaped values as `%.252s ...` in several messages (pm, rx, negation). */
export function truncate252(escaped: string): string {
  return escaped.length > 252 ? escaped.slice(0, 252) + ' ...' : escaped
}
