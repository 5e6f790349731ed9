import type { BinaryString } from '../bytes'
import { charRef, isXmlSpace, nameEnd, skipSpace } from './xml-text'

/** XML prolog pieces for xml.ts: comments, processing instructions, DOCTYPE and entity declarations. */

export interface Entity {
  value: BinaryString
  external: boolean
}

export function comment(s: BinaryString, p: number): number {
  const end = s.indexOf('--', p + 4)
  if (end < 0 || s.charCodeAt(end + 2) !== 0x3e) return -1
  return end + 3
}

export function pi(s: BinaryString, p: number): number {
  const ne = nameEnd(s, p + 2)
  if (ne === p + 2) return -1
  if (
    ne - p - 2 === 3 &&
    (s.charCodeAt(p + 2) | 0x20) === 0x78 &&
    (s.charCodeAt(p + 3) | 0x20) === 0x6d &&
    (s.charCodeAt(p + 4) | 0x20) === 0x6c
  )
    return -1
  const end = s.indexOf('?>', ne)
  if (end < 0 || (end > ne && !isXmlSpace(s.charCodeAt(ne)))) return -1
  return end + 2
}

/** after "<!DOCTYPE"; returns the position after '>' */
export function doctype(s: BinaryString, p: number, ents: Map<string, Entity>): number {
  const q = skipSpace(s, p)
  if (q === p) return -1
  p = nameEnd(s, q)
  if (p === q) return -1
  p = externalId(s, skipSpace(s, p))
  if (p < 0) return -1
  p = skipSpace(s, p)
  if (s.charCodeAt(p) === 0x5b) {
    p = internalSubset(s, p + 1, ents)
    if (p < 0) return -1
    p = skipSpace(s, p)
  }
  return s.charCodeAt(p) === 0x3e ? p + 1 : -1
}

/** optional SYSTEM "x" / PUBLIC "x" "y"; returns the position after it (p when absent) */
function externalId(s: BinaryString, p: number): number {
  let literals = 0
  if (s.startsWith('SYSTEM', p)) literals = 1
  else if (s.startsWith('PUBLIC', p)) literals = 2
  else return p
  p += 6
  for (let i = 0; i < literals; i++) {
    const q = skipSpace(s, p)
    if (q === p) return -1
    p = literal(s, q)
    if (p < 0) return -1
  }
  return p
}

/** a quoted literal at p; returns the position after the closing quote */
export function literal(s: BinaryString, p: number): number {
  const quote = s[p]
  if (quote !== '"' && quote !== "'") return -1
  const end = s.indexOf(quote, p + 1)
  return end < 0 ? -1 : end + 1
}

function internalSubset(s: BinaryString, p: number, ents: Map<string, Entity>): number {
  for (;;) {
    p = skipSpace(s, p)
    if (p >= s.length) return -1
    if (s.charCodeAt(p) === 0x5d) return p + 1
    if (s.startsWith('<!ENTITY', p)) p = entityDecl(s, p + 8, ents)
    else if (s.startsWith('<!--', p)) p = comment(s, p)
    else if (s.startsWith('<?', p)) p = pi(s, p)
    else if (s.startsWith('<!', p)) p = skipMarkupDecl(s, p + 2)
    else if (s.charCodeAt(p) === 0x25) {
      const ne = nameEnd(s, p + 1)
      p = ne > p + 1 && s.charCodeAt(ne) === 0x3b ? ne + 1 : -1
    } else return -1
    if (p < 0) return -1
  }
}

/** ELEMENT / ATTLIST / NOTATION: to the closing '>' outside quotes */
function skipMarkupDecl(s: BinaryString, p: number): number {
  while (p < s.length) {
    const c = s.charCodeAt(p)
    if (c === 0x3e) return p + 1
    if (c === 0x22 || c === 0x27) {
      p = literal(s, p)
      if (p < 0) return -1
    } else p++
  }
  return -1
}

function entityDecl(s: BinaryString, p: number, ents: Map<string, Entity>): number {
  let q = skipSpace(s, p)
  if (q === p) return -1
  let parameter = false
  if (s.charCodeAt(q) === 0x25) {
    parameter = true
    p = q + 1
    q = skipSpace(s, p)
    if (q === p) return -1
  }
  p = nameEnd(s, q)
  if (p === q) return -1
  const name = s.slice(q, p)
  q = skipSpace(s, p)
  if (q === p) return -1
  let ent: Entity
  if (s.charCodeAt(q) === 0x22 || s.charCodeAt(q) === 0x27) {
    p = literal(s, q)
    if (p < 0) return -1
    const value = entityValue(s.slice(q + 1, p - 1))
    if (value === undefined) return -1
    ent = { value, external: false }
  } else {
    p = externalId(s, q)
    if (p === q || p < 0) return -1
    const r = skipSpace(s, p)
    if (s.startsWith('NDATA', r)) p = nameEnd(s, skipSpace(s, r + 5))
    ent = { value: '', external: true }
  }
  p = skipSpace(s, p)
  if (s.charCodeAt(p) !== 0x3e) return -1
  if (!parameter && !ents.has(name)) ents.set(name, ent)
  return p + 1
}

/** replace character references of an entity literal; general references stay for later */
function entityValue(v: BinaryString): BinaryString | undefined {
  if (v.indexOf('%') >= 0) return undefined
  let out = ''
  let run = 0
  for (let i = v.indexOf('&'); i >= 0; i = v.indexOf('&', i + 1)) {
    const semi = v.indexOf(';', i)
    if (semi < 0) return undefined
    const ref = v.slice(i + 1, semi)
    if (ref.startsWith('#')) {
      const ch = charRef(ref)
      if (ch === undefined) return undefined
      out += v.slice(run, i) + ch
      run = semi + 1
    } else if (ref.length === 0 || nameEnd(ref, 0) !== ref.length) return undefined
  }
  return out + v.slice(run)
}
