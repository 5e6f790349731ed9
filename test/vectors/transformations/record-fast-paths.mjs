#!/usr/bin/env node
// Records _fast-paths.json: inputs on both sides of the fast paths of the transformations (the
// checks that return the input itself when nothing would change, and the switches between string
// pieces and the byte buffer), with ModSecurity 2.9.7's outputs. Checked by
// test/unit/engine/transformations/fast-paths.test.ts.
//
//   node test/vectors/transformations/record-fast-paths.mjs
//
// Same method as test/tools/modsec/record-transformations.mjs (see README.md here): each input is
// the value of ARGS:x (every byte percent-encoded in a form body), one rule per transformation
// `t:none,t:T,t:hexEncode,setenv:o_T=x%{MATCHED_VAR}`, read back from a response header. A
// second instance records t:urlDecodeUni with `SecUnicodeMapFile ... 20127`.
// Ports: 18105-18106 (in the transformations' range 18100-18109). Takes a few seconds.
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildRequest, startModsec } from '../../tools/modsec/recorder.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const MAP_FILE = '/etc/modsecurity/unicode.mapping'
const CODE_PAGE = 20127

// [transformation, path, input (latin1), note]. path: "fast" = the check alone answers (the
// output is the input); "slow" = the full transformation runs (the output may still be the
// input: `..` for normalisePath).
const x = (s, n) => s.repeat(n)
const CASES = [
  ['lowercase', 'fast', '', 'empty'],
  ['lowercase', 'fast', 'abc-@[`{~', 'no A-Z (bytes around A-Z)'],
  ['lowercase', 'fast', 'abc\x80\xc0\xde\xff', 'no A-Z, bytes >= 0x80 (Latin-1 capitals stay)'],
  ['lowercase', 'slow', 'ABC xyZ', 'pure ASCII with capitals (native fold)'],
  ['lowercase', 'slow', 'ABC\xc0\xd6\xde', 'capitals and Latin-1 capitals: only A-Z fold'],
  ['lowercase', 'slow', 'Z\x80', 'one byte >= 0x80 at the end'],
  ['lowercase', 'slow', '\xffA', 'one byte >= 0x80 at the start'],

  ['removeWhitespace', 'fast', 'abc\x08\x0e\x1f\x9f\xa1', 'no whitespace (bytes around it)'],
  ['removeWhitespace', 'slow', 'a b c', 'SP only'],
  ['removeWhitespace', 'slow', 'abc ', 'only a trailing SP'],
  ['removeWhitespace', 'slow', ' abc', 'only a leading SP'],
  ['removeWhitespace', 'slow', 'a\xa0b', 'NBSP only'],
  ['removeWhitespace', 'slow', 'a \t\n\x0b\x0c\rb\xa0 c', 'every whitespace byte'],
  ['removeWhitespace', 'slow', x(' ', 5000), 'long run of SP'],

  ['compressWhitespace', 'fast', 'a b c', 'single SPs'],
  ['compressWhitespace', 'fast', 'abc ', 'only a trailing SP'],
  ['compressWhitespace', 'fast', ' abc', 'only a leading SP'],
  ['compressWhitespace', 'fast', 'a\x08\x0e\x1f\x9f\xa1b', 'no whitespace (bytes around it)'],
  ['compressWhitespace', 'slow', 'abc  ', 'two trailing SPs'],
  ['compressWhitespace', 'slow', 'a\tb', 'one HT'],
  ['compressWhitespace', 'slow', 'a\xa0b', 'one NBSP'],
  ['compressWhitespace', 'slow', 'a \xa0\x0b\x0c\r\nb  c', 'mixed runs'],

  ['cmdLine', 'fast', 'abc def', 'lowercase words, single SP'],
  ['cmdLine', 'fast', 'abc ', 'only a trailing SP'],
  ['cmdLine', 'fast', ' abc', 'only a leading SP'],
  ['cmdLine', 'fast', 'a\x0bb\x0cc/d(e', 'VT and FF are not spacing; / and ( without SP'],
  ['cmdLine', 'slow', 'Abc Def', 'capitals only'],
  ['cmdLine', 'slow', 'A\xc0 B', 'capital and a Latin-1 capital'],
  ['cmdLine', 'slow', 'a /b', 'SP before /'],
  ['cmdLine', 'slow', 'a (b', 'SP before ('],
  ['cmdLine', 'slow', 'a  b', 'two SPs'],
  ['cmdLine', 'slow', 'a,b;c\td\re\nf', 'spacing bytes other than SP'],
  ['cmdLine', 'slow', 'a \' "/b', 'deleted bytes between SP and /'],
  ['cmdLine', 'slow', 'w\\h"o\'a^mi', 'deleted bytes only'],
  ['cmdLine', 'slow', 'a B\x00C D', 'NUL cuts'],
  ['cmdLine', 'slow', 'a ,', 'trailing spacing run'],
  ['cmdLine', 'slow', ', a', 'leading spacing run'],
  ['cmdLine', 'slow', x(' ', 5000) + '/', 'long spacing run before /'],

  ['normalisePath', 'fast', 'abc', 'no slash'],
  ['normalisePath', 'fast', 'a.b.c', 'dots, no slash'],
  ['normalisePath', 'fast', 'a.', 'ends with a dot after a byte'],
  ['normalisePath', 'fast', '/a/b.c/d', 'plain absolute path'],
  ['normalisePath', 'fast', 'a/b/', 'relative path, trailing slash'],
  ['normalisePath', 'fast', 'a/.b/c.', 'dots not forming ./'],
  ['normalisePath', 'fast', 'a\\..\\b', 'backslashes are not separators'],
  ['normalisePath', 'slow', '.', 'a lone dot'],
  ['normalisePath', 'slow', '..', 'a lone dot-dot'],
  ['normalisePath', 'slow', 'a..', 'ends with two dots'],
  ['normalisePath', 'slow', 'a/.', 'ends with /.'],
  ['normalisePath', 'slow', 'a/b/..', 'ends with /..'],
  ['normalisePath', 'slow', 'a//b', 'double slash'],
  ['normalisePath', 'slow', 'a/./b', 'self-reference'],
  ['normalisePath', 'slow', 'a./b', 'a segment ending in a dot'],
  ['normalisePath', 'slow', '/a/../../b', 'above the root'],
  ['normalisePath', 'slow', '../a/./b', 'relative with ../'],
  ['normalisePath', 'slow', 'http://localhost/shop/', 'URL'],

  ['normalisePathWin', 'fast', '/a/b.c', 'plain absolute path'],
  ['normalisePathWin', 'fast', 'a.', 'ends with a dot after a byte'],
  ['normalisePathWin', 'slow', 'a\\b', 'one backslash'],
  ['normalisePathWin', 'slow', '\\', 'a lone backslash'],
  ['normalisePathWin', 'slow', 'a/\\\\b', 'mixed slash run'],
  ['normalisePathWin', 'slow', 'a\\.\\..\\b', 'backslash segments'],
  ['normalisePathWin', 'slow', 'a/..', 'ends with /..'],

  ['urlDecode', 'fast', 'abc', 'nothing to decode'],
  ['urlDecode', 'fast', 'a%zz%4%', 'only invalid escapes'],
  ['urlDecode', 'slow', 'a+b+', '+ only'],
  ['urlDecode', 'slow', 'a%41', 'one escape at the end'],
  ['urlDecode', 'slow', '%2+%+41', '+ inside invalid escapes'],
  ['urlDecode', 'slow', '%%41%u0041', '% before an escape; %u is not an escape'],
  ['urlDecode', 'slow', x('%41', 16) + 'a%zz%42+', 'escapes past the piece limit (buffer)'],
  ['urlDecode', 'slow', x('%41', 16) + x('a', 5000) + '%42', 'buffer output over one chunk'],

  ['urlDecodeUni', 'fast', 'abc', 'nothing to decode'],
  ['urlDecodeUni', 'fast', 'a%u004%zz%', 'only invalid escapes'],
  ['urlDecodeUni', 'slow', 'a+b', '+ only'],
  ['urlDecodeUni', 'slow', '%u0041%U0042%uff21%uFF01%u00e9%u3002', '%u forms'],
  ['urlDecodeUni', 'slow', '%u%41%uzzzz%42', 'invalid %u then escapes'],
  ['urlDecodeUni', 'slow', x('%41', 15) + '%u0041%uff21%zz+%42', '%u past the piece limit (buffer)'],

  ['htmlEntityDecode', 'fast', 'a&b&&', 'only lone &'],
  ['htmlEntityDecode', 'fast', '&#&#x&#x;&foo;&', 'only invalid entities'],
  ['htmlEntityDecode', 'slow', '&amp', 'named entity without ;'],
  ['htmlEntityDecode', 'slow', '&#&#65;&#x&#x41', 'entities right after invalid ones'],
  ['htmlEntityDecode', 'slow', '&&amp;&lt&GT;&nbsp;&quot', 'entities after a lone &'],
  ['htmlEntityDecode', 'slow', 'x&foo&amp;', 'unknown name then an entity'],

  ['removeCommentsChar', 'fast', 'a-b*c/d<!-e', 'no marker'],
  ['removeCommentsChar', 'slow', 'a#b', '#'],
  ['removeCommentsChar', 'slow', 'a--b---c-->d', 'dashes'],
  ['removeCommentsChar', 'slow', '<!--a-->/*b*/', 'all markers'],
  ['removeCommentsChar', 'slow', '/*/', 'overlapping /* and */'],

  ['utf8toUnicode', 'fast', 'abc~\x7f', 'ASCII without NUL'],
  ['utf8toUnicode', 'slow', 'a\x00b', 'NUL'],
  ['utf8toUnicode', 'slow', 'caf\xc3\xa9', 'one sequence'],

  ['hexEncode', 'slow', x('\xff', 5000), 'output over one buffer chunk'],
  ['hexEncode', 'slow', 'ab', 'short after long (buffer reused)'],
  ['hexDecode', 'slow', x('4a', 5000), 'output over one buffer chunk'],
  ['hexDecode', 'slow', '4', 'short after long'],
  ['base64Encode', 'slow', x('\xfb', 5000), 'output over one buffer chunk'],
  ['base64Encode', 'slow', 'a', 'short after long'],
  ['parityEven7bit', 'slow', x('\x01', 5000), 'long'],
  ['parityEven7bit', 'fast', '', 'empty after long'],
  ['urlEncode', 'slow', x(' ', 5000), 'long'],
  ['urlEncode', 'slow', 'a b', 'short after long'],
  ['sha1', 'slow', x('a', 300), 'several blocks'],
  ['sha1', 'slow', 'a', 'one block after several'],
  ['md5', 'slow', x('a', 300), 'several blocks'],
  ['md5', 'slow', '', 'empty after several blocks'],
]

const pct = (s) => {
  let out = ''
  for (let i = 0; i < s.length; i++) out += '%' + s.charCodeAt(i).toString(16).padStart(2, '0')
  return out
}
const hexOf = (s) => Buffer.from(s, 'latin1').toString('hex')

/** Outputs of transformation t for the inputs, from one Apache instance. */
async function record(t, inputs, port, extraConfig = '') {
  const ms = await startModsec({
    rules: `SecRule ARGS:x "@unconditionalMatch" "id:1000,phase:2,pass,nolog,t:none,t:${t},t:hexEncode,setenv:o=x%{MATCHED_VAR}"`,
    port,
    extraConfig:
      extraConfig +
      '\nLoadModule headers_module /usr/lib/apache2/modules/mod_headers.so\nHeader always set X-O "%{o}e"',
  })
  const outs = []
  try {
    for (const input of inputs) {
      const req = buildRequest({
        method: 'POST',
        uri: '/',
        headers: [['Content-Type', 'application/x-www-form-urlencoded']],
        body: 'x=' + pct(input),
      })
      const r = await ms.send(req)
      const head = r.response.toString('latin1').split('\r\n\r\n')[0] ?? ''
      const m = /\r\nX-O: x((?:[0-9a-f]{2})*)\r?(?:\n|$)/i.exec(head + '\r\n')
      if (m === null) throw new Error(`no output for t:${t} on ${JSON.stringify(hexOf(input))}\n${head}`)
      outs.push(m[1])
    }
  } finally {
    await ms.stop()
  }
  return outs
}

const names = [...new Set(CASES.map((c) => c[0]))]
const cases = []
for (const t of names) {
  const mine = CASES.filter((c) => c[0] === t)
  const outs = await record(
    t,
    mine.map((c) => c[2]),
    18105,
  )
  mine.forEach((c, k) => cases.push({ t, path: c[1], note: c[3], in: hexOf(c[2]), out: outs[k] }))
  console.log(`t:${t}: ${mine.length}`)
}
const uni = CASES.filter((c) => c[0] === 'urlDecodeUni')
const mappedOuts = await record(
  'urlDecodeUni',
  uni.map((c) => c[2]),
  18106,
  `SecUnicodeMapFile ${MAP_FILE} ${CODE_PAGE}`,
)
uni.forEach((c, k) =>
  cases.push({
    t: 'urlDecodeUni',
    unicodeMap: true,
    path: c[1],
    note: c[3],
    in: hexOf(c[2]),
    out: mappedOuts[k],
  }),
)

const doc = {
  description:
    'Inputs on both sides of the transformations\' fast paths (path "fast": the check alone answers, the input comes back unchanged; "slow": the full transformation runs), in test order (some follow a long value on purpose: the byte buffer is reused).',
  recordedFrom: 'ModSecurity 2.9.7 (Debian libapache2-mod-security2 2.9.7-1+deb12u2, Apache 2.4)',
  method:
    'POST application/x-www-form-urlencoded body x=<every byte percent-encoded>; rule SecRule ARGS:x "@unconditionalMatch" "phase:2,pass,t:none,t:<T>,t:hexEncode,setenv:o=x%{MATCHED_VAR}"; value read back through mod_headers, hex-decoded. unicodeMap: true = recorded with SecUnicodeMapFile /etc/modsecurity/unicode.mapping 20127 (test: unicode.mapping here)',
  tool: 'test/vectors/transformations/record-fast-paths.mjs',
  date: new Date().toISOString().slice(0, 10),
  encoding: 'in/out are lowercase hex of the bytes',
}
const body = JSON.stringify({ ...doc, cases: [] }, null, 2).replace(
  '"cases": []',
  '"cases": [\n' + cases.map((c) => '    ' + JSON.stringify(c)).join(',\n') + '\n  ]',
)
writeFileSync(join(here, '_fast-paths.json'), body + '\n')
console.log(`_fast-paths.json: ${cases.length} cases`)
