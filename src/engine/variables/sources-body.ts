import type { MultipartFlags } from '../body/types'
import type { TxState } from '../tx-state'
import { TxState as TxStateClass } from '../tx-state'
import { asciiLower } from '../log-escape'
import { collectionItem, scalarItem, type Item } from './item'
import { pushScalar, selectFrom, type Selector, type VariableImpl } from './select'

/** Variables fed by the request body processor and by the response (phases 2-4). */

function scalar(name: string, compute: (tx: TxState) => string | undefined): VariableImpl {
  return {
    collect(tx: TxState, _sel: Selector, out: Item[]): void {
      pushScalar(tx.scalar(name, compute), out)
    },
  }
}

function list(name: string, build: (tx: TxState, out: Item[]) => void): VariableImpl {
  return {
    collect(tx: TxState, sel: Selector, out: Item[]): void {
      selectFrom(tx.list(name, build), sel, out)
    },
  }
}

/** MULTIPART_* flag: "0" when there is no multipart body (v2 generates 0 without a parser). */
function flag(name: keyof MultipartFlags): VariableImpl {
  return scalar(name, (tx) => {
    const m = tx.bodyResult?.multipart
    return m === undefined ? '0' : String(m.flags[name])
  })
}

function files(name: string, pick: 'filename' | 'name' | 'size' | 'tmpName' | 'content'): VariableImpl {
  return list(name, (tx, out) => {
    const m = tx.bodyResult?.multipart
    if (m === undefined) return
    for (let i = 0; i < m.files.length; i++) {
      const f = m.files[i]
      if (f === undefined) continue
      let v: string | undefined
      if (pick === 'size') v = String(f.size)
      else if (pick === 'tmpName') v = f.tmpName === '' ? undefined : f.tmpName
      else v = f[pick]
      if (v !== undefined) out.push(collectionItem(name, f.name, v))
    }
  })
}

/** FULL_REQUEST: request line, headers and body, LF-separated (2.9.7's own value is garbled, see doc). */
function fullRequest(tx: TxState): string {
  let s = tx.req.method + ' ' + tx.req.uri + ' ' + tx.req.protocol + '\n'
  const h = tx.headers()
  for (let i = 0; i < h.length; i++) {
    const e = h[i] as [string, string]
    s += e[0] + ': ' + e[1] + '\n'
  }
  s += '\n'
  if (tx.requestBody !== undefined) s += tx.requestBody
  return s
}

const XML_IMPL: VariableImpl = {
  collect(tx: TxState, sel: Selector, out: Item[]): void {
    const x = tx.bodyResult?.xml
    if (x === undefined) return
    if (sel.key === undefined) out.push(XML_TREE)
    else if (sel.key === '/*') out.push(scalarItem('XML', x.text))
    else if (sel.key === '//@*')
      for (let i = 0; i < x.attributes.length; i++) out.push(scalarItem('XML', x.attributes[i] as string))
  },
}
const XML_TREE = scalarItem('XML', '[XML document tree]')

function responseHeader(tx: TxState, fname: string): string | undefined {
  const h = tx.responseHeaders
  if (h === undefined) return undefined
  for (let i = 0; i < h.length; i++) {
    const e = h[i] as [string, string]
    if (asciiLower(e[0]) === fname) return e[1]
  }
  return undefined
}

const REASONS: Record<number, string> = {
  100: 'Continue',
  101: 'Switching Protocols',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  206: 'Partial Content',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Requested Range Not Satisfiable',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

export const BODY_VARIABLES: Record<string, VariableImpl> = {
  REQUEST_BODY: scalar('REQUEST_BODY', (tx) => (tx.requestBodyVisible ? tx.requestBody : undefined)),
  REQUEST_BODY_LENGTH: scalar('REQUEST_BODY_LENGTH', (tx) => String(tx.requestBody?.length ?? 0)),
  FULL_REQUEST: scalar('FULL_REQUEST', fullRequest),
  FULL_REQUEST_LENGTH: scalar('FULL_REQUEST_LENGTH', (tx) => String(fullRequest(tx).length)),
  REQBODY_PROCESSOR: scalar('REQBODY_PROCESSOR', (tx) => tx.reqbodyProcessor ?? ''),
  REQBODY_ERROR: scalar('REQBODY_ERROR', (tx) => (tx.reqbodyError ? '1' : '0')),
  REQBODY_PROCESSOR_ERROR: scalar('REQBODY_PROCESSOR_ERROR', (tx) => (tx.reqbodyError ? '1' : '0')),
  REQBODY_ERROR_MSG: scalar('REQBODY_ERROR_MSG', (tx) => tx.reqbodyErrorMsg),
  REQBODY_PROCESSOR_ERROR_MSG: scalar('REQBODY_PROCESSOR_ERROR_MSG', (tx) => tx.reqbodyErrorMsg),
  INBOUND_DATA_ERROR: scalar('INBOUND_DATA_ERROR', (tx) => (tx.inboundError ? '1' : '0')),
  FILES: files('FILES', 'filename'),
  FILES_NAMES: files('FILES_NAMES', 'name'),
  FILES_SIZES: files('FILES_SIZES', 'size'),
  FILES_TMPNAMES: files('FILES_TMPNAMES', 'tmpName'),
  FILES_TMP_CONTENT: files('FILES_TMP_CONTENT', 'content'),
  FILES_COMBINED_SIZE: scalar('FILES_COMBINED_SIZE', (tx) =>
    String(tx.bodyResult?.multipart?.filesCombinedSize ?? 0),
  ),
  MULTIPART_NAME: scalar('MULTIPART_NAME', (tx) => tx.bodyResult?.multipart?.name),
  MULTIPART_FILENAME: scalar('MULTIPART_FILENAME', (tx) => tx.bodyResult?.multipart?.filename),
  MULTIPART_PART_HEADERS: list('MULTIPART_PART_HEADERS', (tx, out) => {
    const m = tx.bodyResult?.multipart
    if (m !== undefined) TxStateClass.pairsTo('MULTIPART_PART_HEADERS', m.partHeaders, out, false)
  }),
  MULTIPART_STRICT_ERROR: flag('MULTIPART_STRICT_ERROR'),
  MULTIPART_UNMATCHED_BOUNDARY: flag('MULTIPART_UNMATCHED_BOUNDARY'),
  MULTIPART_BOUNDARY_QUOTED: flag('MULTIPART_BOUNDARY_QUOTED'),
  MULTIPART_BOUNDARY_WHITESPACE: flag('MULTIPART_BOUNDARY_WHITESPACE'),
  MULTIPART_DATA_BEFORE: flag('MULTIPART_DATA_BEFORE'),
  MULTIPART_DATA_AFTER: flag('MULTIPART_DATA_AFTER'),
  MULTIPART_HEADER_FOLDING: flag('MULTIPART_HEADER_FOLDING'),
  MULTIPART_LF_LINE: flag('MULTIPART_LF_LINE'),
  MULTIPART_CRLF_LF_LINES: flag('MULTIPART_CRLF_LF_LINES'),
  MULTIPART_MISSING_SEMICOLON: flag('MULTIPART_MISSING_SEMICOLON'),
  MULTIPART_INVALID_QUOTING: flag('MULTIPART_INVALID_QUOTING'),
  MULTIPART_INVALID_PART: flag('MULTIPART_INVALID_PART'),
  MULTIPART_INVALID_HEADER_FOLDING: flag('MULTIPART_INVALID_HEADER_FOLDING'),
  MULTIPART_FILE_LIMIT_EXCEEDED: flag('MULTIPART_FILE_LIMIT_EXCEEDED'),
  XML: XML_IMPL,
  RESPONSE_STATUS: scalar('RESPONSE_STATUS', (tx) =>
    tx.responseStatus === undefined ? undefined : String(tx.responseStatus),
  ),
  RESPONSE_PROTOCOL: scalar('RESPONSE_PROTOCOL', (tx) => tx.responseProtocol),
  STATUS_LINE: scalar('STATUS_LINE', (tx) =>
    tx.responseStatus === undefined
      ? undefined
      : String(tx.responseStatus) + ' ' + (REASONS[tx.responseStatus] ?? ''),
  ),
  RESPONSE_HEADERS: list('RESPONSE_HEADERS', (tx, out) => {
    if (tx.responseHeaders !== undefined)
      TxStateClass.pairsTo('RESPONSE_HEADERS', tx.responseHeaders, out, false)
  }),
  RESPONSE_HEADERS_NAMES: list('RESPONSE_HEADERS_NAMES', (tx, out) => {
    if (tx.responseHeaders !== undefined)
      TxStateClass.pairsTo('RESPONSE_HEADERS_NAMES', tx.responseHeaders, out, true)
  }),
  RESPONSE_CONTENT_TYPE: scalar('RESPONSE_CONTENT_TYPE', (tx) => responseHeader(tx, 'content-type')),
  RESPONSE_CONTENT_LENGTH: scalar('RESPONSE_CONTENT_LENGTH', (tx) => {
    if (tx.responseStatus === undefined) return undefined
    return responseHeader(tx, 'content-length') ?? String(tx.responseBody?.length ?? 0)
  }),
  RESPONSE_BODY: scalar('RESPONSE_BODY', (tx) => tx.responseBody),
  OUTBOUND_DATA_ERROR: scalar('OUTBOUND_DATA_ERROR', (tx) => (tx.outboundError ? '1' : '0')),
}
