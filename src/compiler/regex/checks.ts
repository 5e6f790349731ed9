import type { Backref, Group, Node, ParsedPattern } from './ast'
import { ByteSet, jsCasedBytes, latin1CasedBytes } from './byte-set'
import { RegexTranslateError } from './errors'

/**
 * Backreferences: PCRE fails a backreference to a group that is unset; JavaScript lets it match
 * the empty string. The two agree only when the group is certainly set wherever the reference is
 * reached, so we accept a backreference only when its group is "definitely set" on every path
 * from the pattern start to the reference (a conservative, purely structural check). Groups that
 * do not exist are PCRE compile errors. Then caseless backreferences: see checkCaselessBackrefs.
 */
export function checkBackrefs(parsed: ParsedPattern): void {
  walk(parsed.root, new Set<number>(), parsed.groupCount, false)
  checkCaselessBackrefs(parsed)
}

/** True when the pattern has a caseless backreference: its JS form then needs the `i` flag. */
export function needsIgnoreCase(root: Node): boolean {
  let found = false
  visit(root, (n) => {
    if (n.type === 'backref' && n.caseless) found = true
  })
  return found
}

/**
 * Caseless backreferences (`(?i)(\w+)=\1`): JavaScript compares a backreference caselessly only
 * under the `i` flag, which applies to the whole regex and, without `u`/`v`, also equates the
 * Latin-1 letters 0xC0-0xDE/0xE0-0xFE (PCRE's default tables fold ASCII only). A pattern with a
 * caseless backreference is emitted with `i` and accepted only when that provably changes
 * nothing (proof in README.md, "Caseless backreferences"):
 *  1. every byte set of the AST (literals, classes, escapes, `.`, inside lookarounds too) is
 *     closed under the JS `i` equivalence, so `i` does not change what any atom matches;
 *  2. every caseless backreference refers to a group that cannot consume a Latin-1 letter, so JS's
 *     caseless comparison of the captured text is PCRE's ASCII one;
 *  3. every case-sensitive backreference refers to a group that cannot consume any cased byte
 *     (ASCII or Latin-1 letter), so `i` does not change its comparison either.
 * Anything else is a RegexTranslateError at the first caseless backreference.
 */
function checkCaselessBackrefs(parsed: ParsedPattern): void {
  const refs: Backref[] = []
  const groups = new Map<number, Group>()
  const sets: { set: ByteSet; pos: number }[] = []
  visit(parsed.root, (n) => {
    if (n.type === 'backref') refs.push(n)
    else if (n.type === 'group' && n.kind === 'capture' && n.index !== undefined) groups.set(n.index, n)
    else if (n.type === 'set') sets.push(n)
  })
  const first = refs.find((r) => r.caseless)
  if (first === undefined) return
  const fail = (reason: string): RegexTranslateError =>
    new RegexTranslateError(
      'caseless backreference',
      first.pos,
      `JavaScript needs the i flag for it, and ${reason} (PCRE folds ASCII letters only; JS without u also folds Latin-1 letters)`,
    )
  for (const s of sets) {
    if (!s.set.isJsCaselessClosed()) {
      throw fail(
        `the i flag would change the atom at offset ${s.pos} (a case-sensitive letter, or a byte 0xC0-0xFE without its other case)`,
      )
    }
  }
  const latin1 = latin1CasedBytes()
  const cased = jsCasedBytes()
  for (const r of refs) {
    const g = groups.get(r.group)
    const bytes = g === undefined ? ByteSet.all() : consumable(g.body, groups, new Set([r.group]))
    if (r.caseless && bytes.intersects(latin1)) {
      throw fail(`group ${r.group} (referenced at offset ${r.pos}) can capture a Latin-1 letter (0xC0-0xFE)`)
    }
    if (!r.caseless && bytes.intersects(cased)) {
      throw fail(
        `the case-sensitive backreference at offset ${r.pos} refers to group ${r.group}, which can capture a letter`,
      )
    }
  }
}

/** Bytes that a match of `n` can consume (lookarounds consume nothing). */
function consumable(n: Node, groups: Map<number, Group>, seen: Set<number>): ByteSet {
  switch (n.type) {
    case 'empty':
    case 'assert':
    case 'look':
      return new ByteSet()
    case 'set':
      return n.set
    case 'seq':
    case 'alt': {
      const out = new ByteSet()
      for (const it of n.type === 'seq' ? n.items : n.alts) out.addSet(consumable(it, groups, seen))
      return out
    }
    case 'group':
      return consumable(n.body, groups, seen)
    case 'repeat':
      return n.max === 0 ? new ByteSet() : consumable(n.body, groups, seen)
    case 'backref': {
      const g = groups.get(n.group)
      if (g === undefined || seen.has(n.group)) return ByteSet.all()
      return consumable(g.body, groups, new Set([...seen, n.group]))
    }
  }
}

function visit(n: Node, f: (n: Node) => void): void {
  f(n)
  switch (n.type) {
    case 'seq':
      for (const it of n.items) visit(it, f)
      return
    case 'alt':
      for (const a of n.alts) visit(a, f)
      return
    case 'group':
    case 'look':
    case 'repeat':
      visit(n.body, f)
      return
    default:
      return
  }
}

/**
 * Returns the groups definitely set after `n`, given those definitely set before it. `behind`:
 * inside a lookbehind, where JS and PCRE match in opposite directions, so a group captured there
 * does not count as set for a backreference in the same lookbehind.
 */
function walk(n: Node, before: Set<number>, groupCount: number, behind: boolean): Set<number> {
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
          behind
            ? `group ${n.group} is not set before the enclosing lookbehind (JavaScript matches a lookbehind right to left, PCRE left to right)`
            : `group ${n.group} may be unset here (PCRE fails such a reference, JavaScript matches the empty string)`,
        )
      }
      return before
    case 'seq': {
      let cur = before
      for (const it of n.items) cur = walk(it, cur, groupCount, behind)
      return cur
    }
    case 'alt': {
      let common: number[] | null = null
      for (const a of n.alts) {
        const out: Set<number> = walk(a, before, groupCount, behind)
        common = common === null ? [...out] : common.filter((g: number) => out.has(g))
      }
      return common === null ? before : new Set(common)
    }
    case 'group': {
      const out = walk(n.body, before, groupCount, behind)
      if (n.kind !== 'capture' || n.index === undefined || behind) return out
      const s = new Set(out)
      s.add(n.index)
      return s
    }
    case 'look': {
      if (n.behind && !behind) {
        // check with the lookbehind's own captures not counted, then compute what it sets
        walk(n.body, before, groupCount, true)
        const out = walk(n.body, before, groupCount, false)
        return n.negate ? before : out
      }
      const out = walk(n.body, before, groupCount, behind)
      return n.negate ? before : out
    }
    case 'repeat': {
      const out = walk(n.body, before, groupCount, behind)
      return n.min >= 1 ? out : before
    }
  }
}
