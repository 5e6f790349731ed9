import type { BinaryString } from './bytes'
import { classesOf } from './transformations/identity'
import type { LinkedTarget, Program } from './program'
import type { Item } from './variables/item'

/**
 * The rule evaluator's working memory for one transaction, in flat arrays that the program
 * hands from one finished transaction to the next (acquireScratch / releaseScratch), so a
 * transaction allocates almost nothing for it:
 * - cells: the strings the evaluator has seen (item values, interned by string, and the results
 *   of transformations), each with the literal-pool offset of its presence bits;
 * - the transformation cache: (cell, chain node) -> result cell, an open-addressing table whose
 *   entries are valid for the transaction that wrote them (generation stamps, so nothing is
 *   cleared between transactions);
 * - the literal pool: the Program.literals presence bits of each scanned cell;
 * - expanded stable target lists (LinkedRule.targetSet), the transformed values of each slot
 *   (LinkedRule.transformedSlot) and each slot's literal record, valid for one epoch: the data
 *   they come from changes between phases (TxState.invalidate starts a new epoch).
 * Results are immutable strings, so sharing them across rules is always correct; a cell of a
 * result identical to its input is the input's cell (a transformation that changes nothing
 * costs one table entry and no scan).
 */

/**
 * Cap on cache entries per transaction: it bounds the table to 32,768 slots (512 KB), which stays
 * in cache; a table of 50,000 entries (2 MB) made every probe a cache miss and a request of
 * 1,000 JSON members 30 % slower than computing past the cap.
 */
export const TCACHE_MAX_ENTRIES = 16384
/** Cap on cells (strings) per transaction (bounds memory on pathological requests). */
export const MAX_CELLS = 50000

const MIN_TABLE = 1024
/**
 * scratch that grew past these (a request with thousands of values) is large: at most one
 * large scratch is kept (a few MB; regrowing it cost a request of 1,000 arguments ~5 ms)
 */
const SMALL_TABLE = 1 << 15
const SMALL_WORDS = 1 << 18
/** scratch kept per program (the transactions in flight at once in an isolate) */
const KEEP_COUNT = 8

export class TxScratch {
  /** transaction stamp of the cache table's entries */
  private gen = 0
  /** stamp of target sets and slots (TxState.invalidate bumps it) */
  private epoch = 0

  // cells
  private readonly ids = new Map<BinaryString, number>()
  readonly cellStr: BinaryString[] = []
  private cellLit = new Int32Array(256)
  /** the cell whose literal bits a cell has: itself, or the input of a case-only change */
  private cellBits = new Int32Array(256)
  /** the byte classes of a cell's string (transformations/identity.ts), -1 until needed */
  private cellCls = new Int32Array(256)
  private cells = 0
  private cellHigh = 0

  // the transformation cache, (cell, node) -> cell
  /** slots of 4 words side by side (one cache line holds 4 slots): gen, cell, node, result */
  private table = new Int32Array(MIN_TABLE * 4)
  private tCount = 0

  /** literal presence bits, `words` per scanned cell (literal-scan.ts) */
  pool = new Int32Array(1024)
  private poolLen = 0

  // target sets: items and the targets that produced them, in two parallel arenas
  private readonly setEpoch: Int32Array
  private readonly setStart: Int32Array
  private readonly setLen: Int32Array
  readonly items: Item[] = []
  readonly owners: (LinkedTarget | undefined)[] = []
  private itemsLen = 0
  private itemsHigh = 0

  // slots: transformed values (filled as rules reach them) and literal records
  private readonly valsEpoch: Int32Array
  private readonly valsStart: Int32Array
  readonly vals: (BinaryString | undefined)[] = []
  private valsLen = 0
  private valsHigh = 0
  private readonly litsEpoch: Int32Array
  private readonly litsStart: Int32Array
  lits = new Int32Array(1024)
  private litsLen = 0

  constructor(setCount: number, slotCount: number) {
    this.setEpoch = new Int32Array(setCount)
    this.setStart = new Int32Array(setCount)
    this.setLen = new Int32Array(setCount)
    this.valsEpoch = new Int32Array(slotCount)
    this.valsStart = new Int32Array(slotCount)
    this.litsEpoch = new Int32Array(slotCount)
    this.litsStart = new Int32Array(slotCount)
  }

  /** Start a transaction: everything of the previous one is stale. */
  begin(): void {
    if (this.gen >= 0x3fffffff) {
      // stamps wrap: forget them all
      this.gen = 0
      this.epoch = 0
      this.table.fill(0)
      this.setEpoch.fill(0)
      this.valsEpoch.fill(0)
      this.litsEpoch.fill(0)
    }
    this.gen++
    this.cells = 0
    this.tCount = 0
    this.poolLen = 0
    this.newEpoch()
  }

  /** The data target lists come from changed: expanded lists and slots are stale. */
  newEpoch(): void {
    this.epoch++
    this.itemsLen = 0
    this.valsLen = 0
    this.litsLen = 0
  }

  /** Drop the references to the transaction's strings and items (before the scratch is kept). */
  end(): void {
    if (this.ids.size !== 0) this.ids.clear()
    this.cellStr.fill('', 0, this.cellHigh)
    this.items.fill(NO_ITEM, 0, this.itemsHigh)
    this.owners.fill(undefined, 0, this.itemsHigh)
    this.vals.fill(undefined, 0, this.valsHigh)
    this.cellHigh = 0
    this.itemsHigh = 0
    this.valsHigh = 0
  }

  /** grown past the small sizes (see SMALL_TABLE) */
  large(): boolean {
    return (
      this.table.length > SMALL_TABLE * 4 ||
      this.pool.length > SMALL_WORDS ||
      this.lits.length > SMALL_WORDS ||
      this.items.length > SMALL_WORDS ||
      this.vals.length > SMALL_WORDS
    )
  }

  /** the cache holds TCACHE_MAX_ENTRIES entries: nothing more is recorded */
  full(): boolean {
    return this.tCount >= TCACHE_MAX_ENTRIES
  }

  // -- cells --

  /** The cell of an item's value string (interned: equal strings share one), -1 when full. */
  intern(v: BinaryString): number {
    const known = this.ids.get(v)
    if (known !== undefined) return known
    const c = this.newCell(v)
    if (c >= 0) this.ids.set(v, c)
    return c
  }

  /**
   * A new cell for a string (a transformation result), -1 when full. `sameBits`: a cell whose
   * literal bits the string has too (the input of t:lowercase: the index folds ASCII case), so
   * it is not scanned again.
   */
  newCell(v: BinaryString, sameBits = -1): number {
    const c = this.cells
    if (c >= MAX_CELLS) return -1
    if (c === this.cellStr.length) this.cellStr.push(v)
    else this.cellStr[c] = v
    if (c === this.cellLit.length) {
      this.cellLit = grow(this.cellLit, c * 2)
      this.cellBits = grow(this.cellBits, c * 2)
      this.cellCls = grow(this.cellCls, c * 2)
    }
    this.cellLit[c] = -1
    this.cellCls[c] = -1
    this.cellBits[c] = sameBits >= 0 ? (this.cellBits[sameBits] as number) : c
    this.cells = c + 1
    if (c >= this.cellHigh) this.cellHigh = c + 1
    return c
  }

  str(c: number): BinaryString {
    return this.cellStr[c] as BinaryString
  }

  /** the byte classes of the cell's string (computed once) */
  classes(c: number): number {
    let m = this.cellCls[c] as number
    if (m < 0) {
      m = classesOf(this.cellStr[c] as BinaryString)
      this.cellCls[c] = m
    }
    return m
  }

  /** literal-pool offset of the cell's bits, -1 when not scanned */
  litOf(c: number): number {
    return this.cellLit[this.cellBits[c] as number] as number
  }

  setLit(c: number, off: number): void {
    this.cellLit[this.cellBits[c] as number] = off
  }

  // -- transformation cache --

  /** the result cell of chain node `node` on cell `c`, -1 when not cached */
  find(c: number, node: number): number {
    const t = this.table
    const mask = (t.length >> 2) - 1
    const gen = this.gen
    for (let i = hash(c, node) & mask; ; i = (i + 1) & mask) {
      const p = i << 2
      if (t[p] !== gen) return -1
      if (t[p + 1] === c && t[p + 2] === node) return t[p + 3] as number
    }
  }

  /** Record node `node`'s result on cell `c` (nothing once the cache is full). */
  insert(c: number, node: number, result: number): void {
    if (this.tCount >= TCACHE_MAX_ENTRIES) return
    if ((this.tCount + 1) * 2 > this.table.length >> 2) this.rehash((this.table.length >> 2) * 2)
    this.put(c, node, result)
    this.tCount++
  }

  private put(c: number, node: number, result: number): void {
    const t = this.table
    const mask = (t.length >> 2) - 1
    const gen = this.gen
    let i = hash(c, node) & mask
    while (t[i << 2] === gen) {
      const p = i << 2
      if (t[p + 1] === c && t[p + 2] === node) break
      i = (i + 1) & mask
    }
    const p = i << 2
    t[p] = gen
    t[p + 1] = c
    t[p + 2] = node
    t[p + 3] = result
  }

  private rehash(slots: number): void {
    const old = this.table
    this.table = new Int32Array(slots * 4)
    for (let p = 0; p < old.length; p += 4)
      if (old[p] === this.gen) this.put(old[p + 1] as number, old[p + 2] as number, old[p + 3] as number)
  }

  // -- literal pool --

  /** `words` zeroed words at the end of the pool: their offset (this.pool may be replaced) */
  reserveWords(words: number): number {
    const at = this.poolLen
    const end = at + words
    if (end > this.pool.length) this.pool = grow(this.pool, Math.max(end, this.pool.length * 2))
    this.pool.fill(0, at, end)
    this.poolLen = end
    return at
  }

  // -- target sets --

  /** where target set `set` starts in items/owners, -1 when not expanded in this epoch */
  setBase(set: number): number {
    return this.setEpoch[set] === this.epoch ? (this.setStart[set] as number) : -1
  }

  setSize(set: number): number {
    return this.setLen[set] as number
  }

  /** Keep an expanded target set (copied from the evaluator's scratch lists): its base. */
  storeSet(set: number, items: readonly Item[], owners: readonly LinkedTarget[]): number {
    const at = this.itemsLen
    const n = items.length
    const arena = this.items
    const own = this.owners
    // overwrite what the arenas hold, then append
    const fit = Math.max(0, Math.min(n, arena.length - at))
    for (let i = 0; i < fit; i++) {
      arena[at + i] = items[i] as Item
      own[at + i] = owners[i] as LinkedTarget
    }
    for (let i = fit; i < n; i++) {
      arena.push(items[i] as Item)
      own.push(owners[i] as LinkedTarget)
    }
    this.itemsLen = at + n
    if (this.itemsLen > this.itemsHigh) this.itemsHigh = this.itemsLen
    this.setEpoch[set] = this.epoch
    this.setStart[set] = at
    this.setLen[set] = n
    return at
  }

  // -- slots --

  /** where slot `slot`'s n transformed values start in vals (created unfilled when new) */
  slotVals(slot: number, n: number): number {
    if (this.valsEpoch[slot] === this.epoch) return this.valsStart[slot] as number
    const at = this.valsLen
    const vals = this.vals
    const fit = Math.max(0, Math.min(n, vals.length - at))
    if (fit > 0) vals.fill(undefined, at, at + fit)
    for (let i = fit; i < n; i++) vals.push(undefined)
    this.valsLen = at + n
    if (this.valsLen > this.valsHigh) this.valsHigh = this.valsLen
    this.valsEpoch[slot] = this.epoch
    this.valsStart[slot] = at
    return at
  }

  /** where slot `slot`'s literal record starts in lits, -1 when not made in this epoch */
  slotLits(slot: number): number {
    return this.litsEpoch[slot] === this.epoch ? (this.litsStart[slot] as number) : -1
  }

  /** `size` zeroed words for slot `slot`'s literal record: their offset (this.lits may be replaced) */
  newSlotLits(slot: number, size: number): number {
    const at = this.litsLen
    const end = at + size
    if (end > this.lits.length) this.lits = grow(this.lits, Math.max(end, this.lits.length * 2))
    this.lits.fill(0, at, end)
    this.litsLen = end
    this.litsEpoch[slot] = this.epoch
    this.litsStart[slot] = at
    return at
  }
}

const NO_ITEM: Item = { key: '', fkey: '', name: '', value: '', vtx: 0, cell: -1 }

function hash(c: number, node: number): number {
  const h = Math.imul(c, 0x9e3779b1) ^ Math.imul(node, 0x85ebca77)
  return h ^ (h >>> 16)
}

function grow(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size)
  b.set(a)
  return b
}

/** A scratch for a new transaction of `program`: a kept one, or a new one. */
export function acquireScratch(program: Program): TxScratch {
  const sc = program.scratch.pop() ?? new TxScratch(program.targetSetCount, program.transformedSlotCount)
  sc.begin()
  return sc
}

/** The transaction is over: its scratch forgets it and is kept for the next one. */
export function releaseScratch(program: Program, sc: TxScratch): void {
  sc.end()
  const kept = program.scratch
  if (kept.length >= KEEP_COUNT) return
  if (sc.large()) for (let i = 0; i < kept.length; i++) if ((kept[i] as TxScratch).large()) return
  kept.push(sc)
}
