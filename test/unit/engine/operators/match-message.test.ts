import { describe, expect, it } from 'vitest'
import { messageFor } from '../../../../src/engine/operators/match-message'

describe('messageFor (match-message.ts): an operator match message, built once per variable name', () => {
  it('builds "<head><name>." and reuses the string while the name stays the same', () => {
    const last = { name: '', message: '' }
    const a = messageFor(last, 'Operator LT matched 1 at ', 'TX:detection_paranoia_level')
    expect(a).toBe('Operator LT matched 1 at TX:detection_paranoia_level.')
    expect(messageFor(last, 'Operator LT matched 1 at ', 'TX:detection_paranoia_level')).toBe(a)
    expect(last.name).toBe('TX:detection_paranoia_level')
    expect(messageFor(last, 'Operator LT matched 1 at ', 'TX:blocking_paranoia_level')).toBe(
      'Operator LT matched 1 at TX:blocking_paranoia_level.',
    )
    expect(messageFor(last, 'Operator LT matched 1 at ', 'TX:detection_paranoia_level')).toBe(a)
  })

  it('an empty variable name still gets its message', () => {
    const last = { name: '', message: '' }
    expect(messageFor(last, 'Pattern match "x" at ', '')).toBe('Pattern match "x" at .')
  })
})
