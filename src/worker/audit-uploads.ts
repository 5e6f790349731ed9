import { auditFileKey, keepUploads } from '../engine/audit/index'
import { binaryToBytes, type Transaction } from '../engine/index'
import { errorText, putWithRetry, type AuditBucket } from './audit-bucket'
import { fileMetadata } from './audit-metadata'
import type { AuditSettings } from './audit-settings'

/** Per uploaded file (1-based, body order): the key it was stored under, or why it was not stored. */
export type KeptFiles = Map<number, { stored?: string; notStored?: string }>

/**
 * The uploaded files kept with the record (SecUploadKeepFiles), one object each under the
 * record's key (auditFileKey), within AUDIT_FILE_LIMIT / AUDIT_FILES_LIMIT. `relevant` is the
 * audit decision's; `fail` logs a file that could not be written.
 */
export async function writeUploads(
  tx: Transaction,
  relevant: boolean,
  bucket: AuditBucket,
  key: string,
  settings: AuditSettings,
  fail: (what: string) => void,
): Promise<KeptFiles> {
  const s = tx.state
  const id = s.uniqueId
  const files: KeptFiles = new Map()
  const mp = s.bodyResult?.multipart
  if (mp !== undefined && mp.files.length > 0 && keepUploads(tx, relevant)) {
    let total = 0
    for (let i = 0; i < mp.files.length; i++) {
      const f = mp.files[i]
      if (f === undefined) continue
      const n = i + 1
      if (f.content === undefined) files.set(n, { notStored: 'contents not kept by the body processor' })
      else if (f.content.length > settings.fileLimit)
        files.set(n, { notStored: 'over AUDIT_FILE_LIMIT (' + settings.fileLimit + ' bytes)' })
      else if (total + f.content.length > settings.filesLimit)
        files.set(n, { notStored: 'over AUDIT_FILES_LIMIT (' + settings.filesLimit + ' bytes)' })
      else {
        total += f.content.length
        const fkey = auditFileKey(key, n)
        const failed = await putWithRetry(
          bucket,
          fkey,
          binaryToBytes(f.content),
          {
            httpMetadata: { contentType: 'application/octet-stream' },
            customMetadata: fileMetadata(id, key, f),
          },
          settings,
        )
        if (failed === undefined) files.set(n, { stored: fkey })
        else {
          files.set(n, { notStored: 'write failed' })
          fail(
            'uploaded file not written to R2 after ' +
              failed.attempts +
              ' attempts (' +
              fkey +
              '): ' +
              errorText(failed.error),
          )
        }
      }
    }
  }
  return files
}
