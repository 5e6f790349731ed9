import { describe, expect, it } from 'vitest'
import {
  auditFileKey,
  auditKey,
  hourPrefix,
  keyForId,
  timedUniqueId,
  uniqueIdTime,
  UNIQUE_ID_LENGTH,
} from '../../../../src/engine/audit/index'

describe('unique ids and bucket keys', () => {
  it('reads the time of a ModSecurity 2.9.7 / mod_unique_id id (recorded: Stopwatch 1795296298865963)', () => {
    expect(uniqueIdTime('awIMKqNtqKmNvywVLJpfawAAAAA')).toBe(1795296298000)
  })

  it('our ids have the same layout: 27 characters, the time first', () => {
    const t = Date.UTC(2026, 10, 21, 21, 5, 7, 123)
    const id = timedUniqueId(t, new Uint8Array(16).fill(0xab))
    expect(id).toHaveLength(UNIQUE_ID_LENGTH)
    expect(id).toMatch(/^[A-Za-z0-9@-]{27}$/)
    expect(uniqueIdTime(id)).toBe(Math.floor(t / 1000) * 1000)
    const other = timedUniqueId(t, new Uint8Array(16).fill(0x01))
    expect(other).not.toBe(id)
    expect(other.slice(0, 5)).toBe(id.slice(0, 5))
  })

  it('keys: YYYYMMDD/HH/<id>, from the id when it carries the time', () => {
    const t = Date.UTC(2026, 0, 2, 3, 4, 5)
    const id = timedUniqueId(t, new Uint8Array(16))
    expect(hourPrefix(t)).toBe('20260102/03/')
    expect(auditKey(id, Date.UTC(2030, 0, 1))).toBe('20260102/03/' + id)
    expect(keyForId(id)).toBe('20260102/03/' + id)
    expect(auditFileKey('20260102/03/' + id, 2)).toBe('20260102/03/' + id + '/file-2')
  })

  it('ids without a time (other formats): the start time decides, keyForId cannot tell', () => {
    const t = Date.UTC(2026, 5, 30, 23, 59, 59)
    expect(auditKey('test-id', t)).toBe('20260630/23/test-id')
    expect(keyForId('test-id')).toBeUndefined()
    expect(uniqueIdTime('AAAAAAAAAAAAAAAAAAAAAAAAAAA')).toBeUndefined()
    expect(auditKey('a/b', t)).toBe('20260630/23/a%2Fb')
  })
})
