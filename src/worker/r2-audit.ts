import {
  auditDecision,
  auditKey,
  buildAuditRecord,
  formatJson,
  formatNative,
  timedUniqueId,
  type FinalResponse,
} from '../engine/audit/index'
import { binaryToBytes, utf8ToBinary, type Transaction } from '../engine/index'
import { logEscape } from '../engine/log-escape'
import { errorText, putWithRetry, type AuditBucket } from './audit-bucket'
import { recordMetadata } from './audit-metadata'
import type { AuditSettings } from './audit-settings'
import { writeUploads } from './audit-uploads'

/**
 * The audit log sink: one R2 object per audited transaction (SecAuditEngine), written after the
 * answer in ctx.waitUntil, never on the request's path.
 *
 *   YYYYMMDD/HH/<unique_id>            the record, Native (text/plain) or JSON (application/json)
 *   YYYYMMDD/HH/<unique_id>/file-<n>   uploaded files kept with it (SecUploadKeepFiles)
 *
 * The unique id on the block page finds the record: the Worker's ids carry their time like
 * mod_unique_id's (engine/audit/keys.ts), so the key follows from the id. customMetadata makes
 * a listing useful without reading bodies: kind, id, time, status, rules, client, method, host,
 * uri, intercepted, engine, format.
 *
 * Nothing is lost silently: a put that fails is retried with exponential backoff (3 retries:
 * 100, 200, 400 ms); when it still fails the failure is logged with the unique id, next to the
 * transaction's alert lines that carry the same id. The response is never affected: this runs
 * after the answer and never throws.
 *
 * Only the R2 methods used here are required (AuditBucket), so tests can pass doubles; these files
 * use no Workers-only types.
 *
 * The pieces: audit-bucket.ts (AuditBucket, the retrying put), audit-settings.ts (the vars),
 * audit-metadata.ts (customMetadata), audit-uploads.ts (kept files), audit-read.ts (reading the
 * log back, the ops endpoints). This module re-exports what the handler, ops.ts and the CLI use.
 */

export type { AuditBucket, AuditObject, AuditPutOptions } from './audit-bucket'
export { auditSettings, DEFAULT_AUDIT_SETTINGS, type AuditSettings } from './audit-settings'
export { recordMetadata } from './audit-metadata'
export {
  auditGetResponse,
  auditListResponse,
  listAudit,
  parseSince,
  readAudit,
  statusMatches,
  type ListFilter,
} from './audit-read'

/** A unique id for a new transaction: its time and 16 random bytes (keys.ts). */
export function newAuditUniqueId(): string {
  return timedUniqueId(Date.now(), crypto.getRandomValues(new Uint8Array(16)))
}

/**
 * After phase 5: write the transaction's record (and kept uploads) when the audit engine says
 * so. Resolves when done; never rejects.
 */
export async function writeAudit(
  tx: Transaction,
  final: FinalResponse,
  bucket: AuditBucket | undefined,
  settings: AuditSettings,
  log: (line: string) => void,
  client: string,
): Promise<void> {
  const s = tx.state
  const id = s.uniqueId
  const fail = (what: string): void =>
    log('[client ' + client + '] edge-waf: ' + what + ' [unique_id "' + logEscape(id) + '"]')
  try {
    const decision = auditDecision(tx, final.status)
    if (!decision.write) return
    if (bucket === undefined) {
      fail('audit record not written: no AUDIT (R2) binding')
      return
    }
    const key = auditKey(id, s.startMs)
    const config = s.program.config

    // uploaded files first, so the record can say where each one is
    const files = await writeUploads(tx, decision.relevant, bucket, key, settings, fail)

    const record = buildAuditRecord(tx, final, {
      bodyLimit: settings.bodyLimit,
      maskHeaders: settings.maskHeaders,
      files,
    })
    const json = config.auditLogFormat === 'JSON'
    const body = json ? new TextEncoder().encode(formatJson(record)) : binaryToBytes(formatNative(record))
    const failed = await putWithRetry(
      bucket,
      key,
      body,
      {
        httpMetadata: { contentType: json ? 'application/json' : 'text/plain; charset=iso-8859-1' },
        customMetadata: recordMetadata(tx, record, config.auditLogFormat),
      },
      settings,
    )
    if (failed !== undefined)
      fail(
        'audit record not written to R2 after ' +
          failed.attempts +
          ' attempts (' +
          key +
          '): ' +
          errorText(failed.error),
      )
  } catch (e) {
    fail('audit record failed: ' + errorText(e))
  }
}

/**
 * What the client got, for parts F and E: status and headers now, and for a response the WAF
 * made itself (block page, failure page) its body, read from a clone. Called before the
 * response is handed to the runtime; origin bodies are never cloned (they stream through).
 */
export function finalResponse(res: Response, generated: boolean): Promise<FinalResponse> {
  const headers: [string, string][] = []
  for (const [name, value] of res.headers) headers.push([utf8ToBinary(name), utf8ToBinary(value)])
  if (!generated || res.body === null) return Promise.resolve({ status: res.status, headers })
  return res
    .clone()
    .text()
    .then(
      (text) => ({ status: res.status, headers, generatedBody: utf8ToBinary(text) }),
      () => ({ status: res.status, headers }),
    )
}
