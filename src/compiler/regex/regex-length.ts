import type { Node } from './ast'

/** Length in bytes of every match of `n`, or null when it can vary (PCRE's fixed-length lookbehind rule). */
export function fixedLength(n: Node): number | null {
  switch (n.type) {
    case 'empty':
    case 'assert':
    case 'look':
      return 0
    case 'set':
      return 1
    case 'backref':
      return null
    case 'group':
      return fixedLength(n.body)
    case 'seq': {
      let sum = 0
      for (const it of n.items) {
        const l = fixedLength(it)
        if (l === null) return null
        sum += l
      }
      return sum
    }
    case 'alt': {
      let len: number | null = null
      for (const a of n.alts) {
        const l = fixedLength(a)
        if (l === null || (len !== null && l !== len)) return null
        len = l
      }
      return len ?? 0
    }
    case 'repeat': {
      if (n.min !== n.max) return null
      const l = fixedLength(n.body)
      return l === null ? null : l * n.min
    }
  }
}

/** True when `n` contains a backreference (for the lookbehind error message). */
export function hasBackref(n: Node): boolean {
  switch (n.type) {
    case 'backref':
      return true
    case 'seq':
      return n.items.some(hasBackref)
    case 'alt':
      return n.alts.some(hasBackref)
    case 'group':
    case 'repeat':
      return hasBackref(n.body)
    default:
      return false
  }
}
