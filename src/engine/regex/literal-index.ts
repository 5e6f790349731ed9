import type { BinaryString } from '../bytes'

/**
 * One Aho-Corasick automaton over the literals of many rules, ASCII case folded: the engine
 * builds one per program (link-literals.ts indexLiterals, Program.literals) over the required literals of
 * every slotted @rx prefilter and the phrases of every slotted @pm / @pmFromFile / @pmf. Each
 * entry is (literal, bit): a literal sets its rules' bits, so a bit means "some literal of this
 * rule occurs". Each distinct value of a transaction is scanned once into `words` 32-bit words;
 * each rule tests its bit (LinkedRule.litWord/litBits) against its slot's union and its items before
 * it calls its operator (literal-scan.ts, rule-eval.ts).
 *
 * Exact: a bit is set iff the value, ASCII case folded (A-Z only; bytes >= 0x80 compare exactly),
 * contains one of the bit's literals. A rule whose bit is clear would be answered NO_MATCH by its
 * own operator: an @rx prefilter literal is in every match (regex/prefilter.ts), and @pm reports
 * only where a phrase ends (operators/aho-corasick.ts), so skipping the call changes nothing.
 *
 * Layout: the CRS phrase and command lists make ~95,000 trie nodes, too many for a dense DFA
 * (nodes x byte classes). The root and the first two levels get a dense row with the failure
 * transitions folded in (the scan spends most bytes there); deeper nodes keep their edges (most
 * have one) and fall back through their failure link, whose depth is smaller, so a byte costs
 * amortised O(1) steps as in the textbook automaton. Built once per isolate, lazily on the first
 * scan (in the Worker, by the start-up warm-up).
 */
export class LiteralIndex {
  readonly words: number
  /** number of trie nodes (for diagnostics and tests) */
  nodeCount = 0
  /** number of nodes with a dense row */
  denseCount = 0
  private built = false
  private readonly classOf = new Uint8Array(256)
  /** per node: start of its dense row in `dense`, or -1 (one edge, see oneClass/oneChild) */
  private rowOf = new Int32Array(1)
  private dense = new Int32Array(1)
  /** per sparse node: its edges edgeStart[node] .. edgeStart[node + 1] - 1 (class, child) */
  private edgeStart = new Int32Array(2)
  private edgeClass = new Int32Array(0)
  private edgeChild = new Int32Array(0)
  private fail = new Int32Array(1)
  /**
   * per node: the bits of the literals that end there (own and through failure links), as
   * (word, bits) pairs in outPairs[outStart[node] .. outStart[node + 1] - 1] (none: empty range)
   */
  private outStart = new Int32Array(2)
  private outPairs = new Int32Array(0)

  /**
   * @param entries (literal, bit) pairs; literals are folded here (ASCII A-Z); an empty literal
   *   is rejected (it would be in every value: index its rule without it, or not at all)
   * @param bitCount number of distinct bits (words = ceil(bitCount / 32))
   */
  constructor(
    private readonly entries: readonly (readonly [BinaryString, number])[],
    bitCount: number,
  ) {
    for (const [lit] of entries) if (lit.length === 0) throw new Error('LiteralIndex: empty literal')
    this.words = Math.max(1, (bitCount + 31) >> 5)
  }

  /** One bit per literal, bit k for literals[k]. */
  static perLiteral(literals: readonly BinaryString[]): LiteralIndex {
    return new LiteralIndex(
      literals.map((l, k) => [l, k] as const),
      literals.length,
    )
  }

  /** Build the automaton now (warm.ts) rather than on the first scan. */
  prepare(): void {
    if (!this.built) this.build()
  }

  /** OR the presence bits of the (folded) value into out[at .. at + words - 1]. */
  scan(s: BinaryString, out: Int32Array, at: number): void {
    if (!this.built) this.build()
    const classOf = this.classOf
    const rowOf = this.rowOf
    const dense = this.dense
    const edgeStart = this.edgeStart
    const edgeClass = this.edgeClass
    const edgeChild = this.edgeChild
    const fail = this.fail
    const outStart = this.outStart
    const outPairs = this.outPairs
    let state = 0
    for (let i = 0; i < s.length; i++) {
      const c = classOf[s.charCodeAt(i) & 0xff] as number
      for (;;) {
        const row = rowOf[state] as number
        if (row >= 0) {
          state = dense[row + c] as number
          break
        }
        let next = -1
        const end = edgeStart[state + 1] as number
        for (let e = edgeStart[state] as number; e < end; e++)
          if (edgeClass[e] === c) {
            next = edgeChild[e] as number
            break
          }
        if (next >= 0) {
          state = next
          break
        }
        state = fail[state] as number
      }
      const oEnd = outStart[state + 1] as number
      for (let j = outStart[state] as number; j < oEnd; j += 2) {
        const w = at + (outPairs[j] as number)
        out[w] = (out[w] as number) | (outPairs[j + 1] as number)
      }
    }
  }

  private build(): void {
    const classOf = this.classOf
    let classes = 1
    let total = 1
    for (const [lit] of this.entries) {
      total += lit.length
      for (let i = 0; i < lit.length; i++) {
        let c = lit.charCodeAt(i) & 0xff
        if (c >= 0x41 && c <= 0x5a) c |= 0x20
        if (classOf[c] !== 0) continue
        classOf[c] = classes
        if (c >= 0x61 && c <= 0x7a) classOf[c - 0x20] = classes
        classes++
      }
    }
    const words = this.words
    // trie over byte classes: edges in one open-addressed table keyed by node * 256 + class,
    // children as first-child / next-sibling lists (the CRS phrase lists make ~80,000 nodes)
    let bits = 4
    while (1 << bits < total * 2) bits++
    const mask = (1 << bits) - 1
    const edgeKey = new Int32Array(1 << bits).fill(-1)
    const edgeNode = new Int32Array(1 << bits)
    const firstChild = new Int32Array(total).fill(-1)
    const nextSibling = new Int32Array(total).fill(-1)
    const classIn = new Int32Array(total)
    const childCount = new Int32Array(total)
    const depth = new Int32Array(total)
    const ends = new Map<number, Int32Array>()
    let n = 1
    for (const [lit, bit] of this.entries) {
      let node = 0
      for (let i = 0; i < lit.length; i++) {
        const cls = classOf[lit.charCodeAt(i) & 0xff] as number
        const key = node * 256 + cls
        let h = Math.imul(key, 0x9e3779b1) >>> (32 - bits)
        while (edgeKey[h] !== -1 && edgeKey[h] !== key) h = (h + 1) & mask
        let next: number
        if (edgeKey[h] === key) next = edgeNode[h] as number
        else {
          next = n++
          edgeKey[h] = key
          edgeNode[h] = next
          classIn[next] = cls
          depth[next] = i + 1
          nextSibling[next] = firstChild[node] as number
          firstChild[node] = next
          childCount[node] = (childCount[node] as number) + 1
        }
        node = next
      }
      let e = ends.get(node)
      if (e === undefined) {
        e = new Int32Array(words)
        ends.set(node, e)
      }
      e[bit >> 5] = (e[bit >> 5] as number) | (1 << (bit & 31))
    }
    // dense rows: the root and the first two levels (where the scan spends most bytes); the
    // others keep their edges (compressed rows: most have one child)
    const rowOf = new Int32Array(n).fill(-1)
    let rows = 0
    for (let v = 0; v < n; v++) if ((depth[v] as number) <= 2) rowOf[v] = rows++ * classes
    const dense = new Int32Array(rows * classes)
    const edgeStart = new Int32Array(n + 1)
    for (let v = 0, e = 0; v < n; v++) {
      edgeStart[v] = e
      if ((rowOf[v] as number) < 0) e += childCount[v] as number
      edgeStart[v + 1] = e
    }
    const edgeClass = new Int32Array(edgeStart[n] as number)
    const edgeChild = new Int32Array(edgeStart[n] as number)
    const edgeFill = edgeStart.slice(0, n)
    const fail = new Int32Array(n)
    const outputs: (Int32Array | null)[] = new Array<Int32Array | null>(n).fill(null)
    this.rowOf = rowOf
    this.dense = dense
    this.edgeStart = edgeStart
    this.edgeClass = edgeClass
    this.edgeChild = edgeChild
    this.fail = fail
    // breadth first: a node's failure target is shallower, so its transitions are final
    const queue = new Int32Array(n)
    let tail = 1
    for (let q = 0; q < tail; q++) {
      const node = queue[q] as number
      if (node !== 0) {
        const own = ends.get(node) ?? null
        const inherited = outputs[fail[node] as number] ?? null
        if (own !== null && inherited !== null) {
          const o = new Int32Array(words)
          for (let w = 0; w < words; w++) o[w] = (own[w] as number) | (inherited[w] as number)
          outputs[node] = o
        } else outputs[node] = own ?? inherited
      }
      const row = rowOf[node] as number
      const failNode = fail[node] as number
      if (row >= 0) {
        // the failure transitions first, then the node's own children over them
        if (node === 0) dense.fill(0, 0, classes)
        else {
          const failRow = rowOf[failNode] as number
          if (failRow >= 0) dense.copyWithin(row, failRow, failRow + classes)
          else for (let c = 0; c < classes; c++) dense[row + c] = this.step(failNode, c)
        }
      }
      for (let child = firstChild[node] as number; child >= 0; child = nextSibling[child] as number) {
        const c = classIn[child] as number
        // the child's failure target: where the node's failure target goes on c (the root's
        // children fail to the root)
        fail[child] = node === 0 ? 0 : this.step(failNode, c)
        queue[tail++] = child
        if (row >= 0) dense[row + c] = child
        else {
          const e = edgeFill[node] as number
          edgeClass[e] = c
          edgeChild[e] = child
          edgeFill[node] = e + 1
        }
      }
    }
    // sparse (word, bits) pairs: a state's output names few words
    const outStart = new Int32Array(n + 1)
    const pairs: number[] = []
    for (let v = 0; v < n; v++) {
      outStart[v] = pairs.length
      const o = outputs[v]
      if (o !== null && o !== undefined)
        for (let w = 0; w < o.length; w++) if (o[w] !== 0) pairs.push(w, o[w] as number)
    }
    outStart[n] = pairs.length
    this.outStart = outStart
    this.outPairs = Int32Array.from(pairs)
    this.nodeCount = n
    this.denseCount = rows
    this.built = true
  }

  /** The transition from `state` on class c (the state's own row or edge, else its failure chain). */
  private step(state: number, c: number): number {
    for (;;) {
      const row = this.rowOf[state] as number
      if (row >= 0) return this.dense[row + c] as number
      const end = this.edgeStart[state + 1] as number
      for (let e = this.edgeStart[state] as number; e < end; e++)
        if (this.edgeClass[e] === c) return this.edgeChild[e] as number
      state = this.fail[state] as number
    }
  }
}
