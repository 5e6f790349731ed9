import type { OperatorDef } from './types'
import { beginsWith } from './begins-with'
import { eq, ge, gt, le, lt } from './compare'
import { contains } from './contains'
import { containsWord } from './contains-word'
import { detectSQLi } from './detect-sqli'
import { detectXSS } from './detect-xss'
import { endsWith } from './ends-with'
import { geoLookup } from './geo-lookup'
import { ipMatch } from './ip-match'
import { ipMatchF, ipMatchFromFile } from './ip-match-from-file'
import { noMatch } from './no-match'
import { NOT_IMPLEMENTED } from './not-implemented'
import { pm } from './pm'
import { pmf, pmFromFile } from './pm-from-file'
import { rbl } from './rbl'
import { rx } from './rx'
import { streq } from './streq'
import { strmatch } from './strmatch'
import { unconditionalMatch } from './unconditional-match'
import { validateByteRange } from './validate-byte-range'
import { validateUrlEncoding } from './validate-url-encoding'
import { validateUtf8Encoding } from './validate-utf8-encoding'
import { verifyCC } from './verify-cc'
import { verifyCPF } from './verify-cpf'
import { verifySSN } from './verify-ssn'
import { within } from './within'

export { NOT_IMPLEMENTED } from './not-implemented'
export { parsePmFile } from './pm-from-file'
export { parseIpFile } from './ip-match-from-file'
export { geoRecordFromEdge } from './geo-lookup'
export { RBL_LOOKUP_FAILED } from './rbl'

/**
 * The operator registry, keyed by canonical SecLang name (without '@'). The compiler validates
 * names against it and the linker builds evaluators from it. Semantics: ModSecurity 2.9.7, with
 * vectors recorded from it in test/vectors/operators/<name>.json.
 *
 * rx (./rx.ts: the compiler translates PCRE to JS, see src/compiler/regex) and detectSQLi /
 * detectXSS (./libinjection: our implementation of libinjection) have their own vectors
 * (test/vectors/operators/rx.json, test/vectors/libinjection/corpus.json).
 *
 * What the compiler prepares itself (no `prepare` here): pmFromFile/pmf (phrases from
 * parsePmFile, in file order), ipMatchFromFile/ipMatchF (cidrs from parseIpFile; the whole
 * argument is ONE path), verifyCC/verifySSN/verifyCPF (params { kind: 'rx' }: the argument
 * translated like @rx but with flags `s` and `m`, v2 compiles them with DOTALL|MULTILINE).
 * The argument (OperatorRef.arg) is v2's op_param: the text after the operator name with the
 * whitespace after the name skipped.
 */
export const OPERATORS: Record<string, OperatorDef> = {
  beginsWith,
  contains,
  containsWord,
  detectSQLi,
  detectXSS,
  endsWith,
  eq,
  ge,
  geoLookup,
  gt,
  ipMatch,
  ipMatchF,
  ipMatchFromFile,
  le,
  lt,
  noMatch,
  pm,
  pmf,
  pmFromFile,
  rbl,
  rx,
  streq,
  strmatch,
  unconditionalMatch,
  validateByteRange,
  validateUrlEncoding,
  validateUtf8Encoding,
  verifyCC,
  verifyCPF,
  verifySSN,
  within,
}

/**
 * Operators whose argument v2 macro-expands on every evaluation (expand_macros in their execute
 * function): for these the compiler passes argTemplate when the argument has %{...}. Everywhere
 * else %{...} is literal text (e.g. @strmatch and @pm, verified on 2.9.7).
 */
export const EXPANDS_MACROS: ReadonlySet<string> = new Set([
  'beginsWith',
  'contains',
  'containsWord',
  'endsWith',
  'eq',
  'ge',
  'gt',
  'le',
  'lt',
  'streq',
  'within',
])

/**
 * v2 looks operator names up case-insensitively (@PM, @ipmatch work). The canonical registry
 * (or NOT_IMPLEMENTED) key for a name as written, or undefined when v2 has no such operator here.
 */
export function canonicalOperatorName(name: string): string | undefined {
  if (name in OPERATORS || name in NOT_IMPLEMENTED) return name
  const lower = name.toLowerCase()
  for (const key of Object.keys(OPERATORS)) if (key.toLowerCase() === lower) return key
  for (const key of Object.keys(NOT_IMPLEMENTED)) if (key.toLowerCase() === lower) return key
  return undefined
}
