import type { Transaction } from '../engine/index'
import { formatAlertLine, logEscape } from '../engine/index'

/**
 * The error log: one console line per alert in ModSecurity 2.9's format, prefixed with
 * `[client <ip>]` as Apache's error log prefixes it (the date, module and pid of Apache's prefix
 * are left out: `wrangler tail` and Workers Logs timestamp every line). They appear in the
 * `wrangler dev` terminal and in `wrangler tail`:
 *
 *   [client 127.0.0.1] ModSecurity: Access denied with code 403 (phase 2). ... [id "10100"] ...
 *
 * Backslashes are escaped once, as ModSecurity writes them (Apache escapes them a second time in
 * its error log file; a console has no such layer).
 */
export function alertLines(tx: Transaction, client: string): string[] {
  const s = tx.state
  const prefix = '[client ' + client + '] '
  const out: string[] = []
  // engine messages (request/response body limits) are logged by v2 without rule metadata
  for (let i = 0; i < s.engineMessages.length; i++) {
    out.push(
      prefix +
        'ModSecurity: ' +
        (s.engineMessages[i] as string) +
        ' [hostname "' +
        logEscape(s.serverName()) +
        '"] [uri "' +
        logEscape(s.uri().filename) +
        '"] [unique_id "' +
        logEscape(s.uniqueId) +
        '"]',
    )
  }
  const records = tx.records
  for (let i = 0; i < records.length; i++) {
    const r = records[i]
    if (r !== undefined && r.log) out.push(prefix + formatAlertLine(r))
  }
  return out
}

/** A failure of the WAF itself (never request data): logged with the transaction's id. */
export function errorLine(client: string, uniqueId: string, what: string, error: unknown): string {
  const e = error instanceof Error ? error.name + ': ' + error.message : String(error)
  return '[client ' + client + '] edge-waf: ' + what + ': ' + logEscape(e) + ' [unique_id "' + uniqueId + '"]'
}
