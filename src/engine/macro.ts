import type { MacroRef, Template } from '../bundle/schema'
import type { BinaryString } from './bytes'
import { asciiLower } from './log-escape'
import type { LinkedRule } from './program'
import type { TxState } from './tx-state'
import type { Item } from './variables/item'
import { VARIABLE_IMPLS } from './variables/registry'
import type { Selector, VariableImpl } from './variables/select'

/**
 * Macro expansion (%{VAR} and %{COLLECTION.key}) with v2 semantics (re_actions.c
 * expand_macros): the reference resolves like a target with that key selector and the first
 * value is used; an unknown variable, a missing key or an empty value expands to nothing; names
 * are case-insensitive (the compiler canonicalises them), keys compare case-insensitively;
 * %{HTTP_X} means %{REQUEST_HEADERS.X}; a key written /like this/ is a regex selector.
 * The compiler parses templates (bundle Template); each reference is linked once per isolate.
 */
interface MacroLink {
  readonly impl: VariableImpl | undefined
  readonly sel: Selector
}

const LINKS = new WeakMap<MacroRef, MacroLink>()
/** scratch for one synchronous expansion (never held across calls) */
const SCRATCH: Item[] = []

function linkRef(ref: MacroRef): MacroLink {
  let impl: VariableImpl | undefined = VARIABLE_IMPLS[ref.c]
  let key = ref.k
  if (impl === undefined && ref.c.length > 5 && ref.c.startsWith('HTTP_')) {
    impl = VARIABLE_IMPLS.REQUEST_HEADERS
    key = ref.c.slice(5)
  }
  let rx: RegExp | undefined
  if (key !== undefined && key.length > 2 && key.startsWith('/') && key.endsWith('/')) {
    try {
      rx = new RegExp(key.slice(1, -1), 'is')
    } catch {
      impl = undefined
    }
  }
  const sel: Selector =
    rx !== undefined
      ? { key: undefined, fkey: undefined, rx }
      : { key, fkey: key === undefined ? undefined : asciiLower(key), rx: undefined }
  return { impl, sel }
}

/** Resolve one reference to its first value ('' when it has none). */
export function resolveRef(tx: TxState, ref: MacroRef, rule: LinkedRule | null): BinaryString {
  let l = LINKS.get(ref)
  if (l === undefined) {
    l = linkRef(ref)
    LINKS.set(ref, l)
  }
  if (l.impl === undefined) return ''
  const start = SCRATCH.length
  l.impl.collect(tx, l.sel, SCRATCH, rule)
  const first = SCRATCH[start]
  while (SCRATCH.length > start) SCRATCH.pop()
  return first === undefined ? '' : first.value
}

/** Expand a template. `rule` is null where v2 expands without a rule (msg, logdata, tag). */
export function expand(tx: TxState, t: Template, rule: LinkedRule | null): BinaryString {
  if (typeof t === 'string') return t
  let out = ''
  for (let i = 0; i < t.length; i++) {
    const p = t[i]
    if (p === undefined) continue
    out += typeof p === 'string' ? p : resolveRef(tx, p, rule)
  }
  return out
}

/** The template as written (ctl:ruleRemoveByMsg and RULE.msg see the unexpanded text). */
export function templateText(t: Template): string {
  if (typeof t === 'string') return t
  let out = ''
  for (let i = 0; i < t.length; i++) {
    const p = t[i]
    if (p === undefined) continue
    out += typeof p === 'string' ? p : '%{' + p.c + (p.k === undefined ? '' : '.' + p.k) + '}'
  }
  return out
}
