import type { BinaryString } from '../bytes'
import type { OperatorContext, OperatorDef, OperatorFn } from './types'
import { cString } from './c-string'
import { parseIPv4, parseIPv6 } from './ip-address'
import { IpSet, parseNetwork } from './ip-set'

/** Entries of an @ipMatch argument: comma-separated, empty items skipped, nothing trimmed (v2). */
export function parseIpList(arg: string): string[] {
  const entries = arg.split(',').filter((e) => e.length > 0)
  for (const entry of entries) {
    if (parseNetwork(entry) === undefined) throw new Error(`Could not add entry "${entry}" to the IP list`)
  }
  return entries
}

export function buildIpSet(entries: readonly string[], what: string): IpSet {
  const set = new IpSet()
  for (const entry of entries) if (!set.add(entry)) throw new Error(`${what}: invalid IP entry "${entry}"`)
  return set
}

/**
 * Evaluator shared by @ipMatch and @ipMatchFromFile. The target value is read as a C string
 * (v2: "1.2.3.4\0x" is 1.2.3.4) and must be an address in inet_pton syntax, IPv6 when it contains
 * ':'; anything else is a v2 operator error (`IPmatch: bad IPv4 specification "x".`), reported
 * through ctx.error. IPv4 and IPv6 are separate: ::ffff:1.2.3.4 does not match 1.2.3.4.
 */
export function linkIpSet(set: IpSet, label: string): OperatorFn {
  return (input: BinaryString, ctx: OperatorContext): boolean => {
    const value = cString(input)
    const v6 = value.includes(':')
    const address = v6 ? parseIPv6(value) : parseIPv4(value)
    if (address === undefined) {
      ctx.error = `IPmatch: bad ${v6 ? 'IPv6' : 'IPv4'} specification "${value}".`
      return false
    }
    if (!set.contains(address)) return false
    ctx.message = label + ': "' + value + '" matched at ' + ctx.varName + '.'
    return true
  }
}

export const ipMatch: OperatorDef = {
  name: 'ipMatch',
  doc: 'The input is an IPv4/IPv6 address inside one of the comma-separated addresses/CIDR networks of the argument.',
  prepare(arg) {
    return { kind: 'cidrs', cidrs: parseIpList(arg) }
  },
  link(op) {
    const entries = op.params?.kind === 'cidrs' ? op.params.cidrs : parseIpList(op.arg)
    return linkIpSet(buildIpSet(entries, '@ipMatch'), 'IPmatch')
  },
}
