import { describe, expect, it } from 'vitest'
import {
  maskHeaders,
  maskRequestLine,
  maskSets,
  maskUrlencoded,
  multipartFields,
  urlencodeForAudit,
} from '../../../../src/engine/audit/sanitise'
import { auditProgram, runTx } from './helpers'

// Masking in the audit record with ModSecurity 2.9's semantics (recorded on 2.9.7: one '*' per
// byte of the raw value; see sanitise.ts and the recorded sample in test/vectors/audit).

describe('urlencoded masking', () => {
  it.each([
    ['a=1&pw=secret&b=2', ['pw'], 'a=1&pw=******&b=2', ['pw']],
    ['pw=a%20b&PW=x', ['pw'], 'pw=*****&PW=*', ['pw', 'PW']],
    ['p%77=raw', ['pw'], 'p%77=***', ['pw']],
    ['pw&pw=&pw=1', ['pw'], 'pw&pw=&pw=*', ['pw', 'pw']],
    ['x=1;pw=2', ['pw'], 'x=1;pw=2', []],
    ['a+b=1', ['a b'], 'a+b=*', ['a b']],
    ['', ['pw'], '', []],
  ])('%s', (text, names, masked, listed) => {
    const out: string[] = []
    expect(maskUrlencoded(text, '&', new Set(names), out)).toBe(masked)
    expect(out).toEqual(listed)
  })

  it('SecArgumentSeparator', () => {
    expect(maskUrlencoded('x=1;pw=2', ';', new Set(['pw']), [])).toBe('x=1;pw=*')
  })

  it('the request line: only the query string, raw bytes', () => {
    expect(maskRequestLine('GET', '/pw=1?pw=%41%42&a=pw', 'HTTP/1.1', '&', new Set(['pw']), [])).toBe(
      'GET /pw=1?pw=******&a=pw HTTP/1.1',
    )
  })
})

describe('headers', () => {
  it('whole values, names case-insensitive; always-masked ones are listed when present', () => {
    const listed: string[] = []
    const out = maskHeaders(
      [
        ['X-Secret', 'abc'],
        ['authorization', 'Bearer t'],
        ['Host', 'h'],
      ],
      new Set(['x-secret']),
      new Set(['authorization', 'cookie']),
      listed,
    )
    expect(out).toEqual([
      ['X-Secret', '***'],
      ['authorization', '********'],
      ['Host', 'h'],
    ])
    expect(listed).toEqual(['authorization'])
  })

  it('sanitiseMatched: the variable decides', () => {
    const s = maskSets(
      {
        args: ['A'],
        matched: [
          'ARGS:Card',
          'ARGS_GET:g',
          'ARGS_POST:p',
          'REQUEST_HEADERS:X-H',
          'RESPONSE_HEADERS:X-R',
          'TX:x',
          'REQUEST_URI',
        ],
        requestHeaders: ['X-Q'],
        responseHeaders: [],
      },
      ['Cookie'],
    )
    expect([...s.args].sort()).toEqual(['a', 'card', 'g', 'p'])
    expect([...s.requestHeaders].sort()).toEqual(['x-h', 'x-q'])
    expect([...s.responseHeaders]).toEqual(['x-r'])
    expect(s.requestHeaderNames).toEqual(['X-Q', 'X-H'])
    expect([...s.always]).toEqual(['cookie'])
  })
})

describe('multipart fields (part I)', () => {
  it("strnurlencat: letters, digits and '*' kept, space '+', the rest %xx (lower case); masked values", () => {
    expect(urlencodeForAudit('a b/c:\xe9*~-._!')).toBe('a+b%2fc%3a%e9*%7e%2d%2e%5f%21')
    const listed: string[] = []
    expect(
      multipartFields(
        [
          ['g', 'x y'],
          ['s s', 'secret'],
          ['s', 'secret2'],
        ],
        new Set(['s']),
        listed,
      ),
    ).toBe('g=x+y&s+s=secret&s=*******')
    expect(listed).toEqual(['s'])
  })
})

describe('in a transaction', () => {
  const rules = `
SecRule ARGS:go "@rx ." "id:1,phase:1,pass,nolog,sanitiseArg:pw,sanitiseRequestHeader:X-Api-Key,sanitiseResponseHeader:X-Token"
SecRule ARGS:card "@rx 4111" "id:2,phase:2,pass,log,sanitiseMatched"
SecRule ARGS:b "@rx 2222" "id:3,phase:2,pass,log,sanitiseMatchedBytes:1/2"
SecRule REQUEST_HEADERS:X-H "@rx sec" "id:4,phase:1,pass,log,sanitiseMatched"
`
  const p = auditProgram(rules, { auditEngine: 'On', auditLogParts: 'ABCFHZ' })
  const raw =
    'POST /x?go=1&pw=q1&card=x4111&b=a2222b HTTP/1.1\r\nHost: h\r\nX-Api-Key: k123\r\nX-H: is secret\r\nAuthorization: Basic abc\r\nCookie: s=1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 21\r\n\r\npw=hunter2&card=4111x'
  const origin = {
    status: 200,
    headers: [
      ['Content-Type', 'text/plain'],
      ['X-Token', 'tok'],
      ['Set-Cookie', 'id=9'],
    ] as [string, string][],
    body: 'x',
  }

  it('masks arguments in the request line and the body, headers in B and F, by default Authorization and Cookie', () => {
    const { record } = runTx(p, raw, origin)
    expect(record.request.line).toBe('POST /x?go=1&pw=**&card=*****&b=****** HTTP/1.1')
    expect(record.request.body).toBe('pw=*******&card=*****')
    expect(Object.fromEntries(record.request.headers)).toMatchObject({
      'X-Api-Key': '****',
      'X-H': '*********',
      Authorization: '*********',
      Cookie: '***',
      Host: 'h',
    })
    expect(record.response.headers).toEqual([
      ['Content-Type', 'text/plain'],
      ['X-Token', '***'],
      ['Set-Cookie', '****'],
    ])
    // a phase 1 sanitiseArg also masks the body's pw (v2 would only mask arguments present then)
    expect(record.sanitised.args).toEqual(['pw', 'card', 'b', 'pw', 'card'])
    expect(record.sanitised.requestHeaders).toEqual(['X-Api-Key', 'X-H', 'Authorization', 'Cookie'])
    expect(record.sanitised.responseHeaders).toEqual(['X-Token', 'Set-Cookie'])
  })

  it('the default masking can be switched off (maskHeaders: [])', () => {
    const { record } = runTx(p, raw, origin, { audit: { maskHeaders: [] } })
    expect(Object.fromEntries(record.request.headers)).toMatchObject({
      Authorization: 'Basic abc',
      Cookie: 's=1',
    })
    expect(record.response.headers).toContainEqual(['Set-Cookie', 'id=9'])
  })

  it('messages are not masked (as in v2)', () => {
    const { record } = runTx(p, raw, origin)
    expect(record.messages.some((m) => m.includes('Pattern match "4111" at ARGS:card'))).toBe(true)
  })
})
