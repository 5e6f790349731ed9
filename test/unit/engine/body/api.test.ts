import { describe, expect, it } from 'vitest'
import { DEFAULT_ENGINE_CONFIG } from '../../../../src/bundle/schema'
import {
  BODY_PROCESSORS,
  defaultBodyProcessor,
  isBodyProcessorName,
  parseUrlencoded,
  processBody,
} from '../../../../src/engine/body/index'
import { logEscapeNq } from '../../../../src/engine/log-escape'
import { parseXml } from '../../../../src/engine/body/xml'

const MP = 'multipart/form-data; boundary=XB'
const upload = [
  '--XB',
  'Content-Disposition: form-data; name="f"; filename="a.bin"',
  'Content-Type: application/octet-stream',
  '',
  '\x00\x01\r\n\xff',
  '--XB',
  'Content-Disposition: form-data; name="g"; filename="b.txt"',
  '',
  'text',
  '--XB--',
  '',
].join('\r\n')

describe('body processor registry', () => {
  it('is keyed by the v2 names', () => {
    expect(Object.keys(BODY_PROCESSORS).sort()).toEqual(['JSON', 'MULTIPART', 'URLENCODED', 'XML'])
    expect(isBodyProcessorName('JSON')).toBe(true)
    expect(isBodyProcessorName('json')).toBe(false)
    expect(isBodyProcessorName('RAW')).toBe(false)
  })

  // recorded on 2.9.7: v2 matches a case-insensitive prefix of the Content-Type
  it.each([
    ['application/x-www-form-urlencoded', 'URLENCODED'],
    ['application/x-www-form-urlencoded; charset=UTF-8', 'URLENCODED'],
    ['application/x-www-form-urlencodedfoo', 'URLENCODED'],
    ['APPLICATION/X-WWW-FORM-URLENCODED', 'URLENCODED'],
    [' application/x-www-form-urlencoded', 'URLENCODED'],
    ['multipart/form-data; boundary=x', 'MULTIPART'],
    ['MULTIPART/FORM-DATA; boundary=x', 'MULTIPART'],
    ['multipart/mixed; boundary=x', undefined],
    ['text/plain', undefined],
    ['application/json', undefined],
    [undefined, undefined],
  ])('picks the default processor for %j', (ct, want) => {
    expect(defaultBodyProcessor(ct)).toBe(want)
  })
})

describe('multipart files', () => {
  it('keeps file contents only when asked', () => {
    const plain = processBody('MULTIPART', upload, { contentType: MP, config: DEFAULT_ENGINE_CONFIG })
    expect(plain.multipart?.files.map((f) => f.content)).toEqual([undefined, undefined])
    const kept = processBody('MULTIPART', upload, {
      contentType: MP,
      config: DEFAULT_ENGINE_CONFIG,
      options: { keepFileContents: true },
    })
    expect(kept.multipart?.files.map((f) => f.content)).toEqual(['\x00\x01\r\n\xff', 'text'])
    expect(kept.multipart?.files.map((f) => f.size)).toEqual([5, 4])
    expect(kept.multipart?.files.map((f) => f.contentType)).toEqual(['application/octet-stream', ''])
  })

  it('names temporary files only when v2 would extract them', () => {
    const off = processBody('MULTIPART', upload, { contentType: MP, config: DEFAULT_ENGINE_CONFIG })
    expect(off.multipart?.files.map((f) => f.tmpName)).toEqual(['', ''])
    const on = processBody('MULTIPART', upload, {
      contentType: MP,
      config: { ...DEFAULT_ENGINE_CONFIG, uploadKeepFiles: 'On', uploadFileLimit: 1 },
    })
    expect(on.multipart?.files.map((f) => f.tmpName)).toEqual(['/tmp/waf-upload-1', ''])
    expect(on.multipart?.flags.MULTIPART_FILE_LIMIT_EXCEEDED).toBe(1)
  })

  it('counts query-string arguments against SecArgumentsLimit', () => {
    const body = '--XB\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--XB--\r\n'
    const config = { ...DEFAULT_ENGINE_CONFIG, argumentsLimit: 2 }
    expect(processBody('MULTIPART', body, { contentType: MP, config, argsCount: 1 }).error).toBe(false)
    const r = processBody('MULTIPART', body, { contentType: MP, config, argsCount: 2 })
    expect(r.error).toBe(true)
    expect(r.errorMsg).toBe('SecArgumentsLimit exceeded')
    expect(r.args).toEqual([])
  })
})

describe('urlencoded', () => {
  it('applies the limit to the total argument count', () => {
    expect(parseUrlencoded('a=1&b=2', '&', 3, 2)).toEqual({
      args: [['a', '1']],
      invalid: false,
      limitExceeded: true,
    })
  })
  it('uses the first byte of the separator', () => {
    expect(parseUrlencoded('a=1;b=2', ';').args).toEqual([
      ['a', '1'],
      ['b', '2'],
    ])
  })
})

describe('JSON', () => {
  it('files arguments under origin JSON (ARGS only, not ARGS_POST)', () => {
    const r = processBody('JSON', '{"a":[1,{"b":null}]}', {
      contentType: 'application/json',
      config: DEFAULT_ENGINE_CONFIG,
    })
    expect(r.argsOrigin).toBe('JSON')
    expect(r.args).toEqual([
      ['a.a', '1'],
      ['a.a.b', ''],
    ])
  })
  it('reports errors found only at the end as v2 json_complete does', () => {
    const r = processBody('JSON', '{"a":1', {
      contentType: 'application/json',
      config: DEFAULT_ENGINE_CONFIG,
    })
    expect(r.errorMsg).toBe('JSON parser error: parse error: premature EOF\n')
  })
})

describe('XML', () => {
  it('rejects recursive and amplifying entities', () => {
    expect(parseXml('<!DOCTYPE a [<!ENTITY e "&e;">]><a>&e;</a>')).toBeUndefined()
    const lol = '<!ENTITY a0 "' + 'x'.repeat(50) + '">' + '<!ENTITY a1 "' + '&a0;'.repeat(50) + '">'
    expect(parseXml(`<!DOCTYPE a [${lol}]><a>&a1;&a1;</a>`)).toBeUndefined()
    expect(parseXml('<!DOCTYPE a [<!ENTITY e "ok">]><a>&e;&e;</a>')?.text).toBe('okok')
  })
  it('converts a declared ISO-8859-1 document to UTF-8', () => {
    expect(parseXml('<?xml version="1.0" encoding="ISO-8859-1"?><a x="\xe9">\xe9</a>')).toEqual({
      text: '\xc3\xa9',
      attributes: ['\xc3\xa9'],
    })
  })
})

describe('logEscapeNq', () => {
  it('escapes like ModSecurity log_escape_nq', () => {
    expect(logEscapeNq('a"b\\c\r\n\t\x00\xff\x7f')).toBe('a"b\\\\c\\r\\n\\t\\x00\\xff\\x7f')
    expect(logEscapeNq('plain')).toBe('plain')
  })
})
