/**
 * Compile diagnostics: every error and warning carries file:line:col and the offending excerpt,
 * and is printed as `file:line:col: error: message` (never a stack trace).
 */

export interface Position {
  file: string
  /** 1-based */
  line: number
  /** 1-based */
  col: number
}

export type Severity = 'error' | 'warning'

export interface Diagnostic extends Position {
  severity: Severity
  message: string
  /** the source line (or part of it) the diagnostic points at */
  excerpt?: string
}

/** Thrown for the first fatal problem in a file; caught by the compiler driver. */
export class CompileError extends Error {
  readonly diagnostic: Diagnostic
  constructor(pos: Position, message: string, excerpt?: string) {
    super(message)
    this.name = 'CompileError'
    this.diagnostic = { ...pos, severity: 'error', message, ...(excerpt !== undefined ? { excerpt } : {}) }
  }
}

/** Make a one-line excerpt: control characters escaped, long lines cut around the column. */
export function makeExcerpt(line: string, col: number): string {
  let start = 0
  let text = line
  if (text.length > 160) {
    start = Math.max(0, col - 60)
    text = (start > 0 ? '…' : '') + text.slice(start, start + 150) + (start + 150 < line.length ? '…' : '')
  }
  return text.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

export function formatDiagnostic(d: Diagnostic): string {
  let out = `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`
  if (d.excerpt !== undefined && d.excerpt.length > 0) out += `\n    ${d.excerpt}`
  return out
}
