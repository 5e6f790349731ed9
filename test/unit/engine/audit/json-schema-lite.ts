/**
 * A small JSON Schema validator for the subset the audit record schema uses
 * (test/schemas/audit-record.schema.json): type, properties, required, additionalProperties,
 * items, minItems, enum, pattern, minimum, maximum, minLength, local $ref into $defs.
 * Any other keyword is an error, so the schema cannot rely on a constraint this validator would
 * silently skip. Written for the tests instead of adding a validator dependency (ajv is only a
 * transitive dependency of the linter here; the subset is ~100 lines and is tested itself in
 * json-schema.test.ts).
 */
type Json = null | boolean | number | string | Json[] | { [k: string]: Json }
export type Schema = { [k: string]: unknown }

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', '$defs'])
const KEYWORDS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'enum',
  'pattern',
  'minimum',
  'maximum',
  'minLength',
  '$ref',
])

function typeOf(v: Json): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number'
  return typeof v
}

function typeMatches(v: Json, t: string): boolean {
  const actual = typeOf(v)
  return actual === t || (t === 'number' && actual === 'integer')
}

/** Every keyword of every subschema is supported (throws otherwise). */
export function checkKeywords(schema: Schema, path = '#'): void {
  for (const [k, v] of Object.entries(schema)) {
    if (!KEYWORDS.has(k) && !ANNOTATIONS.has(k))
      throw new Error(`schema keyword "${k}" is not supported (${path})`)
    if (k === 'properties' || k === '$defs')
      for (const [n, sub] of Object.entries(v as Record<string, Schema>))
        checkKeywords(sub, `${path}/${k}/${n}`)
    else if ((k === 'items' || k === 'additionalProperties') && typeof v === 'object' && v !== null)
      checkKeywords(v as Schema, `${path}/${k}`)
  }
}

export function validate(root: Schema, value: unknown): string[] {
  const errors: string[] = []
  const resolve = (ref: string): Schema => {
    const m = /^#\/\$defs\/([A-Za-z0-9_-]+)$/.exec(ref)
    const defs = root.$defs as Record<string, Schema> | undefined
    const s = m === null ? undefined : defs?.[m[1] as string]
    if (s === undefined) throw new Error(`unsupported or unknown $ref ${ref}`)
    return s
  }
  const walk = (schema: Schema, v: Json, path: string): void => {
    for (const k of Object.keys(schema)) {
      if (!KEYWORDS.has(k) && !ANNOTATIONS.has(k))
        throw new Error(`schema keyword "${k}" is not supported (${path})`)
    }
    if (typeof schema.$ref === 'string') walk(resolve(schema.$ref), v, path)
    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string]
      if (!types.some((t) => typeMatches(v, t))) {
        errors.push(`${path}: expected ${types.join('|')}, got ${typeOf(v)}`)
        return
      }
    }
    if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(v)))
      errors.push(`${path}: ${JSON.stringify(v)} is not one of ${JSON.stringify(schema.enum)}`)
    if (typeof v === 'string') {
      if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(v))
        errors.push(`${path}: ${JSON.stringify(v)} does not match /${schema.pattern}/`)
      if (typeof schema.minLength === 'number' && [...v].length < schema.minLength)
        errors.push(`${path}: shorter than ${schema.minLength}`)
    }
    if (typeof v === 'number') {
      if (typeof schema.minimum === 'number' && v < schema.minimum)
        errors.push(`${path}: ${v} < ${schema.minimum}`)
      if (typeof schema.maximum === 'number' && v > schema.maximum)
        errors.push(`${path}: ${v} > ${schema.maximum}`)
    }
    if (Array.isArray(v)) {
      if (typeof schema.minItems === 'number' && v.length < schema.minItems)
        errors.push(`${path}: fewer than ${schema.minItems} items`)
      if (schema.items !== undefined) v.forEach((x, i) => walk(schema.items as Schema, x, `${path}[${i}]`))
    }
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const props = (schema.properties ?? {}) as Record<string, Schema>
      for (const r of (schema.required ?? []) as string[])
        if (!Object.prototype.hasOwnProperty.call(v, r)) errors.push(`${path}: missing "${r}"`)
      for (const [k, x] of Object.entries(v)) {
        const p = props[k]
        if (p !== undefined) walk(p, x, `${path}.${k}`)
        else if (schema.additionalProperties === false) errors.push(`${path}: unexpected "${k}"`)
        else if (typeof schema.additionalProperties === 'object' && schema.additionalProperties !== null)
          walk(schema.additionalProperties as Schema, x, `${path}.${k}`)
      }
    }
  }
  walk(root, value as Json, '$')
  return errors
}
