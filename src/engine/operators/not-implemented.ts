/**
 * ModSecurity 2.9 operators this engine refuses, with the one-line reason the compiler reports
 * at build time (a rule using one of these fails the build; nothing is silently ignored).
 */
export const NOT_IMPLEMENTED: Record<string, string> = {
  rsub: 'rewrites STREAM_INPUT_BODY/STREAM_OUTPUT_BODY (SecStream*BodyInspection); the engine inspects bodies but never rewrites them, and v2 uses POSIX regex syntax here',
  inspectFile:
    'runs an external program or Lua script on uploaded files; a Worker has no processes, no file system and no Lua',
  fuzzyHash:
    'ssdeep fuzzy hashing is not implemented, and the reference ModSecurity 2.9.7 build has no ssdeep support either ("not compiled with ssdeep support")',
  validateDTD:
    'needs libxml2 DTD validation of the parsed XML document; the engine has no validating XML parser',
  validateSchema:
    'needs libxml2 XML Schema (XSD) validation of the parsed XML document; the engine has no validating XML parser',
  gsbLookup:
    'needs a local Google Safe Browsing v2 database (SecGsbLookupDb); that API and its data format are discontinued',
  validateHash: 'belongs to the HMAC hash engine (SecHashEngine, SecHashKey, ...), which is not implemented',
}
