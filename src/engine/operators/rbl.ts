import type { BinaryString } from '../bytes'
import { logEscapeNq } from '../log-escape'
import { cString, isCSpace } from './c-string'
import { parseIPv6 } from './ip-address'
import type { OperatorContext, OperatorDef } from './types'

/**
 * @rbl <zone>: looks the input up in a DNS block list. Semantics of ModSecurity 2.9.7
 * (msre_op_rbl_execute; recorded: test/vectors/operators/rbl.json):
 *
 * - the name: when the input reads as four integers with sscanf("%d.%d.%d.%d") (leading
 *   whitespace and signs allowed, trailing text ignored, "01" is 1, out-of-range values wrap as
 *   a C int), they are reversed: "1.2.3.4" -> "4.3.2.1.<zone>"; with a zone containing
 *   "httpbl.org" the SecHttpBlKey comes first ("<key>.4.3.2.1.dnsbl.httpbl.org"), and without a
 *   key the operator fails (v2 returns -1: "Rule processing failed"). Any other input is taken
 *   as a host name: "<input>.<zone>" (up to a NUL byte);
 * - a match when the name has an A record. The message is `RBL lookup of <name> succeeded at
 *   <VAR>.`, with a suffix chosen from the last octet of the first address for zones containing
 *   "uribl.com" (BLACK, GREY, RED...) or "spamhaus.org" (Static UBE sources...) - v2 reads it as
 *   `s_addr >> 24`, the last octet on the little-endian machines it runs on - and, for
 *   "httpbl.org", the decoded Project Honey Pot answer 127.<days>.<score>.<type>
 *   (`... succeeded at <VAR>. Search Engine: 5 days since last activity, threat score 20`; a
 *   first octet other than 127 is `RBL lookup of <name> failed: bad response`, still a match);
 * - with `capture`, TX.0 = that message (CRS 910140 parses it); TX.1-9 are left alone.
 *
 * At the edge (deliberate differences, see README "@rbl"):
 * - the lookup goes through ctx.dns (DNS-over-HTTPS in the Worker). No resolver configured, or
 *   a lookup that failed (timeout, network, SERVFAIL, more than MAX_LOOKUPS_PER_TRANSACTION
 *   names) does not match and sets TX:RBL_LOOKUP_FAILED=1, which rules can test; v2 has no such
 *   signal (a failed getaddrinfo is a silent "no match");
 * - an answer in 127.255.255.0/24 is a DNSBL error code, not a listing (Spamhaus answers
 *   127.255.255.254 to every query that comes through a public resolver, as DoH does): treated
 *   as a failed lookup, where v2 would match;
 * - an IPv6 input (which v2 turns into the name "2001:db8::1.<zone>", found nowhere) is looked
 *   up in the RFC 5782 form, 32 reversed nibbles ("1.0.0.0...8.b.d.0.1.0.0.2.<zone>"); an
 *   IPv4-mapped address (::ffff:1.2.3.4) as its IPv4 address; with an httpBL zone (IPv4 only)
 *   an IPv6 input is not looked up (no match);
 * - a name that is not a DNS host name (labels of letters, digits, '-' and '_', at most 63
 *   bytes each, 253 in all) is not looked up (no match): v2 would ask its resolver, which finds
 *   no such name.
 */

/** TX variable set to "1" when a lookup could not be made or failed (never a silent pass). */
export const RBL_LOOKUP_FAILED = 'RBL_LOOKUP_FAILED'

/** v2's text when an httpBL zone is used without SecHttpBlKey (the operator fails). */
export const HTTPBL_NO_KEY = 'RBL httpBl called but no key defined: set SecHttpBlKey'

/** lookupName(): the input cannot give a name worth asking for (no match). */
const NO_LOOKUP = 0
/** lookupName(): httpBL zone, IPv4 input and no SecHttpBlKey (operator error). */
const NO_KEY = 1

export const rbl: OperatorDef = {
  name: 'rbl',
  doc: 'Looks the input (an IPv4 address, reversed, or a host name) up in the DNS block list given as argument; matches when it is listed.',
  async: true,
  link: (op) => {
    const zone = op.arg
    const negated = op.negated
    const kind: ZoneKind = zone.includes('uribl.com')
      ? 'uribl'
      : zone.includes('spamhaus.org')
        ? 'spamhaus'
        : zone.includes('httpbl.org')
          ? 'httpbl'
          : 'plain'
    // v2 adds the key for any zone containing "httpbl.org", whatever the message branch
    const keyed = zone.includes('httpbl.org')
    return (input, ctx) => {
      const name = lookupName(input, zone, keyed, ctx.httpBlKey)
      if (ctx.probe === true) {
        // probe pass (see src/engine/dns.ts): only ask, and answer what leaves the rule unmatched
        const dns = ctx.dns
        if (typeof name === 'string' && dns !== undefined && dns.answer(name) === undefined) dns.request(name)
        return negated
      }
      if (name === NO_KEY) {
        ctx.error = HTTPBL_NO_KEY
        return false
      }
      if (name === NO_LOOKUP) return false
      const answer = ctx.dns === undefined ? undefined : ctx.dns.answer(name)
      if (answer === undefined || answer === null) return failed(ctx)
      if (answer.length === 0) return false
      const first = octets(answer[0] as string)
      if (first === undefined || (first[0] === 127 && first[1] === 255 && first[2] === 255))
        return failed(ctx)
      const message = successMessage(kind, logEscapeNq(name), ctx.varName, first)
      ctx.message = message
      if (ctx.capture) ctx.captures[0] = message
      return true
    }
  },
}

type ZoneKind = 'uribl' | 'spamhaus' | 'httpbl' | 'plain'

function failed(ctx: OperatorContext): false {
  ctx.setTx(RBL_LOOKUP_FAILED, '1')
  return false
}

const URIBL: Readonly<Record<number, string>> = {
  2: ' (BLACK)',
  4: ' (GREY)',
  8: ' (RED)',
  14: ' (BLACK,GREY,RED)',
  255: ' (DNS IS BLOCKED)',
}

const SPAMHAUS: Readonly<Record<number, string>> = {
  2: ' (Static UBE sources)',
  3: ' (Static UBE sources)',
  4: ' (Illegal 3rd party exploits)',
  5: ' (Illegal 3rd party exploits)',
  6: ' (Illegal 3rd party exploits)',
  7: ' (Illegal 3rd party exploits)',
  10: ' (Delivering unauthenticated SMTP email)',
  11: ' (Delivering unauthenticated SMTP email)',
}

/** Project Honey Pot visitor types (the last octet of an httpBL answer). */
const HTTPBL_TYPES = [
  'Search Engine',
  'Suspicious IP',
  'Harvester IP',
  'Suspicious harvester IP',
  'Comment spammer IP',
  'Suspicious comment spammer IP',
  'Harvester and comment spammer IP',
  'Suspicious harvester comment spammer IP',
]

function successMessage(kind: ZoneKind, name: string, varName: string, a: readonly number[]): string {
  const head = 'RBL lookup of ' + name
  const last = a[3] as number
  switch (kind) {
    case 'uribl':
      return head + ' succeeded at ' + varName + (URIBL[last] ?? ' (WHITE)') + '.'
    case 'spamhaus':
      return head + ' succeeded at ' + varName + (SPAMHAUS[last] ?? '') + '.'
    case 'httpbl':
      if (a[0] !== 127) return head + ' failed: bad response'
      return (
        head +
        ' succeeded at ' +
        varName +
        '. ' +
        (HTTPBL_TYPES[last] ?? ' ') +
        ': ' +
        String(a[1]) +
        ' days since last activity, threat score ' +
        String(a[2])
      )
    default:
      return head + ' succeeded at ' + varName + '.'
  }
}

/** "a.b.c.d" -> its four octets, or undefined (a resolver must give dotted quads). */
function octets(addr: string): number[] | undefined {
  const parts = addr.split('.')
  if (parts.length !== 4) return undefined
  const out: number[] = []
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined
    const n = Number(p)
    if (n > 255) return undefined
    out.push(n)
  }
  return out
}

/**
 * The name to look up for `input` (module doc), NO_LOOKUP, or NO_KEY. Exported for tests.
 */
export function lookupName(
  input: BinaryString,
  zone: string,
  keyed: boolean,
  key: string | undefined,
): string | typeof NO_LOOKUP | typeof NO_KEY {
  const s = cString(input)
  const v4 = scanDottedInts(s)
  if (v4 !== undefined) return reversedV4(v4, zone, keyed, key)
  const v6 = s.indexOf(':') >= 0 ? parseIPv6(s) : undefined
  if (v6 !== undefined) {
    if (isV4Mapped(v6)) return reversedV4([v6[12], v6[13], v6[14], v6[15]] as number[], zone, keyed, key)
    if (keyed) return NO_LOOKUP
    let nibbles = ''
    for (let i = 15; i >= 0; i--) {
      const b = v6[i] as number
      nibbles += HEX[b & 15] + '.' + HEX[b >> 4] + '.'
    }
    return checked(nibbles + zone)
  }
  return checked(s + '.' + zone)
}

const HEX = '0123456789abcdef'

function reversedV4(
  p: readonly number[],
  zone: string,
  keyed: boolean,
  key: string | undefined,
): string | typeof NO_LOOKUP | typeof NO_KEY {
  const rev = String(p[3]) + '.' + String(p[2]) + '.' + String(p[1]) + '.' + String(p[0]) + '.' + zone
  if (!keyed) return checked(rev)
  if (key === undefined) return NO_KEY
  return checked(key + '.' + rev)
}

function isV4Mapped(b: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false
  return b[10] === 0xff && b[11] === 0xff
}

/** `name` when it is a DNS host name the resolver can be asked for, else NO_LOOKUP. */
function checked(name: string): string | typeof NO_LOOKUP {
  let n = name.length
  if (n > 0 && name.charCodeAt(n - 1) === 0x2e) n-- // one trailing dot: fully qualified
  if (n === 0 || n > 253) return NO_LOOKUP
  let label = 0
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i)
    if (c === 0x2e) {
      if (label === 0) return NO_LOOKUP
      label = 0
      continue
    }
    const ok =
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x2d ||
      c === 0x5f
    if (!ok || ++label > 63) return NO_LOOKUP
  }
  return label === 0 ? NO_LOOKUP : name
}

const LONG_MAX = (1n << 63n) - 1n
const LONG_MIN = -(1n << 63n)

/**
 * glibc sscanf(s, "%d.%d.%d.%d") when all four conversions succeed, else undefined. %d skips C
 * whitespace, takes an optional sign and decimal digits; like strtol the value saturates at the
 * 64-bit long range and is then stored in a 32-bit int (9999999999999999999 -> -1,
 * 4294967297 -> 1; recorded on 2.9.7). The '.' between conversions must follow at once.
 */
function scanDottedInts(s: string): number[] | undefined {
  const out: number[] = []
  let i = 0
  const n = s.length
  for (let k = 0; k < 4; k++) {
    if (k > 0) {
      if (s.charCodeAt(i) !== 0x2e) return undefined
      i++
    }
    while (i < n && isCSpace(s.charCodeAt(i))) i++
    let neg = false
    const sign = s.charCodeAt(i)
    if (sign === 0x2b || sign === 0x2d) {
      neg = sign === 0x2d
      i++
    }
    const start = i
    while (i < n && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) i++
    if (i === start) return undefined
    let v = BigInt(s.slice(start, i))
    if (neg) v = -v
    if (v > LONG_MAX) v = LONG_MAX
    else if (v < LONG_MIN) v = LONG_MIN
    out.push(Number(BigInt.asIntN(32, v)))
  }
  return out
}
