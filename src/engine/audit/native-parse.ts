/**
 * Reads native audit records (ours or ModSecurity 2.9's serial log, one or many records) back
 * into sections and fields: the round-trip tests, `waf audit get` filters and the comparison
 * with 2.9.7's output use it. Tolerant: unknown sections and H lines are kept as they are.
 */

export interface NativeSection {
  letter: string
  /**
   * the section's text between its separator line and the next one, without the line break
   * that ends it: a body section's text is the body itself ("ok\n" for a body "ok\n")
   */
  text: string
}

export interface NativeRecord {
  boundary: string
  sections: NativeSection[]
}

const SEPARATOR = /^--([0-9a-fA-F]+)-([A-Z])--$/

/** Split a text holding one or more native records into records and sections. */
export function parseNativeRecords(text: string): NativeRecord[] {
  const records: NativeRecord[] = []
  let current: NativeRecord | undefined
  let section: { letter: string; lines: string[] } | undefined
  const close = (): void => {
    if (current !== undefined && section !== undefined) {
      current.sections.push({ letter: section.letter, text: section.lines.join('\n') })
    }
    section = undefined
  }
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    const m = SEPARATOR.exec(line)
    // a separator of the current record, or the A separator that starts the next one
    if (m !== null && (m[2] === 'A' || (current !== undefined && m[1] === current.boundary))) {
      close()
      const boundary = m[1] as string
      const letter = m[2] as string
      if (letter === 'A' || current === undefined) {
        current = { boundary, sections: [] }
        records.push(current)
      }
      if (letter === 'Z') {
        current.sections.push({ letter: 'Z', text: '' })
        current = undefined
        continue
      }
      section = { letter, lines: [] }
      continue
    }
    section?.lines.push(line)
  }
  close()
  return records
}

export function section(r: NativeRecord, letter: string): string | undefined {
  return r.sections.find((s) => s.letter === letter)?.text
}

export interface PartA {
  timestamp: string
  uniqueId: string
  clientAddress: string
  clientPort: number
  serverAddress: string
  serverPort: number
}

export function parsePartA(text: string): PartA | undefined {
  const m = /^\[([^\]]+)\] (\S+) (\S+) (\d+) (\S+) (\d+)$/.exec(text.trim())
  if (m === null) return undefined
  return {
    timestamp: m[1] as string,
    uniqueId: m[2] as string,
    clientAddress: m[3] as string,
    clientPort: Number(m[4]),
    serverAddress: m[5] as string,
    serverPort: Number(m[6]),
  }
}

function headerList(lines: string[]): [string, string][] {
  const out: [string, string][] = []
  for (const l of lines) {
    if (l === '') break
    const c = l.indexOf(': ')
    out.push(c < 0 ? [l, ''] : [l.slice(0, c), l.slice(c + 2)])
  }
  return out
}

export function parsePartB(text: string): { requestLine: string; headers: [string, string][] } {
  const lines = text.split('\n')
  return { requestLine: lines[0] ?? '', headers: headerList(lines.slice(1)) }
}

export function parsePartF(text: string): {
  protocol: string
  status: number
  reason: string
  headers: [string, string][]
} {
  const lines = text.split('\n')
  const m = /^(\S+) (\d{3})(?: (.*))?$/.exec(lines[0] ?? '')
  return {
    protocol: m?.[1] ?? '',
    status: m === null ? 0 : Number(m[2]),
    reason: m?.[3] ?? '',
    headers: headerList(lines.slice(1)),
  }
}

/** Part H as [name, value] lines, in order ("Message" repeats). */
export function parsePartH(text: string): [string, string][] {
  const out: [string, string][] = []
  for (const l of text.split('\n')) {
    if (l === '') continue
    const c = l.indexOf(': ')
    out.push(c < 0 ? [l, ''] : [l.slice(0, c), l.slice(c + 2)])
  }
  return out
}

export interface PartJFile {
  index: number
  size: number
  name: string
  contentType: string
  stored?: string
}

/** Part J: file lines and the total (quoted fields with \" escapes). */
export function parsePartJ(text: string): { files: PartJFile[]; total: number } {
  const files: PartJFile[] = []
  let total = 0
  for (const l of text.split('\n')) {
    if (l === '') continue
    const t = /^Total,(\d+)$/.exec(l)
    if (t !== null) {
      total = Number(t[1])
      continue
    }
    const m = /^(\d+),(\d+),"((?:[^"\\]|\\.)*)","((?:[^"\\]|\\.)*)"(?:,"([^"]*)")?$/.exec(l)
    if (m === null) continue
    const f: PartJFile = {
      index: Number(m[1]),
      size: Number(m[2]),
      name: m[3] as string,
      contentType: m[4] as string,
    }
    if (m[5] !== undefined) f.stored = m[5]
    files.push(f)
  }
  return { files, total }
}

/** Part K: the matched rules, each as its lines (starter first, then chain links). */
export function parsePartK(text: string): string[][] {
  const out: string[][] = []
  let cur: string[] = []
  for (const l of text.split('\n')) {
    if (l === '') {
      if (cur.length > 0) out.push(cur)
      cur = []
    } else cur.push(l)
  }
  if (cur.length > 0) out.push(cur)
  return out
}
