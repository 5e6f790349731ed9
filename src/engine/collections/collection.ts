import type { BinaryString } from '../bytes'
import { asciiLower } from '../log-escape'
import { collectionItem, type Item } from '../variables/item'

/**
 * A keyed, ordered collection with case-insensitive keys (TX, ENV, GEO and the persistent
 * collections), with the APR-table behaviour v2 relies on:
 * - keys compare case-insensitively (ASCII), insertion order is kept;
 * - an absolute set (setvar:tx.A=1) replaces the value in place and takes the new spelling of
 *   the key; a relative change (=+, =-) keeps the spelling already stored (recorded on 2.9.7:
 *   setvar:TX.Mixed=1 then setvar:tx.MIXED=+1 is listed as TX:Mixed);
 * - deleting and setting again appends at the end.
 * Items are replaced, never mutated, so references held in MATCHED_VARS stay valid.
 */
export class Collection {
  private readonly map = new Map<string, Item>()
  private snapshot: Item[] | undefined
  /** set on every change (persistent collections are written back only when dirty) */
  dirty = false

  constructor(
    /** printed name prefix: "TX", "IP", "GEO" */
    readonly prefix: string,
  ) {}

  get size(): number {
    return this.map.size
  }

  get(key: string): Item | undefined {
    return this.map.get(asciiLower(key))
  }

  getFolded(fkey: string): Item | undefined {
    return this.map.get(fkey)
  }

  /** Absolute set: value and key spelling replaced. */
  set(key: BinaryString, value: BinaryString): void {
    const fkey = asciiLower(key)
    const old = this.map.get(fkey)
    // same spelling: the new item shares the old one's folded key and printed name
    this.map.set(
      fkey,
      old !== undefined && old.key === key ? withValue(old, value) : collectionItem(this.prefix, key, value),
    )
    this.snapshot = undefined
    this.dirty = true
  }

  /**
   * set() for a key whose folded form and item name (collectionItem's, for this collection's
   * prefix) the caller already has: nothing is built for the key (setvar's fixed keys).
   */
  setKnown(key: BinaryString, fkey: string, name: string, value: BinaryString): void {
    const old = this.map.get(fkey)
    this.map.set(
      fkey,
      old !== undefined && old.key === key
        ? withValue(old, value)
        : { key, fkey, name, value, vtx: 0, cell: -1 },
    )
    this.snapshot = undefined
    this.dirty = true
  }

  /** Value change that keeps the stored spelling of the key (relative setvar). */
  update(key: BinaryString, value: BinaryString): void {
    const fkey = asciiLower(key)
    const old = this.map.get(fkey)
    this.map.set(fkey, old !== undefined ? withValue(old, value) : collectionItem(this.prefix, key, value))
    this.snapshot = undefined
    this.dirty = true
  }

  /** update() with the key's folded form and item name known (see setKnown). */
  updateKnown(key: BinaryString, fkey: string, name: string, value: BinaryString): void {
    const old = this.map.get(fkey)
    this.map.set(
      fkey,
      old !== undefined ? withValue(old, value) : { key, fkey, name, value, vtx: 0, cell: -1 },
    )
    this.snapshot = undefined
    this.dirty = true
  }

  delete(key: string): boolean {
    const had = this.map.delete(asciiLower(key))
    if (had) {
      this.snapshot = undefined
      this.dirty = true
    }
    return had
  }

  /** All items in order; the array is cached until the next change. */
  items(): readonly Item[] {
    if (this.snapshot === undefined) this.snapshot = Array.from(this.map.values())
    return this.snapshot
  }

  /** Plain [key, value] pairs in order (for persistence and tests). */
  entries(): [string, string][] {
    const out: [string, string][] = []
    for (const it of this.map.values()) out.push([it.key, it.value])
    return out
  }
}

/** A new item with another value (items are never mutated: MATCHED_VARS may hold the old one). */
function withValue(old: Item, value: BinaryString): Item {
  return { key: old.key, fkey: old.fkey, name: old.name, value, vtx: 0, cell: -1 }
}
