/**
 * File naming. Diagnostics name files relative to the current directory (what the user typed);
 * the bundle names its sources relative to the entry file's directory, or as `${NAME}/...` when
 * the file lies under a define's directory (e.g. `${CRS_DIR}/rules/REQUEST-901-...conf`), so that
 * the bundle does not depend on where the machine keeps the files.
 */
import { createHash } from 'node:crypto'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import type { SourceFile } from '../bundle/schema'
import type { CompileState } from './state'

function inside(base: string, abs: string): string | undefined {
  const rel = relative(base, abs)
  if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).join('/')
  return undefined
}

/** Name for diagnostics: relative to the current directory when that is shorter. */
export function displayPath(absPath: string): string {
  const rel = relative(process.cwd(), absPath).split(sep).join('/')
  return rel.length < absPath.length ? rel : absPath
}

/** Name recorded in the bundle. */
export function sourceName(state: CompileState, absPath: string): string {
  const own = inside(state.baseDir, absPath)
  if (own !== undefined) return own
  let best: { name: string; len: number } | undefined
  for (const [name, value] of Object.entries(state.defines).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (value === '') continue
    const rel = inside(resolve(value), absPath)
    if (rel !== undefined && (best === undefined || value.length > best.len)) best = { name: `\${${name}}/${rel}`, len: value.length }
  }
  return best?.name ?? absPath.split(sep).join('/')
}

/** Register a file (once) and return its index in bundle.sources. */
export function registerSource(state: CompileState, absPath: string, bytes: Uint8Array, kind: SourceFile['kind']): number {
  const existing = state.sourceIndex.get(absPath)
  if (existing !== undefined) return existing
  const idx = state.sources.length
  state.sources.push({ path: sourceName(state, absPath), sha256: createHash('sha256').update(bytes).digest('hex'), kind })
  state.sourceIndex.set(absPath, idx)
  return idx
}
