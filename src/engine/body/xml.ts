import type { BinaryString } from '../bytes'
import type { BodyContext, BodyResult, XmlDocument } from './types'
import {
  PREDEFINED,
  charRef,
  isXmlSpace,
  latin1ToUtf8,
  nameEnd,
  normalizeNewlines,
  skipSpace,
  validUtf8XmlChars,
} from './xml-text'
import { comment, doctype, literal, pi, type Entity } from './xml-doctype'

/**
 * XML body processor. ModSecurity 2.9.7 parses with libxml2 and only exposes the tree through
 * XML:xpath; CRS uses XML:/* (xmlNodeGetContent of the root: every text and CDATA descendant in
 * document order, entities replaced) and XML://@* (every attribute value, namespace
 * declarations excluded). We compute exactly those two at parse time (see XmlDocument).
 *
 * Our own strict, non-recursive-in-input well-formedness scanner (fast-xml-parser's validator
 * accepts two roots, text after the root, '<' in attribute values, control characters, invalid
 * UTF-8 and undefined entities, all of which libxml2 rejects; see test/vectors/body/xml.json).
 * Checked as libxml2 does: UTF-8 (or a declared ISO-8859-1, converted to UTF-8), XML Chars only,
 * one root, balanced tags, quoted attributes without '<', no duplicate attributes, known
 * entities, "]]>" and "--" rules, nesting deeper than 256 elements rejected.
 * Entities: predefined and character references; internal entities declared in the DOCTYPE are
 * replaced (their text may hold markup); external entities and DTDs are never loaded (an
 * external entity contributes nothing, as in v2 with SecXmlExternalEntity Off); expansion is
 * capped like libxml2's amplification guard (more than 1000 bytes and more than ten times the
 * document is an error), recursion is an error.
 * Any failure gives "XML parser error: XML: Failed parsing document." (v2's text; v2 then
 * aborts with HTTP 500 before phase 2, we report REQBODY_ERROR). An empty body is no document
 * and no error.
 * Deviation: encodings other than UTF-8, US-ASCII and ISO-8859-1 (and UTF-16 byte order marks)
 * are rejected; libxml2 converts them with iconv.
 */

export const XML_FAILED_MSG = 'XML parser error: XML: Failed parsing document.'
const MAX_DEPTH = 256
const MAX_ENTITY_NESTING = 40

const DECL_ENCODING = /\sencoding\s*=\s*["']([A-Za-z0-9._-]*)["']/
const DECL_VERSION = /^<\?xml\s+version\s*=\s*["']1\.[0-9]+["']/

class XmlScanner {
  s: BinaryString = ''
  readonly ents = new Map<string, Entity>()
  readonly expanding = new Set<string>()
  readonly texts: BinaryString[] = []
  readonly attrs: BinaryString[] = []
  readonly stack: string[] = []
  expanded = 0
  docLength = 0

  /** the whole document; false when not well-formed */
  parse(body: BinaryString): boolean {
    let s = body
    if (s.startsWith('\xef\xbb\xbf')) s = s.slice(3)
    else if (s.startsWith('\xfe\xff') || s.startsWith('\xff\xfe')) return false
    if (s.startsWith('<?xml') && s.length > 5 && isXmlSpace(s.charCodeAt(5))) {
      const end = s.indexOf('?>')
      if (end < 0) return false
      const decl = s.slice(0, end)
      if (!DECL_VERSION.test(decl)) return false
      const enc = DECL_ENCODING.exec(decl)?.[1]?.toLowerCase()
      if (enc === 'iso-8859-1' || enc === 'latin1' || enc === 'iso_8859-1' || enc === 'iso-latin-1') {
        s = latin1ToUtf8(s)
      } else if (
        enc !== undefined &&
        enc !== 'utf-8' &&
        enc !== 'utf8' &&
        enc !== 'us-ascii' &&
        enc !== 'ascii'
      ) {
        return false
      }
      if ((enc === 'us-ascii' || enc === 'ascii') && /[\x80-\xff]/.test(s)) return false
      s = s.slice(end + 2)
    }
    if (!validUtf8XmlChars(s)) return false
    s = normalizeNewlines(s)
    this.s = s
    this.docLength = s.length
    let p = this.misc(0)
    if (s.startsWith('<!DOCTYPE', p)) {
      p = doctype(s, p + 9, this.ents)
      if (p < 0) return false
      p = this.misc(p)
    }
    if (p < 0 || s.charCodeAt(p) !== 0x3c) return false
    p = this.startTag(s, p)
    if (p < 0) return false
    if (this.stack.length > 0) p = this.content(s, p, 0)
    if (p < 0) return false
    p = this.misc(p)
    return p === s.length
  }

  /** comments, PIs and whitespace; returns the first other position, -1 on error */
  misc(p: number): number {
    const s = this.s
    for (;;) {
      p = skipSpace(s, p)
      if (s.startsWith('<!--', p)) p = comment(s, p)
      else if (s.startsWith('<?', p)) p = pi(s, p)
      else return p
      if (p < 0) return -1
    }
  }

  /** a reference at p ('&'): [replacement, entity or undefined, position after ';'] */
  reference(s: BinaryString, p: number): [BinaryString, Entity | undefined, string, number] | undefined {
    const semi = s.indexOf(';', p)
    if (semi < 0) return undefined
    const ref = s.slice(p + 1, semi)
    if (ref.startsWith('#')) {
      const ch = charRef(ref)
      return ch === undefined ? undefined : [ch, undefined, '', semi + 1]
    }
    if (ref.length === 0 || nameEnd(ref, 0) !== ref.length) return undefined
    const pre = PREDEFINED[ref]
    if (pre !== undefined) return [pre, undefined, '', semi + 1]
    const ent = this.ents.get(ref)
    if (ent === undefined || this.expanding.has(ref) || this.expanding.size >= MAX_ENTITY_NESTING)
      return undefined
    this.expanded += ent.value.length
    if (this.expanded > 1000 && this.expanded > 10 * this.docLength) return undefined
    return [ent.value, ent, ref, semi + 1]
  }

  /** '<' Name at p: attributes, '>' or '/>'; pushes the element unless empty */
  startTag(s: BinaryString, p: number): number {
    const ne = nameEnd(s, p + 1)
    if (ne === p + 1) return -1
    if (this.stack.length > MAX_DEPTH) return -1
    const name = s.slice(p + 1, ne)
    p = ne
    const seen: string[] = []
    for (;;) {
      const q = skipSpace(s, p)
      if (s.startsWith('/>', q)) return q + 2
      if (s.charCodeAt(q) === 0x3e) {
        this.stack.push(name)
        return q + 1
      }
      if (q === p) return -1
      const an = nameEnd(s, q)
      if (an === q) return -1
      const aname = s.slice(q, an)
      if (seen.includes(aname)) return -1
      seen.push(aname)
      p = skipSpace(s, an)
      if (s.charCodeAt(p) !== 0x3d) return -1
      p = skipSpace(s, p + 1)
      const end = literal(s, p)
      if (end < 0) return -1
      const value = this.attrValue(s.slice(p + 1, end - 1))
      if (value === undefined) return -1
      // XPath //@* does not descend into entity references (libxml2 keeps their nodes apart)
      if (aname !== 'xmlns' && !aname.startsWith('xmlns:') && this.expanding.size === 0)
        this.attrs.push(value)
      p = end
    }
  }

  /** attribute value normalisation (whitespace -> space, references replaced) */
  attrValue(v: BinaryString): BinaryString | undefined {
    if (v.indexOf('<') >= 0) return undefined
    let out = ''
    let run = 0
    const n = v.length
    for (let i = 0; i < n; i++) {
      const c = v.charCodeAt(i)
      if (c === 0x09 || c === 0x0a || c === 0x0d) {
        out += v.slice(run, i) + ' '
        run = i + 1
      } else if (c === 0x26) {
        const r = this.reference(v, i)
        if (r === undefined) return undefined
        let rep = r[0]
        if (r[1] !== undefined) {
          if (r[1].external) return undefined
          this.expanding.add(r[2])
          const inner = this.attrValue(rep)
          this.expanding.delete(r[2])
          if (inner === undefined) return undefined
          rep = inner
        }
        out += v.slice(run, i) + rep
        run = r[3]
        i = r[3] - 1
      }
    }
    return run === 0 ? v : out + v.slice(run)
  }

  /** element content until the stack is back to `base` (after an end tag) or the end of s */
  content(s: BinaryString, p: number, base: number): number {
    const n = s.length
    while (p < n) {
      let q = p
      while (q < n) {
        const c = s.charCodeAt(q)
        if (c === 0x3c || c === 0x26) break
        q++
      }
      if (q > p) {
        const text = s.slice(p, q)
        if (text.indexOf(']]>') >= 0) return -1
        this.texts.push(text)
      }
      if (q >= n) break
      if (s.charCodeAt(q) === 0x26) {
        const r = this.reference(s, q)
        if (r === undefined) return -1
        const ent = r[1]
        if (ent === undefined) this.texts.push(r[0])
        else if (!ent.external) {
          const depth = this.stack.length
          this.expanding.add(r[2])
          const end = this.content(ent.value, 0, -1)
          this.expanding.delete(r[2])
          if (end < 0 || this.stack.length !== depth) return -1
        }
        p = r[3]
        continue
      }
      if (s.startsWith('</', q)) {
        const ne = nameEnd(s, q + 2)
        const e = skipSpace(s, ne)
        if (ne === q + 2 || s.charCodeAt(e) !== 0x3e || this.stack.length === 0) return -1
        if (this.stack.pop() !== s.slice(q + 2, ne)) return -1
        p = e + 1
        if (this.stack.length === base) return p
      } else if (s.startsWith('<!--', q)) p = comment(s, q)
      else if (s.startsWith('<![CDATA[', q)) {
        const end = s.indexOf(']]>', q + 9)
        if (end < 0) return -1
        this.texts.push(s.slice(q + 9, end))
        p = end + 3
      } else if (s.startsWith('<?', q)) p = pi(s, q)
      else p = this.startTag(s, q)
      if (p < 0) return -1
    }
    // the end of an entity's text is fine; the end of the document inside the root is not
    return base < 0 ? n : -1
  }
}

export function parseXml(body: BinaryString): XmlDocument | undefined {
  const x = new XmlScanner()
  if (!x.parse(body)) return undefined
  return { text: x.texts.length === 1 ? (x.texts[0] ?? '') : x.texts.join(''), attributes: x.attrs }
}

export function processXml(body: BinaryString, _ctx: BodyContext): BodyResult {
  const r: BodyResult = { args: [], argsOrigin: 'BODY', error: false, errorMsg: '', urlencodedError: false }
  if (body.length === 0) return r
  const doc = parseXml(body)
  if (doc === undefined) {
    r.error = true
    r.errorMsg = XML_FAILED_MSG
  } else r.xml = doc
  return r
}
