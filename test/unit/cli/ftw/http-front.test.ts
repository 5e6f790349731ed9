import { describe, expect, it } from 'vitest'
import { decodeChunked, parseWireRequest, type FrontResult } from '../../../../src/cli/ftw/http-front'

const EP = { clientAddress: '127.0.0.1', clientPort: 40000, serverAddress: '127.0.0.1', serverPort: 80 }

function request(wire: string): Extract<FrontResult, { kind: 'request' }> {
  const r = parseWireRequest(wire, EP)
  if (r.kind !== 'request') throw new Error(`rejected: ${r.reason}`)
  return r
}

describe('front end: parsing', () => {
  it('reads request line, headers and a Content-Length body', () => {
    const r = request('POST /p?a=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcdef')
    expect(r.request.method).toBe('POST')
    expect(r.request.uri).toBe('/p?a=1')
    expect(r.request.protocol).toBe('HTTP/1.1')
    expect(r.request.headers).toEqual([
      ['Host', 'x'],
      ['Content-Length', '3'],
    ])
    expect(r.request.body).toBe('abc')
  })

  it('has no body without Content-Length or Transfer-Encoding (the bytes stay unread)', () => {
    expect(request('POST / HTTP/1.1\r\nHost: x\r\n\r\nhi=test').request.body).toBeUndefined()
  })

  it('decodes a chunked body and drops Content-Length, as httpd does', () => {
    const r = request(
      'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 99\r\n\r\n3\r\nHi \r\n3;ext=1\r\nCRS\r\n0\r\n\r\n',
    )
    expect(r.request.body).toBe('Hi CRS')
    expect(r.request.headers).toEqual([['Transfer-Encoding', 'chunked']])
  })

  it('merges repeated headers into the first one with ", " (apr_table_compress)', () => {
    const r = request('GET / HTTP/1.1\r\nContent-Type: a\r\nX: 1\r\ncontent-type: b\r\n\r\n')
    expect(r.request.headers).toEqual([
      ['Content-Type', 'a, b'],
      ['X', '1'],
    ])
  })

  it('trims values, joins obs-fold lines, accepts bare LF line ends and skips leading blank lines', () => {
    const r = request('\r\nGET / HTTP/1.0\nA:  v1 \n  cont\nB:\n\n')
    expect(r.request.headers).toEqual([
      ['A', 'v1 cont'],
      ['B', ''],
    ])
  })

  it('treats a request line without version as HTTP/0.9 (no headers read)', () => {
    const r = request('GET / \r\nHost: x\r\n\r\n')
    expect(r.http09).toBe(true)
    expect(r.request.protocol).toBe('HTTP/0.9')
    expect(r.request.headers).toEqual([])
  })

  it('keeps bytes above 0x7F in the target (0xA0 is not white space)', () => {
    expect(request('GET /\xe2\x91\xa0 HTTP/1.1\r\n\r\n').request.uri).toBe('/\xe2\x91\xa0')
  })
})

describe('front end: what RFC 9112 makes every server reject', () => {
  it.each([
    ['leading white space', '     GET / HTTP/1.1\r\n\r\n', 400],
    ['tab separator', 'GET\t/ HTTP/1.1\r\n\r\n', 400],
    ['two spaces', 'GET  / HTTP/1.1\r\n\r\n', 400],
    ['space inside the target', 'GET /a b HTTP/1.1\r\n\r\n', 400],
    ['version not HTTP/D.D', 'GET / HTTP\\1.0\r\n\r\n', 400],
    ['version 1.1', 'GET / 1.1\r\n\r\n', 400],
    ['bare CR in a header', 'GET / HTTP/1.1\r\nA: x\ry\r\n\r\n', 400],
    ['header without colon', 'GET / HTTP/1.1\r\nnocolon\r\n\r\n', 400],
    ['invalid Content-Length', 'POST / HTTP/1.1\r\nContent-Length: 3a\r\n\r\nabc', 400],
    ['broken chunked body', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 400],
    ['unknown transfer coding', 'POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n', 501],
  ])('%s', (_n, wire, status) => {
    const r = parseWireRequest(wire, EP)
    expect(r.kind).toBe('reject')
    if (r.kind === 'reject') expect(r.status).toBe(status)
  })

  it('passes what only httpd refuses (HTTP/0.9 spelled out, "#", ":" in the path)', () => {
    expect(request('GET / HTTP/0.9\r\n\r\n').request.protocol).toBe('HTTP/0.9')
    expect(request('GET /#f HTTP/1.1\r\n\r\n').request.uri).toBe('/#f')
    expect(request('GET /a:80 HTTP/4.0\r\n\r\n').request.protocol).toBe('HTTP/4.0')
  })

  it('decodeChunked needs the terminating chunk', () => {
    expect(decodeChunked('1\r\na\r\n')).toBeUndefined()
    expect(decodeChunked('1\r\na\r\n0\r\n\r\n')).toBe('a')
  })
})
