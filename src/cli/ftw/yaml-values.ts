/**
 * Typed reads of YAML values parsed with the failsafe schema (every scalar is a string, as the
 * text was written). go-ftw decodes into typed Go fields (yaml.v3): a scalar meant as a string
 * keeps its exact text (`version: 1.1` is "1.1", `Keep-Alive: 300` is "300"), numbers and
 * booleans are converted only where the field is typed so. These helpers do the same.
 */

export class FtwFormatError extends Error {
  override name = 'FtwFormatError'
}

export type YamlValue = string | YamlValue[] | { [k: string]: YamlValue } | null | undefined

export function isMap(v: YamlValue): v is { [k: string]: YamlValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function asMap(v: YamlValue, where: string): { [k: string]: YamlValue } {
  if (v === undefined || v === null || v === '') return {}
  if (!isMap(v)) throw new FtwFormatError(`${where}: expected a mapping`)
  return v
}

export function asString(v: YamlValue, where: string): string | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string') throw new FtwFormatError(`${where}: expected a string`)
  return v
}

export function asInt(v: YamlValue, where: string): number | undefined {
  const s = asString(v, where)
  if (s === undefined || s === '') return undefined
  const t = s.trim()
  if (!/^[+-]?\d+$/.test(t))
    throw new FtwFormatError(`${where}: expected an integer, got ${JSON.stringify(s)}`)
  return Number(t)
}

/** yaml.v3 accepts the YAML 1.1 spellings when the target field is a bool */
export function asBool(v: YamlValue, where: string): boolean | undefined {
  const s = asString(v, where)
  if (s === undefined || s === '') return undefined
  const t = s.trim().toLowerCase()
  if (t === 'true' || t === 'yes' || t === 'on' || t === 'y') return true
  if (t === 'false' || t === 'no' || t === 'off' || t === 'n') return false
  throw new FtwFormatError(`${where}: expected a boolean, got ${JSON.stringify(s)}`)
}

/** a list of integers; a single integer is accepted as a one-element list (older files) */
export function asIntList(v: YamlValue, where: string): number[] | undefined {
  if (v === undefined || v === null || v === '') return undefined
  if (Array.isArray(v)) {
    const out: number[] = []
    for (let i = 0; i < v.length; i++) {
      const n = asInt(v[i], `${where}[${i}]`)
      if (n !== undefined) out.push(n)
    }
    return out
  }
  const n = asInt(v, where)
  return n === undefined ? undefined : [n]
}
