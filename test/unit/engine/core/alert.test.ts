import { describe, expect, it } from 'vitest'
import { formatAlertLine, formatAlertMessage, type MatchRecord } from '../../../../src/engine/alert'
import { atoi, logEscape, logEscapeHex, logEscapeNq } from '../../../../src/engine/log-escape'

function rec(over: Partial<MatchRecord> = {}): MatchRecord {
  return {
    id: 942100,
    phase: 2,
    file: 'rules.conf',
    line: 7,
    tags: [],
    matchedVarName: 'ARGS:a',
    matchedVar: 'x',
    opMessage: 'Pattern match "x" at ARGS:a.',
    prefix: 'Warning.',
    action: 'pass',
    disruptive: false,
    log: true,
    auditlog: true,
    hostname: 'localhost',
    uri: '/',
    uniqueId: 'U',
    ...over,
  }
}

describe('alert line (2.9.7 format)', () => {
  it('orders the metadata as v2 and appends Apache fields', () => {
    const r = rec({
      rev: '2',
      msg: 'm',
      data: 'd',
      severity: 2,
      ver: 'v',
      maturity: 3,
      accuracy: 4,
      tags: ['t1', 't2'],
    })
    expect(formatAlertLine(r)).toBe(
      'ModSecurity: Warning. Pattern match "x" at ARGS:a. [file "rules.conf"] [line "7"] [id "942100"] [rev "2"] [msg "m"] [data "d"] [severity "CRITICAL"] [ver "v"] [maturity "3"] [accuracy "4"] [tag "t1"] [tag "t2"] [hostname "localhost"] [uri "/"] [unique_id "U"]',
    )
  })

  it('caps [data] at 512 bytes of escaped text', () => {
    const line = formatAlertMessage(rec({ data: 'B'.repeat(600) }))
    expect(line).toContain(' [data "' + 'B'.repeat(509) + '..."]')
  })

  it('limits the message to 1023 bytes before the Apache fields', () => {
    const tags = Array.from({ length: 60 }, (_, i) => `tag-number-${i}`)
    const msg = formatAlertMessage(rec({ tags }))
    expect(msg.length).toBe(1023)
    expect(formatAlertLine(rec({ tags }))).toBe(
      'ModSecurity: ' + msg + ' [hostname "localhost"] [uri "/"] [unique_id "U"]',
    )
  })

  it('escapes like log_escape / log_escape_hex', () => {
    expect(logEscape('a"b\\c\n\x01\xff')).toBe('a\\"b\\\\c\\n\\x01\\xff')
    expect(logEscapeNq('a"b')).toBe('a"b')
    expect(logEscapeHex('a"b\\c\n\x7f')).toBe('a\\x22b\\x5cc\\x0a\\x7f')
    const same = 'plain text'
    expect(logEscape(same)).toBe(same)
  })

  it('severity outside 0-7 is not printed', () => {
    expect(formatAlertMessage(rec({ severity: 9 }))).not.toContain('severity')
  })
})

describe('atoi', () => {
  it('follows C atoi', () => {
    expect(atoi(' 42abc')).toBe(42)
    expect(atoi('+7')).toBe(7)
    expect(atoi('-7')).toBe(-7)
    expect(atoi('+ 4')).toBe(0)
    expect(atoi('abc')).toBe(0)
    expect(atoi('')).toBe(0)
    expect(atoi('2147483648')).toBe(-2147483648)
  })
})
