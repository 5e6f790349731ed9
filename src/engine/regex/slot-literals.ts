import type { BinaryString } from '../bytes'

/**
 * An Aho-Corasick automaton over prefilter literals, ASCII case folded. The engine builds one
 * for the required literals of every slotted @rx rule (link.ts indexLiterals, Program.literals):
 * each distinct value of a transaction is scanned once (a few ns per byte) into `words` 32-bit
 * words of "literal present" bits, and each rule tests its literals' bits (LinkedRule.literalMask)
 * against its slot's union and its items before it calls its operator (rule-eval.ts).
 *
 * Exact: bit k is set iff the value, ASCII case folded, contains literal k. A rule none of whose
 * literals is present would be answered NO_MATCH by its own prefilter (regex/prefilter.ts: every
 * match contains one of them), so skipping its operator call changes nothing. Built once per
 * isolate, lazily on the first scan.
 */
export class SlotLiterals {
  readonly words: number
  private table: Uint16Array | Uint32Array | null = null
  private readonly classOf = new Uint8Array(256)
  private classes = 1
  /** per state: the bits of the literals that end there (own and through suffix links), as (word, bits) pairs */
  private outputs: (Int32Array | null)[] = []

  constructor(private readonly literals: readonly string[]) {
    this.words = Math.max(1, (literals.length + 31) >> 5)
  }

  /** OR the presence bits of the (folded) value into out[at .. at + words - 1]. */
  scan(s: BinaryString, out: number[], at: number): void {
    if (this.table === null) this.build()
    const table = this.table as Uint16Array | Uint32Array
    const classOf = this.classOf
    const k = this.classes
    const outputs = this.outputs
    let state = 0
    for (let i = 0; i < s.length; i++) {
      state = table[state * k + (classOf[s.charCodeAt(i) & 0xff] as number)] as number
      const o = outputs[state]
      if (o !== null && o !== undefined)
        for (let j = 0; j < o.length; j += 2) {
          const w = at + (o[j] as number)
          out[w] = (out[w] as number) | (o[j + 1] as number)
        }
    }
  }

  private build(): void {
    const classOf = this.classOf
    let classes = 1
    for (const lit of this.literals) {
      for (let i = 0; i < lit.length; i++) {
        const c = lit.charCodeAt(i) & 0xff
        if (classOf[c] !== 0) continue
        classOf[c] = classes
        if (c >= 0x61 && c <= 0x7a) classOf[c - 0x20] = classes
        classes++
      }
    }
    const words = this.words
    // trie over byte classes
    const children: Map<number, number>[] = [new Map()]
    const ends: (Int32Array | null)[] = [null]
    for (let id = 0; id < this.literals.length; id++) {
      const lit = this.literals[id] as string
      let node = 0
      for (let i = 0; i < lit.length; i++) {
        const cls = classOf[lit.charCodeAt(i) & 0xff] as number
        const m = children[node] as Map<number, number>
        let next = m.get(cls)
        if (next === undefined) {
          next = children.length
          children.push(new Map())
          ends.push(null)
          m.set(cls, next)
        }
        node = next
      }
      let e = ends[node]
      if (e === null || e === undefined) {
        e = new Int32Array(words)
        ends[node] = e
      }
      e[id >> 5] = (e[id >> 5] as number) | (1 << (id & 31))
    }
    // dense transitions with the failure links folded in, breadth first
    const n = children.length
    const table = n < 65536 ? new Uint16Array(n * classes) : new Uint32Array(n * classes)
    const fail = new Int32Array(n)
    const outputs: (Int32Array | null)[] = new Array<Int32Array | null>(n).fill(null)
    const queue: number[] = []
    const root = children[0] as Map<number, number>
    for (let c = 1; c < classes; c++) {
      const child = root.get(c)
      if (child !== undefined) {
        table[c] = child
        queue.push(child)
      }
    }
    for (let q = 0; q < queue.length; q++) {
      const node = queue[q] as number
      const own = ends[node] ?? null
      const inherited = outputs[fail[node] as number] ?? null
      if (own !== null && inherited !== null) {
        const o = new Int32Array(words)
        for (let w = 0; w < words; w++) o[w] = (own[w] as number) | (inherited[w] as number)
        outputs[node] = o
      } else outputs[node] = own ?? inherited
      const m = children[node] as Map<number, number>
      for (let c = 0; c < classes; c++) {
        const child = c === 0 ? undefined : m.get(c)
        const viaFail = table[(fail[node] as number) * classes + c] as number
        if (child !== undefined) {
          fail[child] = viaFail
          table[node * classes + c] = child
          queue.push(child)
        } else table[node * classes + c] = viaFail
      }
    }
    this.classes = classes
    // sparse (word, bits) pairs: a state's output names few words, and CRS has one-byte literals
    // that fire on most bytes
    const sparse = new Map<Int32Array, Int32Array>()
    this.outputs = outputs.map((o) => {
      if (o === null) return null
      let sp = sparse.get(o)
      if (sp === undefined) {
        const pairs: number[] = []
        for (let w = 0; w < o.length; w++) if (o[w] !== 0) pairs.push(w, o[w] as number)
        sp = Int32Array.from(pairs)
        sparse.set(o, sp)
      }
      return sp
    })
    this.table = table
  }
}
