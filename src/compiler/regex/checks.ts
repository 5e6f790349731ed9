import type { Node, ParsedPattern } from './ast'
import { RegexTranslateError } from './errors'

/**
 * Backreferences: PCRE fails a backreference to a group that is unset; JavaScript lets it match
 * the empty string. The two agree only when the group is certainly set wherever the reference is
 * reached, so we accept a backreference only when its group is "definitely set" on every path
 * from the pattern start to the reference (a conservative, purely structural check). Groups that
 * do not exist are PCRE compile errors.
 */
export function checkBackrefs(parsed: ParsedPattern): void {
  walk(parsed.root, new Set<number>(), parsed.groupCount)
}

/** Returns the groups definitely set after `n`, given those definitely set before it. */
function walk(n: Node, before: Set<number>, groupCount: number): Set<number> {
  switch (n.type) {
    case 'empty':
    case 'set':
    case 'assert':
      return before
    case 'backref':
      if (n.group > groupCount) {
        throw new RegexTranslateError('backreference', n.pos, `reference to non-existent group ${n.group}`)
      }
      if (!before.has(n.group)) {
        throw new RegexTranslateError(
          'backreference',
          n.pos,
          `group ${n.group} may be unset here (PCRE fails such a reference, JavaScript matches the empty string)`,
        )
      }
      return before
    case 'seq': {
      let cur = before
      for (const it of n.items) cur = walk(it, cur, groupCount)
      return cur
    }
    case 'alt': {
      let common: number[] | null = null
      for (const a of n.alts) {
        const out: Set<number> = walk(a, before, groupCount)
        common = common === null ? [...out] : common.filter((g: number) => out.has(g))
      }
      return common === null ? before : new Set(common)
    }
    case 'group': {
      const out = walk(n.body, before, groupCount)
      if (n.kind !== 'capture' || n.index === undefined) return out
      const s = new Set(out)
      s.add(n.index)
      return s
    }
    case 'look': {
      const out = walk(n.body, before, groupCount)
      return n.negate ? before : out
    }
    case 'repeat': {
      const out = walk(n.body, before, groupCount)
      return n.min >= 1 ? out : before
    }
  }
}
