import { atoi } from './atoi'
import { parseIPv4, parseIPv6 } from './ip-address'

/**
 * A set of IPv4 and IPv6 networks for @ipMatch / @ipMatchFromFile: one binary trie per family,
 * a lookup walks at most 32 or 128 bits. Built once per isolate.
 */
export class IpSet {
  private readonly v4 = new BitTrie()
  private readonly v6 = new BitTrie()

  /** Add one entry ("1.2.3.4", "10.0.0.0/8", "2001:db8::/32"); false when v2 would refuse it. */
  add(entry: string): boolean {
    const net = parseNetwork(entry)
    if (net === undefined) return false
    ;(net.bytes.length === 4 ? this.v4 : this.v6).insert(net.bytes, net.bits)
    return true
  }

  /** Whether an address (already parsed) lies in one of the networks. */
  contains(address: Uint8Array): boolean {
    return (address.length === 4 ? this.v4 : this.v6).covers(address)
  }
}

/**
 * One list entry as ModSecurity 2.9.7 accepts it (msc_tree.c TreeAddIP; all cases recorded in
 * test/vectors/operators/ipMatch.json): IPv6 when it contains ':', else IPv4; nothing is
 * trimmed ("1.2.3.4, 5.6.7.8" fails on " 5.6.7.8"); the mask after '/' is read with atoi
 * ("/8x" = 8) and must be 1..32 (IPv4, no '.') or 1..128 (IPv6, no ':'); "/0" is refused and so
 * are the full-length masks "/32" and "/128" (v2 then leaves the mask in the address text,
 * which inet_pton rejects). Host bits after the mask are ignored. v2 copies an entry into a
 * 32-byte (IPv4) or 128-byte (IPv6) buffer first, so longer entries are cut.
 */
export function parseNetwork(entry: string): { bytes: Uint8Array; bits: number } | undefined {
  const v6 = entry.includes(':')
  const text = entry.slice(0, v6 ? 127 : 31)
  const full = v6 ? 128 : 32
  const slash = text.indexOf('/')
  let bits = full
  let address = text
  if (slash >= 0) {
    const mask = text.slice(slash + 1)
    if (mask.includes(v6 ? ':' : '.')) return undefined
    bits = atoi(mask)
    if (bits <= 0 || bits >= full) return undefined
    address = text.slice(0, slash)
  }
  const bytes = v6 ? parseIPv6(address) : parseIPv4(address)
  return bytes === undefined ? undefined : { bytes, bits }
}

/** Binary trie over address bits; `end` marks nodes where a network ends. */
class BitTrie {
  private zero: number[] = [-1]
  private one: number[] = [-1]
  private end: boolean[] = [false]

  insert(bytes: Uint8Array, bits: number): void {
    let node = 0
    for (let b = 0; b < bits; b++) {
      if (this.end[node] === true) return // a shorter network already covers this one
      const bit = ((bytes[b >> 3] ?? 0) >> (7 - (b & 7))) & 1
      const branch = bit === 0 ? this.zero : this.one
      let next = branch[node] ?? -1
      if (next < 0) {
        next = this.end.length
        this.zero.push(-1)
        this.one.push(-1)
        this.end.push(false)
        branch[node] = next
      }
      node = next
    }
    this.end[node] = true
  }

  covers(bytes: Uint8Array): boolean {
    const total = bytes.length * 8
    let node = 0
    for (let b = 0; ; b++) {
      if (this.end[node] === true) return true
      if (b === total) return false
      const bit = ((bytes[b >> 3] ?? 0) >> (7 - (b & 7))) & 1
      node = (bit === 0 ? this.zero[node] : this.one[node]) ?? -1
      if (node < 0) return false
    }
  }
}
