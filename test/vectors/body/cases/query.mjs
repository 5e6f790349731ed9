// Inputs for test/tools/modsec/record-bodies.mjs: query strings (ARGS_GET), sent as GET <uri>.
// v2 parses QUERY_STRING with the same urlencoded rules as the body (SecArgumentSeparator too).
const q = (name, uri, extra = {}) => ({ name, uri, ...extra })

export default [
  q('simple query', '/?a=1&b=2'),
  q('duplicates and plus', '/?a=1+2&a=%41'),
  q('invalid percent', '/?a=%zz&b=%4'),
  q('no equals and empty pairs', '/?a&&b=&=c&'),
  q('empty query', '/?'),
  q('question mark in query', '/?a=?b=1?'),
  q('semicolon default', '/?a=1;b=2'),
  q('semicolon configured', '/?a=1;b=2&c', { config: { argumentSeparator: ';' } }),
  q('encoded high bytes', '/?x=%e9%00%ff'),
  q('fragment-like hash is data', '/?a=1%23x'),
  q('arguments limit on query string', '/?a=1&b=2&c=3', { config: { argumentsLimit: 2 } }),
  q('percent-u in query', '/?a=%u0041%u00'),
]
