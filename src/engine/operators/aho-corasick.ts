import type { BinaryString } from '../bytes'

/**
 * The phrase matcher behind @pm / @pmFromFile: a byte-level, ASCII-case-insensitive
 * Aho-Corasick automaton that reproduces ModSecurity 2.9's `acmp` (acmp_process_quick) result
 * for result, including three behaviours of acmp that differ from a textbook automaton. All
 * three were verified on 2.9.7 (test/vectors/operators/pm.json):
 *
 * 1. What is reported. The scan stops at the first input position where a phrase ends and
 *    reports the *text of the trie node reached*: for phrases "abc b" and input "xaby" the node
 *    reached after "ab" is on the way to "abc"; "b" ends there (via the failure link), and v2
 *    reports "ab", a string that is no phrase. When the node is itself the end of a phrase the
 *    text is that phrase.
 * 2. Node text comes from the phrase that created the node, in its original case: with
 *    "ABC abc" both inputs "abc" and "ABC" report "ABC" (with "abc ABC", "abc").
 * 3. Failure links are computed one step deep: a node's link is its parent's link's child for
 *    the same letter, or the root. A textbook automaton follows links further, so v2 misses some
 *    matches: phrases "abcd bx c" do not match "abcz" (the "c" after "ab" is lost).
 *
 * Case folding is ASCII only (A-Z); bytes >= 0x80 compare exactly. Empty phrases are ignored.
 * Build once per isolate; `find` allocates nothing.
 */
export class PhraseMatcher {
  /** number of distinct phrases (after case folding) */
  readonly size: number
  private readonly rootNext: Int32Array
  private readonly edgeStart: Int32Array
  private readonly edgeLetter: Uint8Array
  private readonly edgeTarget: Int32Array
  private readonly fail: Int32Array
  private readonly report: (BinaryString | undefined)[]
  /**
   * Quick reject: bit (a << 8 | b) is set when some phrase starts with the folded bytes a b, and
   * `single[c]` when c is a whole one-byte phrase. The automaton can only report when the input
   * contains a phrase (every state's text is a suffix of the input read, and a report needs a
   * phrase on the state's failure chain), so an input without any phrase's first two bytes
   * matches nothing. Built once; checked in one pass before the automaton runs.
   */
  private readonly pairs = new Uint8Array(8192)
  private readonly single = new Uint8Array(256)

  constructor(phrases: readonly BinaryString[]) {
    // 1. trie (node 0 = root)
    const children: Map<number, number>[] = [new Map()]
    const depth: number[] = [0]
    const creator: number[] = [-1]
    const isLast: boolean[] = [false]
    const parent: number[] = [-1]
    const letterOf: number[] = [0]
    let size = 0
    for (let p = 0; p < phrases.length; p++) {
      const phrase = phrases[p] ?? ''
      let node = 0
      for (let i = 0; i < phrase.length; i++) {
        const letter = fold(phrase.charCodeAt(i) & 0xff)
        const map = children[node] as Map<number, number>
        let next = map.get(letter)
        if (next === undefined) {
          next = children.length
          children.push(new Map())
          depth.push(i)
          creator.push(p)
          isLast.push(false)
          parent.push(node)
          letterOf.push(letter)
          map.set(letter, next)
        }
        if (i === phrase.length - 1 && !isLast[next]) {
          isLast[next] = true
          size++
        }
        node = next
      }
    }
    this.size = size
    const count = children.length
    for (let p = 0; p < phrases.length; p++) {
      const phrase = phrases[p] ?? ''
      if (phrase.length === 0) continue
      const a = fold(phrase.charCodeAt(0) & 0xff)
      if (phrase.length === 1) this.single[a] = 1
      else {
        const k = (a << 8) | fold(phrase.charCodeAt(1) & 0xff)
        this.pairs[k >> 3] = (this.pairs[k >> 3] ?? 0) | (1 << (k & 7))
      }
    }

    // 2. failure links, breadth first (v2: one step from the parent's link, else the root)
    const fail = new Int32Array(count)
    let level: number[] = []
    for (const child of (children[0] as Map<number, number>).values()) level.push(child)
    while (level.length > 0) {
      const nextLevel: number[] = []
      for (const node of level) {
        const up = parent[node] ?? 0
        if (up !== 0) {
          const viaParent = (children[fail[up] ?? 0] as Map<number, number>).get(letterOf[node] ?? 0)
          fail[node] = viaParent ?? 0
        }
        for (const child of (children[node] as Map<number, number>).values()) nextLevel.push(child)
      }
      level = nextLevel
    }

    // 3. what reaching a node reports: its own text when it ends a phrase or when a phrase ends
    //    somewhere on its failure chain
    const report: (BinaryString | undefined)[] = new Array<BinaryString | undefined>(count).fill(undefined)
    for (let node = 1; node < count; node++) {
      let hit = isLast[node] === true
      for (let f = fail[node] ?? 0; !hit && f !== 0; f = fail[f] ?? 0) hit = isLast[f] === true
      if (hit) report[node] = (phrases[creator[node] ?? 0] ?? '').slice(0, (depth[node] ?? 0) + 1)
    }

    // 4. flat transition tables: dense for the root, sorted edge lists for the other nodes
    this.rootNext = new Int32Array(256).fill(-1)
    for (const [letter, target] of children[0] as Map<number, number>) this.rootNext[letter] = target
    const edgeStart = new Int32Array(count + 1)
    let edges = 0
    for (let node = 0; node < count; node++) {
      edgeStart[node] = edges
      if (node !== 0) edges += (children[node] as Map<number, number>).size
    }
    edgeStart[count] = edges
    const edgeLetter = new Uint8Array(edges)
    const edgeTarget = new Int32Array(edges)
    for (let node = 1; node < count; node++) {
      const sorted = [...(children[node] as Map<number, number>)].sort((a, b) => a[0] - b[0])
      let at = edgeStart[node] ?? 0
      for (const [letter, target] of sorted) {
        edgeLetter[at] = letter
        edgeTarget[at] = target
        at++
      }
    }
    this.edgeStart = edgeStart
    this.edgeLetter = edgeLetter
    this.edgeTarget = edgeTarget
    this.fail = fail
    this.report = report
  }

  /** What v2 reports for this input (see the class comment), or undefined when nothing matches. */
  find(input: BinaryString): BinaryString | undefined {
    if (!this.mayContain(input)) return undefined
    const { rootNext, fail, report } = this
    let node = 0
    for (let i = 0; i < input.length; i++) {
      let c = input.charCodeAt(i) & 0xff
      if (c >= 0x41 && c <= 0x5a) c += 0x20
      let next: number
      for (;;) {
        next = node === 0 ? (rootNext[c] as number) : this.child(node, c)
        if (next >= 0 || node === 0) break
        node = fail[node] as number
      }
      if (next >= 0) {
        node = next
        const hit = report[node]
        if (hit !== undefined) return hit
      }
    }
    return undefined
  }

  /** False when the input contains no phrase's first two bytes (nor a one-byte phrase). */
  private mayContain(input: BinaryString): boolean {
    const { pairs, single } = this
    let prev = -1
    for (let i = 0; i < input.length; i++) {
      let c = input.charCodeAt(i) & 0xff
      if (c >= 0x41 && c <= 0x5a) c += 0x20
      if (single[c] === 1) return true
      if (prev >= 0) {
        const k = (prev << 8) | c
        if (((pairs[k >> 3] as number) & (1 << (k & 7))) !== 0) return true
      }
      prev = c
    }
    return false
  }

  private child(node: number, letter: number): number {
    const { edgeStart, edgeLetter, edgeTarget } = this
    let lo = edgeStart[node] as number
    let hi = (edgeStart[node + 1] as number) - 1
    if (hi - lo < 8) {
      for (; lo <= hi; lo++) if (edgeLetter[lo] === letter) return edgeTarget[lo] as number
      return -1
    }
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const l = edgeLetter[mid] as number
      if (l === letter) return edgeTarget[mid] as number
      if (l < letter) lo = mid + 1
      else hi = mid - 1
    }
    return -1
  }
}

function fold(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c
}
