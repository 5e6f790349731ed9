/**
 * The R2 side of the audit log: the bucket methods the sink uses (AuditBucket), so tests can pass
 * doubles (no Workers-only types here), and the put that retries (putWithRetry).
 */
import { logEscape } from '../engine/log-escape'
import type { AuditSettings } from './audit-settings'

export interface AuditPutOptions {
  httpMetadata?: { contentType?: string }
  customMetadata?: Record<string, string>
}

export interface AuditObject {
  key: string
  size: number
  uploaded: Date
  customMetadata?: Record<string, string>
}

export interface AuditBucket {
  put(key: string, value: ArrayBuffer | ArrayBufferView | string, options?: AuditPutOptions): Promise<unknown>
  get(
    key: string,
  ): Promise<
    (AuditObject & { arrayBuffer(): Promise<ArrayBuffer>; httpMetadata?: { contentType?: string } }) | null
  >
  list(options?: {
    prefix?: string
    cursor?: string
    limit?: number
    include?: ('httpMetadata' | 'customMetadata')[]
  }): Promise<{ objects: AuditObject[]; truncated: boolean; cursor?: string }>
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** put with retries; resolves with the last error when every attempt failed, undefined on success */
export async function putWithRetry(
  bucket: AuditBucket,
  key: string,
  value: Uint8Array,
  options: AuditPutOptions,
  settings: AuditSettings,
): Promise<{ error: unknown; attempts: number } | undefined> {
  let error: unknown
  const attempts = settings.retries + 1
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await sleep(settings.retryDelayMs * 2 ** (i - 1))
    try {
      await bucket.put(key, value, options)
      return undefined
    } catch (e) {
      error = e
    }
  }
  return { error, attempts }
}

/** A failed put's error for the log line. */
export function errorText(e: unknown): string {
  return logEscape(e instanceof Error ? e.name + ': ' + e.message : String(e))
}
