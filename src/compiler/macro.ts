/**
 * Macro templates: `%{TX.score}`, `%{MATCHED_VAR}`, `%{request_headers.host}` are parsed once at
 * build time into a Template (literal strings and { c, k } references). As v2 (expand_macros):
 * everything from `%{` to the first `}` is a macro, split at the first '.'; the collection name
 * is case-insensitive (canonicalised to upper case), the key is kept as written (the engine
 * compares keys case-insensitively); unknown names and `%{}` expand to nothing at run time.
 * `%{` without a closing `}` stays literal.
 */
import type { MacroRef, Template, TemplatePart } from '../bundle/schema'

export function parseTemplate(text: string): Template {
  if (!text.includes('%{')) return text
  const parts: TemplatePart[] = []
  let lit = ''
  let p = 0
  while (p < text.length) {
    const s = text.indexOf('%{', p)
    if (s < 0) break
    const e = text.indexOf('}', s + 2)
    if (e < 0) break
    const inner = text.slice(s + 2, e)
    lit += text.slice(p, s)
    if (lit !== '') parts.push(lit)
    lit = ''
    const dot = inner.search(/[.]/)
    const ref: MacroRef =
      dot < 0 ? { c: inner.toUpperCase() } : { c: inner.slice(0, dot).toUpperCase(), k: inner.slice(dot + 1) }
    parts.push(ref)
    p = e + 1
  }
  lit += text.slice(p)
  if (lit !== '') parts.push(lit)
  if (parts.length === 1 && typeof parts[0] === 'string') return parts[0]
  return parts
}

/** The macro references of a template (for validation). */
export function templateRefs(t: Template): MacroRef[] {
  if (typeof t === 'string') return []
  const out: MacroRef[] = []
  for (const p of t) if (typeof p !== 'string') out.push(p)
  return out
}
