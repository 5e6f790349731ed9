import type { OperatorDef } from './types'
import { atoi } from './atoi'

/**
 * The argument of @validateByteRange, parsed as ModSecurity 2.9 does: comma-separated items
 * (empty items skipped), each a byte value or a `start-end` range read with atoi (so "abc" is 0
 * and "1-2-3" is 1-2). Values outside 0..255 and reversed ranges are errors, with v2's messages.
 */
export function parseByteRanges(arg: string): [number, number][] {
  const ranges: [number, number][] = []
  for (const item of arg.split(',')) {
    if (item.length === 0) continue
    const dash = item.indexOf('-')
    if (dash < 0) {
      const x = atoi(item)
      if (x < 0 || x > 255) throw new Error(`Invalid range value: ${x}`)
      ranges.push([x, x])
      continue
    }
    const start = atoi(item)
    const end = atoi(item.slice(dash + 1))
    if (start < 0 || start > 255) throw new Error(`Invalid range start value: ${start}`)
    if (end < 0 || end > 255) throw new Error(`Invalid range end value: ${end}`)
    if (start > end) throw new Error(`Invalid range: ${start}-${end}`)
    ranges.push([start, end])
  }
  return ranges
}

export const validateByteRange: OperatorDef = {
  name: 'validateByteRange',
  doc: 'Matches when the input has bytes outside the allowed values/ranges ("10,13,32-126"); the message counts them.',
  prepare(arg) {
    return { kind: 'byteRanges', ranges: parseByteRanges(arg) }
  },
  link(op) {
    const ranges = op.params?.kind === 'byteRanges' ? op.params.ranges : parseByteRanges(op.arg)
    const allowed = new Uint8Array(256)
    for (const [start, end] of ranges)
      for (let b = start; b <= end && b <= 255; b++) if (b >= 0) allowed[b] = 1
    const suffix = ' outside range: ' + op.arg + '.'
    return (input, ctx) => {
      let count = 0
      for (let i = 0; i < input.length; i++) if (allowed[input.charCodeAt(i) & 0xff] === 0) count++
      if (count === 0) return false
      ctx.message = 'Found ' + count + ' byte(s) in ' + ctx.varName + suffix
      return true
    }
  },
}
