import type { RunResult } from '../core/harness'

/**
 * What v2 writes to the error log for a transaction, as the recorded vectors hold it: the
 * engine's own messages (e.g. "Incorrect format for the deprecatevar argument", logged without
 * rule metadata) with the request's hostname/uri/unique_id, then the alert lines. In these
 * vectors the messages always come from rules that run before the logging rules.
 */
export function logLines(res: RunResult): string[] {
  const s = res.tx.state
  const tail = ' [hostname "' + s.serverName() + '"] [uri "' + s.uri().filename + '"] [unique_id "-"]'
  return s.engineMessages.map((m) => m + tail).concat(res.alerts)
}
