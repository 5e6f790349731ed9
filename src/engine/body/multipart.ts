import type { BinaryString } from '../bytes'
import type { Arg, BodyContext, BodyResult, MultipartFile, MultipartResult } from './types'
import { isCSpace, parseBoundary } from './multipart-content-type'
import { parseDisposition, type DispositionState } from './multipart-disposition'
import { logEscapeNq } from '../log-escape'
import { ARGUMENTS_LIMIT_MSG } from './urlencoded'
import {
  cLen,
  flagsOf,
  headerIndex,
  newFlags,
  newPart,
  stripLineEnd,
  type Flags,
  type Part,
} from './multipart-part'

/**
 * MULTIPART body processor: our own strict parser, modelled on the behaviour of ModSecurity
 * 2.9.7's msc_multipart.c (recorded in test/vectors/body/multipart.json).
 *
 * v2 reads the body in "chunks": a line (up to and including '\n') or 4096 bytes, whichever
 * comes first, never ending a chunk with a '\r' that a full buffer would split from its '\n'.
 * Boundaries are only recognised in a chunk that starts a line. Within a part, the line ending
 * before a boundary belongs to the boundary (the "reserve"). Since 2.9.6 (CVE-2022-48279) a
 * boundary line is only honoured when the current part already has data: a boundary right after
 * the part headers (or inside them) is kept as data and sets MULTIPART_INVALID_PART.
 *
 * Deviations from v2, on purpose:
 * - v2 reads the body in network-sized pieces; when the final boundary ends one piece and more
 *   data follows, it sets MULTIPART_DATA_BEFORE as well as DATA_AFTER. We see the whole body at
 *   once and set DATA_AFTER only (both are in MULTIPART_STRICT_ERROR).
 * - v2 counts files against SecUploadFileLimit only when it extracts them (SecUploadKeepFiles
 *   On/RelevantOnly, @inspectFile), so with default settings the limit never applies; and it
 *   re-checks the limit on every data line, flagging a file that was already counted. We count
 *   every file part once, when its first data line arrives, and flag the first one over the limit.
 * - v2 aborts the request (HTTP 500, phase 2 never runs) for "Final boundary missing" and "No
 *   boundaries found in payload"; we report them as REQBODY_ERROR like every other error.
 */

const BUF = 4096

class MultipartParser {
  readonly f: Flags = newFlags()
  errorMsg = ''
  readonly parts: Part[] = []
  cur: Part | null = null
  headersDone = false
  dataRead = false
  lastHeader = -1
  reserve = ''
  boundaryCount = 0
  complete = false
  nfiles = 0
  /** SecRequestBodyNoFilesLimit count: header lines and non-file values (BodyResult.noFilesLength) */
  noFiles = 0
  readonly disp: DispositionState = {
    name: undefined,
    filename: undefined,
    invalidQuoting: false,
    lastName: undefined,
    lastFilename: undefined,
  }

  /** "--" + boundary */
  readonly dashBoundary: BinaryString

  constructor(
    readonly boundary: BinaryString,
    readonly fileLimit: number,
    readonly extract: boolean,
    readonly keepContents: boolean,
  ) {
    this.dashBoundary = '--' + boundary
  }

  fail(msg: string): void {
    this.f.error = true
    this.errorMsg = 'Multipart parsing error: ' + msg
  }

  matchAt(line: BinaryString, pos: number, clen: number): boolean {
    return pos + this.boundary.length <= clen && line.startsWith(this.boundary, pos)
  }

  /** One v2 chunk. startsLine: the previous chunk ended with '\n'. */
  chunk(line: BinaryString, startsLine: boolean): void {
    const b = this.boundary
    const clen = cLen(line)
    let asBoundary = false
    if (startsLine && clen > 3 && line.charCodeAt(0) === 0x2d && line.charCodeAt(1) === 0x2d) {
      if (clen >= b.length + 2 && line.startsWith(b, 2)) {
        if (this.cur !== null && !this.dataRead) {
          // 2.9.6+: a boundary where part data should begin is data, and an invalid part
          this.f.invalidPart = true
        } else {
          let end = 2 + b.length
          let isFinal = false
          if (line.charCodeAt(end) === 0x2d && line.charCodeAt(end + 1) === 0x2d) {
            isFinal = true
            end += 2
          }
          const rest = line.length - end
          const crlf = rest === 2 && line.charCodeAt(end) === 0x0d && line.charCodeAt(end + 1) === 0x0a
          const lf = rest === 1 && line.charCodeAt(end) === 0x0a
          if (!crlf && !lf) {
            this.fail('Multipart: Invalid boundary: ' + logEscapeNq(line.slice(0, clen)))
            return
          }
          if (lf) this.f.lfLine = true
          else this.f.crlfLine = true
          if (this.cur !== null && this.reserve === '\n') this.f.lfLine = true
          this.boundaryDone(isFinal)
          if (isFinal) this.complete = true
          asBoundary = true
          this.boundaryCount++
        }
      } else {
        if (this.f.quoted && line.charCodeAt(2) === 0x22 && this.matchAt(line, 3, clen)) {
          this.fail('Multipart: Invalid boundary (quotes).')
          return
        }
        let p = 2
        while (p < clen && isCSpace(line.charCodeAt(p))) p++
        if (p !== 2 && this.matchAt(line, p, clen)) {
          this.fail('Multipart: Invalid boundary (whitespace).')
          return
        }
        this.f.unmatched = true
      }
    } else if (startsLine && line.indexOf(this.dashBoundary) >= 0) {
      this.f.unmatched = true
    }
    if (asBoundary) return
    if (this.cur === null) this.f.dataBefore = true
    else if (!this.headersDone) {
      if (line.charCodeAt(line.length - 1) !== 0x0a)
        this.fail(`Multipart: Part header line over ${BUF} bytes long`)
      else this.header(this.cur, line)
    } else this.data(this.cur, line)
  }

  header(p: Part, line: BinaryString): void {
    if (line.indexOf('\0') >= 0) return this.fail('Multipart: Nul byte in part headers.')
    const len = line.length
    this.noFiles += len
    if (len > 1 && line.charCodeAt(len - 2) === 0x0d) this.f.crlfLine = true
    else this.f.lfLine = true
    if (line === '\r\n' || line === '\n') return this.headersEnd(p)
    if (isCSpace(line.charCodeAt(0))) {
      this.f.folding = true
      const h = p.headers[this.lastHeader]
      if (h === undefined) return this.fail('Multipart: Invalid part header (folding error).')
      let i = 0
      while (i < len && isCSpace(line.charCodeAt(i))) {
        const c = line.charCodeAt(i)
        if (c !== 0x20 && c !== 0x09) this.f.invalidFolding = true
        i++
      }
      const more = stripLineEnd(line.slice(i))
      h[1] = h[1] + ' ' + more
      p.lines[p.lines.length - 1] += ' ' + more
      if (h[1].length > BUF) this.fail('Multipart: Part header too long.')
      return
    }
    const colon = line.indexOf(':')
    if (colon < 0) return this.fail(`Multipart: Invalid part header (colon missing): ${logEscapeNq(line)}.`)
    if (colon === 0) return this.fail('Multipart: Invalid part header (header name missing).')
    const name = line.slice(0, colon)
    let v = colon + 1
    while (v < len && (line.charCodeAt(v) === 0x20 || line.charCodeAt(v) === 0x09)) v++
    if (headerIndex(p, name) >= 0) return this.fail(`Multipart: Duplicate part header: ${logEscapeNq(name)}.`)
    p.headers.push([name, stripLineEnd(line.slice(v))])
    p.lines.push(stripLineEnd(line))
    this.lastHeader = p.headers.length - 1
  }

  headersEnd(p: Part): void {
    const i = headerIndex(p, 'Content-Disposition')
    const cd = p.headers[i]
    if (cd === undefined) return this.fail('Multipart: Part missing Content-Disposition header.')
    const d = this.disp
    d.name = undefined
    d.filename = undefined
    const rc = parseDisposition(cd[1], d)
    if (d.invalidQuoting) this.f.invalidQuoting = true
    if (rc < 0)
      return this.fail(`Multipart: Invalid Content-Disposition header (${rc}): ${logEscapeNq(cd[1])}.`)
    if (d.name === undefined) return this.fail('Multipart: Content-Disposition header missing name field.')
    p.name = d.name
    if (d.filename !== undefined) {
      if (cd[1].indexOf('filename=') < 0)
        return this.fail('Multipart: Invalid Content-Disposition header (filename).')
      p.filename = d.filename
      p.isFile = true
    }
    this.headersDone = true
    this.lastHeader = -1
  }

  data(p: Part, line: BinaryString): void {
    this.dataRead = true
    let n = line.length
    let reserve = ''
    if (n >= 1 && line.charCodeAt(n - 1) === 0x0a) {
      reserve = n >= 2 && line.charCodeAt(n - 2) === 0x0d ? '\r\n' : '\n'
      n -= reserve.length
    }
    const content = n === line.length ? line : line.slice(0, n)
    if (p.isFile) {
      if (!p.counted) {
        if (this.nfiles >= this.fileLimit) this.f.fileLimit = true
        else {
          p.counted = true
          this.nfiles++
          if (this.extract) p.tmpName = `/tmp/waf-upload-${this.nfiles}`
        }
      }
      p.size += this.reserve.length + n
      if (this.keepContents) {
        if (this.reserve) p.pieces.push(this.reserve)
        p.pieces.push(content)
      }
    } else {
      if (this.reserve) p.pieces.push(this.reserve)
      p.pieces.push(content)
      p.size += this.reserve.length + n
      this.noFiles += this.reserve.length + n
    }
    this.reserve = reserve
  }

  boundaryDone(isFinal: boolean): void {
    const p = this.cur
    if (p !== null) {
      if (p.name !== undefined) this.parts.push(p)
      else this.f.invalidPart = true
      this.cur = null
    }
    if (!isFinal) {
      this.cur = newPart()
      this.headersDone = false
      this.dataRead = false
      this.lastHeader = -1
      this.reserve = ''
    }
  }

  /** Feed the whole body the way v2's 4096-byte line buffer sees it. */
  run(body: BinaryString): void {
    const n = body.length
    let pos = 0
    let startsLine = true
    while (pos < n) {
      const nl = body.indexOf('\n', pos)
      let end = nl < 0 ? n : nl + 1
      if (end - pos > BUF) end = body.charCodeAt(pos + BUF - 1) === 0x0d ? pos + BUF - 1 : pos + BUF
      else if (nl < 0) break // unterminated tail: stays in the buffer for the final check
      this.chunk(body.slice(pos, end), startsLine)
      if (this.f.error) return
      startsLine = body.charCodeAt(end - 1) === 0x0a
      pos = end
      if (this.complete) {
        if (pos < n) this.f.dataAfter = true
        return
      }
    }
    if (n === 0) return
    const tail = body.slice(pos)
    if (this.boundaryCount === 0) return this.fail('Multipart: No boundaries found in payload.')
    if (startsLine && tail === this.dashBoundary + '--') {
      if (this.cur !== null && !this.dataRead) this.f.invalidPart = true
      this.boundaryDone(true)
      this.complete = true
      return
    }
    this.fail('Multipart: Final boundary missing.')
  }
}

export function processMultipart(body: BinaryString, ctx: BodyContext): BodyResult {
  const cfg = ctx.config
  const ct = parseBoundary(ctx.contentType)
  const mp = new MultipartParser(
    ct.boundary,
    cfg.uploadFileLimit,
    cfg.uploadKeepFiles !== 'Off',
    ctx.options?.keepFileContents === true,
  )
  mp.f.quoted = ct.quoted
  mp.f.whitespace = ct.whitespace
  mp.f.missingSemicolon = ct.missingSemicolon
  if (ct.error) {
    mp.f.error = true
    mp.errorMsg = ct.error
  } else mp.run(body)

  const args: Arg[] = []
  const files: MultipartFile[] = []
  const partHeaders: Arg[] = []
  let combined = 0
  let limitHit = false
  let count = ctx.argsCount ?? 0
  for (let i = 0; i < mp.parts.length; i++) {
    const p = mp.parts[i]
    if (p === undefined || p.name === undefined) continue
    for (let j = 0; j < p.lines.length; j++) partHeaders.push([p.name, p.lines[j] ?? ''])
    if (p.isFile) {
      const ctIdx = headerIndex(p, 'Content-Type')
      const file: MultipartFile = {
        name: p.name,
        filename: p.filename ?? '',
        size: p.size,
        tmpName: p.tmpName,
        contentType: p.headers[ctIdx]?.[1] ?? '',
      }
      if (mp.keepContents) file.content = p.pieces.join('')
      files.push(file)
      combined += p.size
    } else if (!mp.f.error && !limitHit) {
      // v2 extracts ARGS only from a body that parsed without error; SecArgumentsLimit applies
      if (count >= cfg.argumentsLimit) limitHit = true
      else {
        args.push([p.name, p.pieces.length === 1 ? (p.pieces[0] ?? '') : p.pieces.join('')])
        count++
      }
    }
  }
  const result: MultipartResult = { flags: flagsOf(mp.f), files, filesCombinedSize: combined, partHeaders }
  if (mp.disp.lastName !== undefined) result.name = mp.disp.lastName
  if (mp.disp.lastFilename !== undefined) result.filename = mp.disp.lastFilename
  const error = mp.f.error || limitHit
  const errorMsg = mp.f.error ? mp.errorMsg : limitHit ? ARGUMENTS_LIMIT_MSG : ''
  return {
    args,
    argsOrigin: 'BODY',
    error,
    errorMsg,
    urlencodedError: false,
    multipart: result,
    noFilesLength: mp.noFiles,
  }
}
