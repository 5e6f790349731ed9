/**
 * What the compiler knows of SecLang beyond the engine's registries: the full list of v2
 * operator names (so that a valid-but-refused operator is told apart from a typo), file
 * operators, aliases and the value shapes of ctl options. Actions, variables and
 * transformations are validated against the engine's registries (src/engine/actions,
 * variables/table.ts, transformations), which list every v2 name with what is not available. A name that is not here is an error ("unknown ...").
 * A name that is here but that the engine does not implement is refused with the engine's
 * reason (see the engine registries' NOT_IMPLEMENTED lists). Lookups are case-insensitive, as in
 * v2; the bundle always stores the canonical spelling below.
 */

/** v2.9 operators (38) + v3's rxGlobal/verifySVNR (refused unless the engine has them). */
export const OPERATOR_NAMES = [
  'beginsWith',
  'contains',
  'containsWord',
  'detectSQLi',
  'detectXSS',
  'endsWith',
  'eq',
  'fuzzyHash',
  'ge',
  'geoLookup',
  'gsbLookup',
  'gt',
  'inspectFile',
  'ipMatch',
  'ipMatchF',
  'ipMatchFromFile',
  'le',
  'lt',
  'noMatch',
  'pm',
  'pmf',
  'pmFromFile',
  'rbl',
  'rsub',
  'rx',
  'rxGlobal',
  'streq',
  'strmatch',
  'unconditionalMatch',
  'validateByteRange',
  'validateDTD',
  'validateHash',
  'validateSchema',
  'validateUrlEncoding',
  'validateUtf8Encoding',
  'verifyCC',
  'verifyCPF',
  'verifySSN',
  'verifySVNR',
  'within',
] as const

/** Operators whose argument names data files, read and inlined at build time. */
export const FILE_OPERATORS: Record<string, 'phrases' | 'cidrs'> = {
  pmFromFile: 'phrases',
  pmf: 'phrases',
  ipMatchFromFile: 'cidrs',
  ipMatchF: 'cidrs',
}

/** Aliases folded to one canonical operator in the bundle. */
export const OPERATOR_ALIASES: Record<string, string> = {
  pmf: 'pmFromFile',
  ipMatchF: 'ipMatchFromFile',
}

/** ctl options of v2.9 and what their value must look like. */
export const CTL_OPTIONS: Record<string, 'onoff' | 'engine' | 'number' | 'text' | 'target' | 'processor'> = {
  auditEngine: 'engine',
  auditLogParts: 'text',
  debugLogLevel: 'number',
  forceRequestBodyVariable: 'onoff',
  hashEnforcement: 'onoff',
  hashEngine: 'onoff',
  requestBodyAccess: 'onoff',
  requestBodyLimit: 'number',
  requestBodyProcessor: 'processor',
  responseBodyAccess: 'onoff',
  responseBodyLimit: 'number',
  ruleEngine: 'engine',
  ruleRemoveById: 'text',
  ruleRemoveByMsg: 'text',
  ruleRemoveByTag: 'text',
  ruleRemoveTargetById: 'target',
  ruleRemoveTargetByMsg: 'target',
  ruleRemoveTargetByTag: 'target',
}

/** Case-insensitive lookup table builder: lower-cased name -> canonical name. */
export function foldTable(names: Iterable<string>, aliases: Record<string, string> = {}): Map<string, string> {
  const m = new Map<string, string>()
  for (const n of names) m.set(n.toLowerCase(), n)
  for (const [alias, canonical] of Object.entries(aliases)) m.set(alias.toLowerCase(), canonical)
  return m
}
