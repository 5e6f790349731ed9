#!/usr/bin/env node
// Records transformation test vectors from the reference implementation, ModSecurity 2.9.7
// (Debian's libapache2-mod-security2 under Apache 2.4), into test/vectors/transformations/*.json.
//
//   node test/tools/modsec/record-transformations.mjs [--out DIR]
//
// Method (see also test/vectors/transformations/README.md):
//  - every input is sent as the value of the argument `x` in an application/x-www-form-urlencoded
//    POST body with EVERY byte percent-encoded, so it reaches ARGS:x exactly (all 256 values);
//  - for each transformation T one rule
//      SecRule ARGS:x "@unconditionalMatch" "id:N,phase:2,pass,nolog,t:none,t:T,t:hexEncode,
//                                             setenv:o_T=x%{MATCHED_VAR}"
//    MATCHED_VAR is the transformed value; t:hexEncode makes it plain ASCII so nothing is lost
//    to escaping or C-string truncation; the leading `x` distinguishes "" from an unset variable;
//  - mod_headers copies each variable into a response header (`Header always set X-O-T
//    "%{o_T}e"`), which is not truncated (the error log's [data] field is cut to 512 chars:
//    509 + '...'; checked on 2.9.7).
//    The recorder strips the `x` and hex-decodes to get T's output bytes.
//  - a second Apache instance with `SecUnicodeMapFile /etc/modsecurity/unicode.mapping 20127`
//    records t:urlDecodeUni with the code-page table (the map is global in v2).
//  - t:uppercase does not exist in v2 (load error); its vectors are derived, not recorded, and
//    say so in their header.
// Ports: 18100-18102 (assigned range 18100-18109). Takes about a minute.
import { startModsec, buildRequest } from './recorder.mjs'
import { mkdirSync, writeFileSync, copyFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const outArg = process.argv.indexOf('--out')
const OUT = outArg > 0 ? process.argv[outArg + 1] : join(here, '..', '..', 'vectors', 'transformations')
const MAP_FILE = '/etc/modsecurity/unicode.mapping'
const CODE_PAGE = 20127

// v2 spelling of every transformation it registers (names are matched case-insensitively).
const RECORDED = [
  'none',
  'base64Decode',
  'base64DecodeExt',
  'base64Encode',
  'cmdLine',
  'compressWhitespace',
  'cssDecode',
  'escapeSeqDecode',
  'hexDecode',
  'hexEncode',
  'htmlEntityDecode',
  'jsDecode',
  'length',
  'lowercase',
  'md5',
  'normalisePath',
  'normalisePathWin',
  'parityEven7bit',
  'parityOdd7bit',
  'parityZero7bit',
  'removeComments',
  'removeCommentsChar',
  'removeNulls',
  'removeWhitespace',
  'replaceComments',
  'replaceNulls',
  'sha1',
  'sqlHexDecode',
  'trim',
  'trimLeft',
  'trimRight',
  'urlDecode',
  'urlDecodeUni',
  'urlEncode',
  'utf8toUnicode',
]

// ---------------------------------------------------------------------------------------------
// Inputs (binary strings, one char per byte)

const L = (s) => s // readability marker: a latin1 literal
function rng(seed) {
  // mulberry32: deterministic, so re-recording gives the same inputs
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const allBytes = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('')
const hex4 = (n) => n.toString(16).padStart(4, '0')

// prettier-ignore
function buildInputs() {
  const list = []
  const add = (...xs) => {
    for (const x of xs) list.push(x)
  }
  add('', allBytes, allBytes.split('').reverse().join(''))
  for (let b = 0; b < 256; b++) add(String.fromCharCode(b))
  for (let b = 0; b < 256; b++) add('a' + String.fromCharCode(b) + 'Z')
  // url / %u
  add('%41%42', '%4', '%', '%%41', '%zz', '%4g', '%g4', 'a%', 'a%4', '%41', '%2B+%2b', 'a+b', '+', '%00')
  add('%ff%FE%fE')
  add('%u0041', '%U0041', '%u0041x', '%uff01', '%uFF5E', '%uFf21', '%uff5f', '%uff00', '%uff41', '%u00e9')
  add('%u00E9')
  add('%u3002', '%uff61', '%uff0e', '%u002e', '%u20ac', '%u0000', '%u0100', '%uabcd', '%u123', '%u12', '%u1')
  add('%u')
  add('%uzzzz', '%u12zz', '%u%41', '%u00', '%uu0041', '%%u0041', '%u0041%u0042', '%u00a0%u00c0%u0131%u2019')
  add('%u02c6')
  add('%u00A0', '%U00c0', '%uD800', '%ufffd', '%uffff', 'a%u004', 'a%u0041%', '%u004g', '%x41', '%\x00')
  add('%4\x00')
  // utf-8
  add('\xc3\xa9', 'caf\xc3\xa9', '\xe2\x82\xac', '\xf0\x9f\x98\x80', '\xc0\xaf', '\xc1\xbf', '\xe0\x80\xaf')
  add('\xf0\x80\x80\xaf')
  add('\xed\xa0\x80', '\xed\xbf\xbf', '\xc3', 'a\xc3', '\xc3a', '\xe2\x82', '\xe2\x82a', 'a\xe2\x82')
  add('\xe2a\xac')
  add('\xf4\x90\x80\x80', '\xf4\x8f\xbf\xbf', '\xf5\x80\x80\x80', '\xf7\xbf\xbf\xbf', '\xf8\x88\x80\x80\x80')
  add('\xfc\x84\x80\x80\x80\x80')
  add('\xc2\x80', '\xdf\xbf', '\xe0\xa0\x80', '\xef\xbf\xbf', '\xf0\x90\x80\x80', '\xf1\x80\x80\x80')
  add('\xf3\xbf\xbf\xbf')
  add('\x80', '\xbf', '\xff\xfe', '\xc3\x00', '\xe2\x82\x00', '\xf0\x9f\x98\x00', '\xf0\x9f\x98')
  add('a\x00b\xc3\xa9', '\xc3\xc3\xa9')
  add('\xe4\xb8\xad\xe6\x96\x87', '\xd0\x96\xd1\x84', '\xf0\x9f\x98\x80\xf0\x9f\x98\x81', '\xf0\xa0\x80\x80')
  add('\xf2\x80\x80\x80')
  // html entities
  add('&lt;&gt;&amp;&quot;&nbsp;', '&LT;&Gt;&AMP;&QuOt;&NBSP;', '&lt', '&lt x', '&ltx;', '&lt;;', '&apos;')
  add('&copy;', '&foo;')
  add('&#65;', '&#65', '&#65x', '&#065;', '&#x41;', '&#X41;', '&#x41', '&#x4g;', '&#xg;', '&#x;', '&#x', '&#;')
  add('&#', '&#a;')
  add('&', '&&', '& ', 'a&b', '&;', '&#0;', '&#256;', '&#321;', '&#x100;', '&#x1FF;')
  add('&#999999999999999999999;')
  add('&#x1234567890abcdef;', '&#-1;', '&#+65;', '&#x-41;', '&nbsp', '&amp;lt;', '&#65&#66;&#x43')
  add('&#60;script&#62;')
  add('&#9;&#10;&#13;', '&#x0;', '&#00000000065;', '&#x000041;', '&lt\x00;', '&#6\x005;', 'x&#', 'x&')
  add('&#x41;&#x', '&Lt')
  // js
  add('\\u0041', '\\uff01', '\\uFF5E', '\\uFf21', '\\uff5f', '\\uff00', '\\u00e9', '\\u004', '\\u', '\\U0041')
  add('\\u004g')
  add('\\x41', '\\X41', '\\x4', '\\x', '\\x4g', '\\101', '\\1', '\\12', '\\1234', '\\777', '\\400', '\\377')
  add('\\0', '\\08')
  add('\\n\\r\\t\\a\\b\\f\\v', '\\\'\\"\\\\\\?', '\\z', '\\', 'a\\', '\\\\x41', '\\\x00', '\\u0041\\u0042')
  add('\\7', '\\8', '\\9')
  // css
  add('\\41', '\\41 b', '\\41  b', '\\41\tb', '\\41\nb', '\\41\rb', '\\41\x0bb', '\\41\x0cb', '\\041')
  add('\\0041', '\\00041')
  add('\\000041', '\\0000041', '\\ff01', '\\FF5E', '\\ff5f', '\\ff00', '\\0ff01', '\\00ff01', '\\1ff01')
  add('\\10ff01', '\\fff01')
  add('\\4', '\\g', '\\\n', '\\\na', '\\\r\n', '\\12345', '\\123456', '\\1234567', '\\ffff', '\\e9', '\\a0')
  add('\\0')
  add('\\41\xa0b', '\\41\x85b', 'a\\', '\\\\', '\\"', '\\ g', '\\0000', '\\00 ', '\\ffff ')
  // escape sequences
  add('\\X4a', '\\x4A', '\\xZZ', '\\q', '\\a\\b\\f\\n\\r\\t\\v\\\\\\?\\\'\\"', '\\0000', '\\08', '\\8')
  add('\\x41\\101')
  // cmdLine
  add('C:\\WINDOWS\\system32\\cmd.exe /c "dir"', 'a ^b', 'a , ; b', 'a /b', 'a (b', 'ab\x00cd', 'A\tB\r\nC')
  add('  x', 'x  ')
  add('a  /b', 'a,/', 'w"h"o^am\'i', 'EcHo  ,hi', 'a\x0bb\x0cc', 'a \x00 b', '\x00', ' ( / ', 'AB\xc0\xdfCD')
  // paths
  add('/a/b/../c', '/a/./b', 'a/../../b', '../a', './a', '/..', '/../a', '//a//b//', 'a/b/', '/a/b/..')
  add('/a/b/.', '.', '..')
  add('/', './', '../', 'a/b/c/../../../..', '/a/..b/c', '/a/...', 'a//', '/./', 'x/./y/../z/')
  add('/a/b/../../..', 'a/..')
  add('a\\b\\..\\c', 'C:\\a\\..\\b', '\\\\server\\share\\..\\x', '\\..\\a', 'a\\\\b\\', '/a\\b/..\\c', '.\\a')
  add('..\\..\\a')
  add('/a/b/c/./../../d', '/a//../b', 'a/./../b', '/a/b/c/..', '/..a/', '/.../', '/a/b/../', 'a/b/../../..')
  add('/./.')
  add('/a/\x00/../b', '/%2e%2e/', '/a/b/c/../../../../../etc/passwd', 'a/.', './..', '../.', './/a', '/a/./')
  add('//')
  // comments
  add('a/*b*/c', 'a/*b', 'a*/b', 'a--b', 'a#b', '<!--a-->b', 'a-->b', '/*a*//*b*/c', 'a/*b*/', '/**/', '/*/')
  add('--', '#')
  add('a<!--b', 'x/*y*/z--w', 'SELECT/**/1', '/*a*/x', 'a<!--b-->', '<!--', '-->', '-', '/', '*', 'a/*b--c*/d')
  add('a--/*b*/')
  add('1 /*! UNION */ 2', "1' OR 1=1-- -", '1#comment\nx', '<!-- a --> b <!-- c', 'a/*b*/c/*d', '/*a*/')
  add('ab*/c/*')
  // base64
  add('QUJD', 'QUJDRA==', 'QUJDRA', 'QUJDR', 'QUJ DRA==', 'QU=JD', '!!QUJD', 'QUJD!!', 'QUJD\x00RA==', '====')
  add('Q', 'QQ')
  add('QQ=', 'QQ==', 'QQ===', 'QQ=a', 'a=b', '+/+/', '-_-_', 'AAAA', 'AA==', '/w==', 'QUJD\nRA==')
  add('QUJD\tRA==', 'QU JD')
  add('QUJDRA=', 'QUJDRA=x', 'QUJDRA=\x00', 'Q=', '=', 'QUJDRA===', 'QU\rJD', 'QUJD.RA', '8J+YgA==', 'wA==')
  add('AP8A')
  // hex / sqlHex
  add('414243', '41424', '4', 'zz', '4G', '0x41', '41 42', 'AbCdEf', 'gg', '  ', 'G0', '00', '0041', 'fF')
  add('\xff\xff')
  add('0x414243', '0x4142433', '0x', '0x4', 'SELECT 0x616263', '0X41', '00x41', '0x41\x00abc', '0x00')
  add('0x0041', 'x0x41')
  add('0xgg', '0x41 0x42', '0x4g41', '00', '0', 'a0xb', '0x0x41', '0x41x', '0xAbCd', '10x41')
  // whitespace / nulls
  add(' a b ', '\t\n\v\f\r a', 'a \xa0 b', '\x85', 'a  b', '   ', '\xa0\xa0', ' \xa0', 'a\x00b', '\x00\x00')
  add(' \x00 ', '\x1c\x1d\x1e\x1f')
  add('\t\n\x0b\x0c\r \xa0', '\x00 a \x00', 'a\r\n\r\nb', ' \xa0x\xa0 ')
  // hashes (block-boundary lengths)
  for (const n of [1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129]) add('a'.repeat(n))
  add('The quick brown fox jumps over the lazy dog')
  // long strings
  add('A'.repeat(1000), 'ab%41%u0042&#67;\\x44'.repeat(60))
  const r = rng(0x5eed)
  let long = ''
  for (let i = 0; i < 1500; i++) long += String.fromCharCode(Math.floor(r() * 256))
  add(long)
  // fuzz over an alphabet of characters the decoders care about
  const alphabet = L(
    '%uU0123456789abcdefABCDEFgGxX&#;\\/.*-<!>+ \t\n\r\x0b\x0c\x00\xa0\xc3\xa9\xe2\x82\xac\xf0\x80\xffqlt"\'^,(=',
  )
  for (let k = 0; k < 300; k++) {
    const n = 1 + Math.floor(r() * 24)
    let s = ''
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)]
    add(s)
  }
  add('&#xffffffffffffffffff;', '&#x7fffffffffffffff;', '&#x8000000000000000;', '&#x00000000000000041;')
  add('&#9223372036854775807;', '&#9223372036854775808;', '&#18446744073709551617;', '&#4294967361;')
  // dense fuzz per family of decoders with intricate state machines
  const fuzz = (chars, count, maxLen) => {
    for (let k = 0; k < count; k++) {
      const n = 1 + Math.floor(r() * maxLen)
      let s = ''
      for (let i = 0; i < n; i++) s += chars[Math.floor(r() * chars.length)]
      add(s)
    }
  }
  fuzz('/\\.a', 150, 16) // paths
  fuzz('/*-<!>#a', 100, 14) // comments
  fuzz('\\0fF1a \n\t', 80, 14) // css / js / escapes
  fuzz('0xX1fg \x00', 60, 14) // sqlHexDecode / hexDecode
  fuzz('QUJD=+/ !\x00a', 80, 14) // base64
  fuzz('&#xX;0a9lLtT', 60, 14) // entities
  fuzz('\xc3\xa9\xe2\x82\xac\xf0\x9f\x80\xed\xa0\xc0a\x00', 80, 10) // utf-8
  // dedupe, keep order
  return [...new Set(list)]
}

// Every %uXXXX code point, in chunks (for t:urlDecodeUni with and without the map).
const U_CHUNK = 4096
function uRangeInput(from, to) {
  let s = ''
  for (let cp = from; cp <= to; cp++) s += '%u' + hex4(cp)
  return s
}

// ---------------------------------------------------------------------------------------------

const pct = (s) => {
  let out = ''
  for (let i = 0; i < s.length; i++) out += '%' + s.charCodeAt(i).toString(16).padStart(2, '0')
  return out
}
const hexOf = (s) => Buffer.from(s, 'latin1').toString('hex')
const envName = (t) => 'o_' + t

function rulesFor(names) {
  return names
    .map(
      (t, i) =>
        `SecRule ARGS:x "@unconditionalMatch" "id:${1000 + i},phase:2,pass,nolog,t:none,t:${t},t:hexEncode,setenv:${envName(t)}=x%{MATCHED_VAR}"`,
    )
    .join('\n')
}
function headersFor(names) {
  return [
    'LoadModule headers_module /usr/lib/apache2/modules/mod_headers.so',
    ...names.map((t) => `Header always set X-O-${t} "%{${envName(t)}}e"`),
  ].join('\n')
}

async function runInstance({ names, port, extraConfig = '', inputs }) {
  const ms = await startModsec({
    rules: rulesFor(names),
    port,
    extraConfig: extraConfig + '\n' + headersFor(names),
  })
  const results = new Map(names.map((t) => [t, []]))
  try {
    for (const input of inputs) {
      const body = 'x=' + pct(input)
      const req = buildRequest({
        method: 'POST',
        uri: '/',
        headers: [['Content-Type', 'application/x-www-form-urlencoded']],
        body,
      })
      const r = await ms.send(req)
      const head = r.response.toString('latin1').split('\r\n\r\n')[0] ?? ''
      const hdrs = new Map()
      for (const line of head.split('\r\n').slice(1)) {
        const c = line.indexOf(':')
        if (c > 0) hdrs.set(line.slice(0, c).toLowerCase(), line.slice(c + 1).trim())
      }
      for (const t of names) {
        const v = hdrs.get(('X-O-' + t).toLowerCase())
        if (v === undefined || !/^x(?:[0-9a-f]{2})*$/.test(v)) {
          throw new Error(
            `no/invalid output for t:${t} on input ${JSON.stringify(hexOf(input))}: ${v}\n${head}`,
          )
        }
        results.get(t).push({ in: hexOf(input), out: v.slice(1) })
      }
    }
  } finally {
    await ms.stop()
  }
  return results
}

function header(extra) {
  return {
    recordedFrom: 'ModSecurity 2.9.7 (Debian libapache2-mod-security2 2.9.7-1+deb12u2, Apache 2.4)',
    method:
      'POST application/x-www-form-urlencoded body x=<every byte percent-encoded>; rule ' +
      'SecRule ARGS:x "@unconditionalMatch" "phase:2,pass,t:none,t:<T>,t:hexEncode,setenv:o=x%{MATCHED_VAR}"; ' +
      'value read back through mod_headers (Header always set X-O "%{o}e"), hex-decoded',
    tool: 'test/tools/modsec/record-transformations.mjs',
    date: new Date().toISOString().slice(0, 10),
    encoding:
      'in/out are lowercase hex of the bytes; { uRange: [a, b] } stands for the input "%uXXXX" for every ' +
      'code point a..b in order (XXXX = 4 lowercase hex digits)',
    ...extra,
  }
}

function writeVectors(file, transformation, vectors, extra = {}) {
  const doc = { transformation, ...header(extra), vectors }
  // one vector per line keeps diffs readable
  const body = JSON.stringify({ ...doc, vectors: [] }, null, 2).replace(
    '"vectors": []',
    '"vectors": [\n' + vectors.map((v) => '    ' + JSON.stringify(v)).join(',\n') + '\n  ]',
  )
  writeFileSync(join(OUT, file), body + '\n')
  console.log(`${file}: ${vectors.length} vectors`)
}

const inputs = buildInputs()
mkdirSync(OUT, { recursive: true })
console.log(`${inputs.length} inputs`)

const main = await runInstance({ names: RECORDED, port: 18100, inputs })
const uniRange = []
for (let from = 0; from < 0x10000; from += U_CHUNK) uniRange.push(uRangeInput(from, from + U_CHUNK - 1))
const noMapRange = await runInstance({ names: ['urlDecodeUni'], port: 18100, inputs: uniRange })
const mapped = await runInstance({
  names: ['urlDecodeUni'],
  port: 18101,
  extraConfig: `SecUnicodeMapFile ${MAP_FILE} ${CODE_PAGE}`,
  inputs: [...inputs, ...uniRange],
})

// The %u range inputs are stored as their generator ({ uRange: [from, to] }), not as 24 KB of hex.
const rangeVectors = (results) =>
  results.map((v, k) => ({ uRange: [k * U_CHUNK, k * U_CHUNK + U_CHUNK - 1], out: v.out }))

for (const t of RECORDED) {
  let vectors = main.get(t)
  if (t === 'urlDecodeUni') vectors = [...vectors, ...rangeVectors(noMapRange.get(t))]
  writeVectors(`${t}.json`, t, vectors, t === 'urlDecodeUni' ? { unicodeMap: null } : {})
}
copyFileSync(MAP_FILE, join(OUT, 'unicode.mapping'))
const mappedVectors = mapped.get('urlDecodeUni')
const mappedPlain = mappedVectors.slice(0, inputs.length)
const mappedRange = rangeVectors(mappedVectors.slice(inputs.length))
writeVectors('urlDecodeUni.map-20127.json', 'urlDecodeUni', [...mappedPlain, ...mappedRange], {
  config: `SecUnicodeMapFile /etc/modsecurity/unicode.mapping ${CODE_PAGE}`,
  unicodeMap: { file: 'unicode.mapping', codePage: CODE_PAGE },
})

// Which transformation names v2 accepts: it keeps them in an APR table (case-insensitive lookups).
// A name is accepted when Apache starts with a rule using it.
async function accepts(names, port) {
  const rules = names
    .map((t, i) => `SecRule ARGS:x "@unconditionalMatch" "id:${5000 + i},phase:2,pass,nolog,t:${t}"`)
    .join('\n')
  try {
    const ms = await startModsec({ rules, port })
    await ms.stop()
    return true
  } catch {
    return false
  }
}
const nameProbes = [
  ...RECORDED,
  ...RECORDED.map((t) => t.toLowerCase()),
  ...RECORDED.map((t) => t.toUpperCase()),
  'normalizePath',
  'normalizePathWin',
  'cmdline',
  'Utf8toUnicode',
  'utf8ToUnicode',
]
const rejectedProbes = ['uppercase', 'decodeBase64Ext', 'normalisepathwindows', 'urldecodeuni2', 'trimBoth']
const accepted = []
const rejected = []
if (await accepts(nameProbes, 18102)) accepted.push(...nameProbes)
else for (const t of nameProbes) ((await accepts([t], 18102)) ? accepted : rejected).push(t)
for (const t of rejectedProbes) ((await accepts([t], 18102)) ? accepted : rejected).push(t)
writeFileSync(
  join(OUT, '_names.json'),
  JSON.stringify(
    {
      ...header({
        method: 'each name used as t:<name> in a rule; accepted = Apache + ModSecurity 2.9.7 start with it',
      }),
      accepted,
      rejected,
    },
    null,
    2,
  ) + '\n',
)
console.log(`_names.json: ${accepted.length} accepted, ${rejected.length} rejected`)

// t:uppercase is libModSecurity v3 only: ModSecurity 2.9.7 refuses it at load time. The vectors are
// derived (byte toupper in the C locale = ASCII a-z only, as v3 does) from the same inputs.
const upper = (s) => s.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 32))
writeVectors(
  'uppercase.json',
  'uppercase',
  inputs.map((s) => ({ in: hexOf(s), out: hexOf(upper(s)) })),
  {
    recordedFrom:
      'NOT RECORDED: t:uppercase does not exist in ModSecurity 2.9.7 (unknown transformation at load time)',
    method: 'derived: libModSecurity v3 semantics, byte toupper() in the C locale (ASCII a-z only)',
  },
)
