import { describe, expect, it } from 'vitest'
import { albedoRespond } from '../../../../src/cli/ftw/albedo'
import { detectContentType } from '../../../../src/cli/ftw/content-sniff'
import type { EngineRequest } from '../../../../src/engine/request'

function req(method: string, uri: string, body?: string): EngineRequest {
  const r: EngineRequest = {
    method,
    uri,
    protocol: 'HTTP/1.1',
    headers: [],
    clientAddress: '127.0.0.1',
    clientPort: 1,
    serverAddress: '127.0.0.1',
    serverPort: 80,
  }
  if (body !== undefined) r.body = body
  return r
}

const header = (h: [string, string][], name: string): string | undefined => h.find((x) => x[0] === name)?.[1]

describe('albedo origin', () => {
  it('answers 200 with an empty body by default', () => {
    const r = albedoRespond(req('GET', '/get?x=1'))
    expect(r.status).toBe(200)
    expect(r.body).toBe('')
    expect(header(r.headers, 'Content-Length')).toBe('0')
    expect(header(r.headers, 'Content-Type')).toBeUndefined()
  })
  it('reflects status, headers (canonical names) and a plain body on POST /reflect', () => {
    const r = albedoRespond(
      req(
        'POST',
        '/reflect',
        '{"status": 418, "headers": {"x-test": "a"}, "body": "<?php echo 1; ?>", "extra": 1}',
      ),
    )
    expect(r.status).toBe(418)
    expect(header(r.headers, 'X-Test')).toBe('a')
    expect(r.body).toBe('<?php echo 1; ?>')
    expect(header(r.headers, 'Content-Type')).toBe('text/plain; charset=utf-8')
    expect(header(r.headers, 'Content-Length')).toBe('16')
  })
  it('sends the UTF-8 bytes of the body and decodes encodedBody when there is no body', () => {
    expect(albedoRespond(req('POST', '/reflect', '{"body": "\xc3\xa9"}')).body).toBe('\xc3\xa9')
    expect(albedoRespond(req('POST', '/reflect/', '{"encodedBody": "AP8="}')).body).toBe('\x00\xff')
  })
  it('answers 400 to invalid JSON or an invalid status, and GET /reflect is a default request', () => {
    expect(albedoRespond(req('POST', '/reflect', '{nope')).status).toBe(400)
    expect(albedoRespond(req('POST', '/reflect', '{"status": "200"}')).status).toBe(400)
    expect(albedoRespond(req('POST', '/reflect', '{"status": 99}')).body).toBe('Invalid status code: 99')
    expect(albedoRespond(req('GET', '/reflect', '{"status": 500}')).status).toBe(200)
  })
  it('keeps a Content-Type given in the spec', () => {
    const r = albedoRespond(
      req('POST', '/reflect', '{"headers": {"Content-Type": "application/json"}, "body": "<html>"}'),
    )
    expect(r.headers.filter((h) => h[0] === 'Content-Type')).toEqual([['Content-Type', 'application/json']])
  })
})

describe('Go content sniffing', () => {
  it.each([
    ['<html><head>', 'text/html; charset=utf-8'],
    ['  <TITLE>x', 'text/html; charset=utf-8'],
    ['<!-- c -->', 'text/html; charset=utf-8'],
    ['<p>Name</p>', 'text/html; charset=utf-8'],
    ['<pre>', 'text/plain; charset=utf-8'],
    ['<?xml version="1.0"?>', 'text/xml; charset=utf-8'],
    ['<?php echo', 'text/plain; charset=utf-8'],
    ['{"a": 1}', 'text/plain; charset=utf-8'],
    ['%PDF-1.4', 'application/pdf'],
    ['a\x00b', 'application/octet-stream'],
  ])('%j -> %s', (body, type) => {
    expect(detectContentType(body)).toBe(type)
  })
})
