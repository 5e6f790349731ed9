/** The sink's settings (wrangler vars, see auditSettings). */
export interface AuditSettings {
  /** request/response bodies in the record: at most this many bytes (AUDIT_BODY_LIMIT, 65536) */
  bodyLimit: number
  /** header values always masked (AUDIT_MASK_HEADERS; "none" masks nothing beyond sanitise*) */
  maskHeaders: string[]
  /** an uploaded file larger than this is not kept (AUDIT_FILE_LIMIT, 1 MiB) */
  fileLimit: number
  /** at most this many bytes of files kept per transaction (AUDIT_FILES_LIMIT, 10 MiB) */
  filesLimit: number
  /** retries of a failed put (3) and the first delay (100 ms, doubling) */
  retries: number
  retryDelayMs: number
}

export const DEFAULT_AUDIT_SETTINGS: AuditSettings = {
  bodyLimit: 65536,
  maskHeaders: ['Authorization', 'Proxy-Authorization', 'Cookie', 'Set-Cookie'],
  fileLimit: 1048576,
  filesLimit: 10485760,
  retries: 3,
  retryDelayMs: 100,
}

function intVar(v: string | undefined, fallback: number): number {
  if (v === undefined || v.trim() === '') return fallback
  const n = Number(v.trim())
  return Number.isInteger(n) && n >= 0 ? n : fallback
}

/** Settings from the Worker's vars; invalid numbers fall back to the defaults. */
export function auditSettings(vars: {
  AUDIT_BODY_LIMIT?: string
  AUDIT_MASK_HEADERS?: string
  AUDIT_FILE_LIMIT?: string
  AUDIT_FILES_LIMIT?: string
}): AuditSettings {
  const mask = vars.AUDIT_MASK_HEADERS
  return {
    ...DEFAULT_AUDIT_SETTINGS,
    bodyLimit: intVar(vars.AUDIT_BODY_LIMIT, DEFAULT_AUDIT_SETTINGS.bodyLimit),
    fileLimit: intVar(vars.AUDIT_FILE_LIMIT, DEFAULT_AUDIT_SETTINGS.fileLimit),
    filesLimit: intVar(vars.AUDIT_FILES_LIMIT, DEFAULT_AUDIT_SETTINGS.filesLimit),
    maskHeaders:
      mask === undefined
        ? DEFAULT_AUDIT_SETTINGS.maskHeaders
        : mask.trim().toLowerCase() === 'none'
          ? []
          : mask
              .split(',')
              .map((s) => s.trim())
              .filter((s) => s !== ''),
  }
}
