// Records operator test vectors from the reference implementation (ModSecurity 2.9.7, Apache +
// mod_security2, see recorder.mjs) into test/vectors/operators/<name>.json.
//
//   node test/tools/modsec/record-operators.mjs            # all operators
//   node test/tools/modsec/record-operators.mjs pm eq      # only these
//
// Method. For each operator, every group (one argument, several inputs) becomes one rule
//   SecRule ARGS:cN "@op <arg>" "id:N,phase:2,pass,log,t:none[,capture,logdata:'%{tx.0}|...|%{tx.9}']"
// and each input is sent alone as a urlencoded POST body `cN=<every byte percent-encoded>`, so the
// value reaches the operator byte for byte (t:none: no transformation). The alert line of rule N
// gives `match` and the message; with `capture`, TX.1..TX.9 are first set to "stale" by a phase-1
// SecAction, so logdata shows which TX slots the operator set, cleared or left alone. Arguments that
// ModSecurity refuses at start-up are recorded in `invalid` with Apache's error text. Operator errors
// at run time (v2 returns -1: "Rule processing failed") are recorded as `error`.
// Data files (@pmFromFile, @ipMatchFromFile) are written to a temp dir; the vector keeps their
// contents under `files` and the argument names them. Macro arguments get their TX values from a
// phase-1 SecAction (`tx` in the vector). Ports: 18120-18129 only (team rule).
//
// Decoding: Apache's error log escapes `\` as `\\` and raw non-printable bytes as `\xHH` on top of
// ModSecurity's own escaping; `message` in the vectors is ModSecurity's text (one layer removed),
// i.e. exactly what the engine's ctx.message must hold. Captures come from [data "..."], which
// ModSecurity writes with log_escape_hex; both layers are removed, so captures are raw bytes.
// All strings in the vectors are binary strings (one char per byte, 0..255).
import { startModsec } from './recorder.mjs'
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execSync } from 'node:child_process'

const HERE = dirname(fileURLToPath(import.meta.url))
const OUT = join(HERE, '..', '..', 'vectors', 'operators')
const PORT = 18122
const GEODB = '/usr/share/GeoIP/GeoIP.dat'

// ---------------------------------------------------------------------------------------------
// Case definitions. Strings are binary strings (char = byte). b`...` helpers are not needed: use
// \xNN escapes directly.
// ---------------------------------------------------------------------------------------------

const A300 = 'a'.repeat(300)
const ALL_BYTES = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('')

const stringOpInputs = ['abc', 'xabcx', 'ABC', 'ab', '', 'abcabc', 'a\x00bc', 'abc\x00', 'xxabc', 'abcxx']

/** @type {Record<string, {groups: any[], invalid?: any[]}>} */
const OPS = {
  pm: {
    groups: [
      {
        arg: 'select UNION drop',
        capture: true,
        inputs: ['xxUNIONselect', 'SELECT', 'nothing', '', 'drop', 'dro', 'xSeLeCtx', 'union'],
      },
      { arg: 'abc b', capture: true, inputs: ['xaby', 'abc', 'b', 'ac'] },
      { arg: 'abcd bx c', capture: true, inputs: ['abcz', 'zcz', 'abcd', 'bxc', 'abc', 'xabcd'] },
      { arg: 'he she his hers', capture: true, inputs: ['ushers', 'hishe', 'h', 'HERS'] },
      { arg: 'b ab', capture: true, inputs: ['ab', 'xb', 'aab'] },
      { arg: 'ABC abc', capture: true, inputs: ['abc', 'aBc'] },
      { arg: 'abc ABC', capture: true, inputs: ['ABC', 'abc'] },
      { arg: '|41 42|c', capture: true, inputs: ['abc', 'ABC', 'xabcx', '|41 42|c'] },
      { arg: 'a|20|b', capture: true, inputs: ['b', 'a', 'a b', 'xyz'] },
      { arg: '|00|abc def', inputs: ['abc', 'def', 'xyz'] },
      { arg: 'abc|00|def xyz', inputs: ['abc', 'xyz', 'def', 'abc\x00def'] },
      { arg: '"a b"', capture: true, inputs: ['b', 'a', '"a'] },
      { arg: 'a\\:b', capture: true, inputs: ['a:b', 'a\\:b'] },
      { arg: 'a\\x', capture: true, inputs: ['a\\x', 'ax'] },
      {
        arg: 'caf\xc3\xa9 CAF\xc3\x89',
        capture: true,
        inputs: ['caf\xc3\xa9', 'CAF\xc3\xa9', 'caf\xc3\x89', 'cafe'],
      },
      { arg: '\xe9t\xe9', inputs: ['\xe9t\xe9', '\xc9t\xc9', '\xe9T\xe9'] },
      { arg: 'a"b x\\y', capture: true, inputs: ['a"b', 'x\\y'] },
      { arg: '|01|x |ff|', capture: true, inputs: ['\x01x', '\xff', 'x'] },
      { arg: 'a\tb', capture: true, inputs: ['b', 'a\tb'] },
      { arg: 'x', inputs: ['x', 'X', 'y', 'xx'] },
      { arg: 'cd', inputs: ['ab\x00cd', '\x00'] },
      { arg: '|4|x', inputs: ['x', '|4|x', '4x'] },
      { arg: 'a|4|b', inputs: ['ab', 'ab4|b', 'a|4|b', 'b'] },
      { arg: '|41|B|43', inputs: ['ab43', 'abc', 'ab'] },
      { arg: '|4g1|', inputs: ['A', '\x41', 'g'] },
      { arg: '\\|41|', inputs: ['|41|', 'A', '41'] },
      { arg: A300, inputs: [A300, 'a'.repeat(299)] },
      { arg: '1 12 123', capture: true, inputs: ['0123', '12', 'x1'] },
    ],
  },
  pmFromFile: {
    groups: [
      {
        arg: 'list.data',
        capture: true,
        files: {
          'list.data': '# comment\nfoo\n\n  bar baz  \n\tqux\nx\nAB|43|\n #indented comment\na#b\nlast',
        },
        inputs: [
          'foo',
          'bar baz',
          'bar',
          'x',
          'abc',
          '# comment',
          'comment',
          'qux',
          'a#b',
          'indented',
          'LAST',
          'baz',
        ],
      },
      {
        arg: 'crlf.data',
        capture: true,
        files: { 'crlf.data': 'alpha\r\nbeta \r\n\r\n' },
        inputs: ['alpha', 'beta', 'beta \r', 'alpha\r'],
      },
      {
        arg: 'q.data',
        capture: true,
        files: { 'q.data': '"quoted"\n"last"' },
        inputs: ['quoted', '"quoted"', 'last', '"last"'],
      },
      {
        arg: 'esc.data',
        capture: true,
        files: { 'esc.data': 'a\\:b\nc\\d\n|23|hash\nyz|00|w\n' },
        inputs: ['a:b', 'c\\d', '#hash', 'hash', 'yz', 'yzw', 'w'],
      },
      {
        arg: 'one.data two.data',
        capture: true,
        files: { 'one.data': 'Alpha\n', 'two.data': 'alpha\nbeta\n' },
        inputs: ['ALPHA', 'beta', 'gamma'],
      },
      { arg: 'single.data', files: { 'single.data': 'x\ny \n z\nab\n' }, inputs: ['x', 'y', 'z', 'ab'] },
      { arg: 'empty.data', files: { 'empty.data': '' }, inputs: ['x', ''] },
      {
        arg: 'long.data',
        files: { 'long.data': 'x'.repeat(8191) + 'abc\nzz\n' },
        inputs: ['abc', 'zz', 'xxabc'],
      },
      {
        arg: 'hexsp.data',
        capture: true,
        files: { 'hexsp.data': '|61 20 62|\nc|20|d\n' },
        inputs: ['a b', 'c d', 'a', 'c'],
      },
    ],
    invalid: [{ arg: 'missing.data', files: {} }],
  },
  pmf: {
    groups: [
      {
        arg: 'list.data',
        capture: true,
        files: { 'list.data': '# c\nfoo\nBar\n' },
        inputs: ['xfoox', 'BAR', 'baz', '# c'],
      },
    ],
  },
  streq: {
    groups: [
      { arg: 'abc', inputs: stringOpInputs },
      { arg: '', inputs: ['', 'a', ' '] },
      { arg: 'a b ', inputs: ['a b ', 'a b'] },
      { arg: 'q"\\\xe9', inputs: ['q"\\\xe9', 'q"\\'] },
      { arg: '%{tx.m1}', tx: { m1: 'hello' }, inputs: ['hello', '%{tx.m1}', ''] },
      { arg: 'x%{tx.m2}y', tx: { m2: '12' }, inputs: ['x12y', 'xy'] },
      { arg: '%{tx.unset_var}', inputs: ['', 'x'] },
    ],
  },
  contains: {
    groups: [
      { arg: 'abc', inputs: stringOpInputs },
      { arg: '', inputs: ['', 'x'] },
      { arg: 'a', inputs: ['a', 'ba', 'b'] },
      { arg: '%{tx.m1}', tx: { m1: 'php' }, inputs: ['index.php', 'PHP', ''] },
      { arg: '"', inputs: ['a"b', 'ab'] },
      { arg: 'b\\c', inputs: ['ab\\cd', 'abc'] },
    ],
  },
  containsWord: {
    groups: [
      {
        arg: 'foo',
        inputs: [
          'foo',
          'foo bar',
          'a foo',
          'a foo b',
          'foobar',
          'barfoo',
          '_foo',
          'foo_',
          'foo-bar',
          'foofoo foo',
          'xfoo foo',
          'FOO',
          '',
          'fo',
          '1foo',
          'foo1',
          '\xe9foo\xe9',
          'foo\x00',
          '(foo)',
          'foofoo',
          'foo foox',
        ],
      },
      { arg: '', inputs: ['', 'x'] },
      { arg: 'a', inputs: ['a', 'ba', 'b a', 'ab'] },
      { arg: 'a b', inputs: ['xa b', 'a b', 'za bz'] },
      { arg: '%{tx.m1}', tx: { m1: 'select' }, inputs: ['select 1', 'selection'] },
    ],
  },
  beginsWith: {
    groups: [
      { arg: 'abc', inputs: stringOpInputs },
      { arg: '', inputs: ['', 'x'] },
      { arg: '/admin', inputs: ['/admin/x', '/ADMIN', '/adm'] },
      { arg: '%{tx.m1}', tx: { m1: 'GET' }, inputs: ['GET /', 'get'] },
    ],
  },
  endsWith: {
    groups: [
      { arg: 'abc', inputs: stringOpInputs },
      { arg: '', inputs: ['', 'x'] },
      { arg: '.php', inputs: ['index.php', 'index.PHP', 'php'] },
      { arg: '%{tx.m1}', tx: { m1: 'example.com' }, inputs: ['www.example.com', 'example.org'] },
    ],
  },
  within: {
    groups: [
      {
        arg: 'GET POST HEAD',
        inputs: ['GET', 'POST', 'ET P', 'PUT', 'get', '', 'GET POST HEAD', 'GET POST HEAD ', 'D'],
      },
      { arg: '', inputs: ['', 'x'] },
      { arg: '|tcp|udp|', inputs: ['tcp', '|udp|', 'icmp'] },
      { arg: '%{tx.m1}', tx: { m1: 'GET HEAD' }, inputs: ['HEAD', 'POST'] },
      { arg: 'q"\\z', inputs: ['"', '\\', 'z'] },
    ],
  },
  strmatch: {
    groups: [
      { arg: 'abc', inputs: stringOpInputs },
      { arg: '|41|B', inputs: ['AB', 'xABx', 'ab', '|41|B'] },
      { arg: '%{tx.m1}', tx: { m1: 'zzz' }, inputs: ['zzz', '%{tx.m1}'] },
      { arg: 'a\\:b', inputs: ['a:b', 'a\\:b'] },
      { arg: 'x|00|y', inputs: ['x', 'xy', 'x\x00y'] },
      { arg: '"q"', inputs: ['q', '"q"'] },
    ],
    invalid: [{ arg: 'a\\x' }, { arg: '""' }],
  },
  validateByteRange: {
    groups: [
      { arg: '32-126', inputs: ['abc', 'ab\x01c', '\x00', '\x7f\x80\xff', '', 'a b~', '\x01\x02\x03'] },
      { arg: '1-255', inputs: ['abc', 'a\x00b', '\x00\x00'] },
      { arg: '0-31,127', inputs: ['\x01\x1f\x7f', 'a', '\x00A\x00'] },
      { arg: '65', inputs: ['A', 'AB', 'a'] },
      { arg: '48-57, 65-90', inputs: ['09AZ', '09 AZ', 'a'] },
      { arg: '10,13,32-126', inputs: ['a\r\nb', 'a\tb'] },
      { arg: ',,65,,', inputs: ['A', 'B'] },
      { arg: 'abc', inputs: ['\x00', 'a'] },
      { arg: '1-2-3', inputs: ['\x01', '\x02', '\x03'] },
      { arg: '-', inputs: ['\x00', 'a'] },
      { arg: '0-255', inputs: [ALL_BYTES] },
      { arg: '0', inputs: ['\x00', '0'] },
    ],
    invalid: [
      { arg: '256' },
      { arg: '1-300' },
      { arg: '50-40' },
      { arg: '-5' },
      { arg: '5-' },
      { arg: '300-1' },
    ],
  },
  validateUrlEncoding: {
    groups: [
      {
        arg: '',
        inputs: [
          'abc',
          '%41',
          '%4',
          '%',
          '%zz',
          '%4g',
          'a%2',
          '%%41',
          '%41%',
          '+',
          '',
          '%aF',
          'x%41y%',
          '%G1',
          '%41%4',
          '100%',
        ],
      },
    ],
  },
  validateUtf8Encoding: {
    groups: [
      {
        arg: '',
        inputs: [
          'abc',
          '',
          'caf\xc3\xa9',
          '\xe2\x82\xac',
          '\xf0\x9f\x98\x80',
          '\xc3',
          '\xc3\x41',
          '\xc0\x80',
          '\xc1\xbf',
          '\xe0\x80\x80',
          '\xe0\x9f\xbf',
          '\xf0\x80\x80\x80',
          '\xf0\x8f\xbf\xbf',
          '\xed\xa0\x80',
          '\xed\x9f\xbf',
          '\xf5\x80\x80\x80',
          '\xf4\x90\x80\x80',
          '\xf4\x8f\xbf\xbf',
          '\xff',
          '\x80',
          'a\xe2\x82',
          'ab\xf0\x9f\x98',
          'x\xe2\x28\xa1',
          'ok\xf0\x9f\x98\x80\xfe',
          '\xf8\x88\x80\x80\x80',
          '\x00\x7f',
          'a\xc3\xa9\xe2',
          '\xef\xbf\xbf',
          '\xf0\x8d\xa0\x80',
          '\xf0\x8d\xbf\xbf',
          '\xe0\xa0\x80',
          '\xc2\x80',
          '\xdf\xbf',
          '\xf7\xbf\xbf\xbf',
          '\xc3\xa9\xc3',
        ],
      },
    ],
  },
  eq: {
    groups: [
      {
        arg: '5',
        inputs: [
          '5',
          '05',
          ' 5',
          '+5',
          '-5',
          '5abc',
          'abc',
          '',
          '6',
          '\t5',
          '\n5',
          '5.9',
          '0x5',
          '--5',
          '+-5',
          '\x0b5',
          '5\x00',
          ' +5',
          '- 5',
        ],
      },
      { arg: '0', inputs: ['', 'abc', '0', '-0', '00', ' ', '1', '-', '+'] },
      {
        arg: '-1',
        inputs: ['-1', '99999999999999999999', '4294967295', '-99999999999999999999', '18446744073709551615'],
      },
      { arg: '2147483647', inputs: ['2147483647', '2147483648', '-2147483649', '6442450943'] },
      { arg: '-2147483648', inputs: ['2147483648', '-2147483648', '-2147483649'] },
      { arg: '1', inputs: ['4294967297', '1', '9223372036854775807', '9223372036854775809'] },
      { arg: 'abc', inputs: ['0', 'x', '1'] },
      { arg: ' 7x', inputs: ['7', '07'] },
      { arg: '', inputs: ['0', ''] },
      { arg: '%{tx.m1}', tx: { m1: '10' }, inputs: ['10', '9'] },
      { arg: '%{tx.unset_var}', inputs: ['0', '1'] },
      { arg: '1%{tx.m2}', tx: { m2: '5' }, inputs: ['15', '1'] },
    ],
  },
  ge: {
    groups: [
      { arg: '5', inputs: ['4', '5', '6', '', 'x', '-10', '2147483648', '5.5'] },
      { arg: '%{tx.m1}', tx: { m1: '5' }, inputs: ['4', '5'] },
      { arg: '0', inputs: ['', '-1'] },
    ],
  },
  gt: {
    groups: [
      { arg: '5', inputs: ['4', '5', '6', '', 'x', '-10', '99999999999', '5.9'] },
      { arg: '%{tx.m1}', tx: { m1: '5' }, inputs: ['5', '6'] },
      { arg: '-1', inputs: ['', '-1'] },
    ],
  },
  le: {
    groups: [
      { arg: '5', inputs: ['4', '5', '6', '', 'x', '-10', '2147483648', '5.9'] },
      { arg: '%{tx.m1}', tx: { m1: '5' }, inputs: ['5', '6'] },
      { arg: '0', inputs: ['', '1'] },
    ],
  },
  lt: {
    groups: [
      { arg: '5', inputs: ['4', '5', '6', '', 'x', '-10', '99999999999', '4.9'] },
      { arg: '%{tx.m1}', tx: { m1: '2' }, inputs: ['1', '2'] },
      { arg: '1', inputs: ['', '0', '1'] },
    ],
  },
  ipMatch: {
    groups: [
      {
        arg: '127.0.0.1,::1',
        inputs: ['127.0.0.1', '::1', '127.0.0.2', '0:0:0:0:0:0:0:1', '::2', '::ffff:127.0.0.1'],
      },
      { arg: '10.0.0.0/8', inputs: ['10.0.0.0', '10.255.255.255', '11.0.0.0', '9.255.255.255', '10.1.2.3'] },
      { arg: '192.168.1.5/24', inputs: ['192.168.1.77', '192.168.1.5', '192.168.2.5'] },
      { arg: '1.2.3.4/31', inputs: ['1.2.3.4', '1.2.3.5', '1.2.3.6', '1.2.3.3'] },
      { arg: '1.2.3.4/1', inputs: ['100.0.0.1', '127.255.255.255', '128.0.0.0'] },
      { arg: '1.2.3.4/8x', inputs: ['1.99.99.99', '2.0.0.0'] },
      { arg: '1.2.3.4/08', inputs: ['1.99.99.99', '2.0.0.0'] },
      { arg: '1.2.3.4,,5.6.7.8', inputs: ['1.2.3.4', '5.6.7.8'] },
      { arg: ',1.2.3.4', inputs: ['1.2.3.4'] },
      { arg: '0.0.0.0', inputs: ['0.0.0.0', '0.0.0.1'] },
      { arg: '255.255.255.255', inputs: ['255.255.255.255'] },
      {
        arg: '2001:db8::/32',
        inputs: [
          '2001:db8::1',
          '2001:DB8:FFFF::',
          '2001:db9::1',
          '2001:0db8:0000:0000:0000:0000:0000:0001',
          '2001:db8::',
        ],
      },
      {
        arg: '2001:db8::/65',
        inputs: ['2001:db8::7fff:ffff:ffff:ffff', '2001:db8::8000:0:0:0', '2001:db8:0:1::'],
      },
      { arg: '::1/127', inputs: ['::', '::1', '::2'] },
      { arg: '::/1', inputs: ['7fff::', '8000::', '::1'] },
      { arg: '::', inputs: ['::', '0::0', '::0.0.0.0'] },
      { arg: '::ffff:1.2.3.4', inputs: ['::ffff:1.2.3.4', '1.2.3.4', '::FFFF:102:304'] },
      { arg: '::ffff:1.2.3.0/120', inputs: ['::ffff:1.2.3.200', '::ffff:1.2.4.0'] },
      { arg: '::1/6.4', inputs: ['::1', '3ff::', '400::'] },
      { arg: '1.2.3.4/1 ', inputs: ['1.2.3.4', '127.0.0.1', '128.0.0.1'] },
      {
        arg: '1.2.3.4',
        inputs: [
          '1.2.3.4',
          '1.2.3.4 ',
          ' 1.2.3.4',
          '01.2.3.4',
          '1.2.3',
          '1.2.3.4.5',
          '256.1.1.1',
          '',
          'garbage',
          '1.2.3.04',
          '0x1.2.3.4',
          '1.2.3.4\x00x',
        ],
      },
      { arg: '::1', inputs: ['::1', ':::1', '::1%lo', '::g', '[::1]', '::1 ', '1::2::3'] },
    ],
    invalid: [
      { arg: '1.2.3.4, 5.6.7.8' },
      { arg: '1.2.3.4/33' },
      { arg: '1.2.3.4/0' },
      { arg: '0.0.0.0/0' },
      { arg: '1.2.3.4/32' },
      { arg: '::1/128' },
      { arg: '::/0' },
      { arg: '::1/129' },
      { arg: 'abc' },
      { arg: '1.2.3.4/' },
      { arg: '1.2.3.4/abc' },
      { arg: '01.2.3.4' },
      { arg: '1.2.3' },
      { arg: '1.2.3.4 ' },
      { arg: '1.2.3.4/24.0' },
      { arg: '1.2.3.4/-1' },
      { arg: 'fe80::1%eth0' },
      { arg: '1.2.3.256' },
      { arg: '2001:db8::/128' },
      { arg: '::1/6:4' },
      { arg: '::1/' },
    ],
  },
  ipMatchFromFile: {
    groups: [
      {
        arg: 'ips.txt',
        files: {
          'ips.txt':
            '# comment\n1.2.3.4\n  5.6.7.0/24  \n10.0.0.1 # trailing\n2001:db8::/32\n\n9.9.9.9\r\n8.8.8.0/24xyz\n 4.4.4.4#x\n3.3.3.3',
        },
        inputs: [
          '1.2.3.4',
          '5.6.7.99',
          '10.0.0.1',
          '2001:db8::5',
          '9.9.9.9',
          '8.8.8.8',
          '4.4.4.4',
          '3.3.3.3',
          '192.168.1.1',
          'garbage',
        ],
      },
      { arg: 'empty.txt', files: { 'empty.txt': '' }, inputs: ['1.1.1.1'] },
      { arg: 'ws.txt', files: { 'ws.txt': '\t7.7.7.7\t\n \n#\n' }, inputs: ['7.7.7.7'] },
    ],
    invalid: [
      { arg: 'bad.txt', files: { 'bad.txt': '1.2.3.4/33\n' } },
      { arg: 'bad2.txt', files: { 'bad2.txt': '5.6.7.8\nabc\n' } },
      { arg: 'bad3.txt', files: { 'bad3.txt': '1.2.3.4/32\n' } },
      { arg: 'missing.txt', files: {} },
      { arg: 'a.txt b.txt', files: { 'a.txt': '1.1.1.1\n', 'b.txt': '2.2.2.2\n' } },
    ],
    singleFile: true,
  },
  ipMatchF: {
    groups: [
      {
        arg: 'ips.txt',
        files: { 'ips.txt': '1.2.3.4\n10.0.0.0/8\n' },
        inputs: ['1.2.3.4', '10.9.9.9', '11.0.0.0'],
      },
    ],
    singleFile: true,
  },
  verifyCC: {
    groups: [
      {
        arg: '\\d{13,16}',
        capture: true,
        inputs: [
          '4111111111111111',
          '4111111111111112',
          'xx 4111111111111111 yy',
          '4111111111111112 4111111111111111',
          '41111111111111111',
          '',
          '0000000000000',
          'abc',
          '5500000000000004',
        ],
      },
      {
        arg: '(\\d{4})-?(\\d{4})-?(\\d{4})-?(\\d{4})',
        capture: true,
        inputs: ['4111-1111-1111-1111', '4111-1111-1111-1112', '4111111111111111'],
      },
      {
        arg: '(?:\\d{4}[- ]?){3}\\d{4}',
        capture: true,
        inputs: ['card: 4111 1111 1111 1111.', '4111 1111 1111 1112'],
      },
      { arg: '^\\d+$', inputs: ['79927398713', 'x\n79927398713', '79927398713\nx', '79927398710'] },
      { arg: '(a)|(\\d+)', capture: true, inputs: ['18', 'a18', '19'] },
    ],
    invalid: [{ arg: '(' }],
  },
  verifySSN: {
    groups: [
      {
        arg: '\\d{3}-?\\d{2}-?\\d{4}',
        capture: true,
        inputs: [
          '123-45-6780',
          '123-45-6789',
          '000-12-3456',
          '666-12-3456',
          '740-12-3456',
          '739-12-3456',
          '111-11-1111',
          '123-00-4567',
          '123-45-0000',
          'ssn 078-05-1120 x',
          '987654320',
          '12-345-6789',
          '',
          '123-45-67801',
        ],
      },
      { arg: '\\d[\\d-]+\\d', inputs: ['1-2-3-4-5-6-7-8-0', '123456780123'] },
    ],
  },
  verifyCPF: {
    groups: [
      {
        arg: '\\d{3}\\.?\\d{3}\\.?\\d{3}-?\\d{2}',
        capture: true,
        inputs: [
          '529.982.247-25',
          '529.982.247-26',
          '52998224725',
          '111.111.111-11',
          '012.345.678-90',
          '123.456.789-09',
          '000.000.000-00',
          'cpf 529.982.247-25!',
          '',
        ],
      },
      { arg: '[\\d.-]+', inputs: ['529.982.247-25', '5299822472500'] },
    ],
  },
  unconditionalMatch: { groups: [{ arg: '', inputs: ['x', '', '\x00'] }] },
  noMatch: { groups: [{ arg: '', inputs: ['x', ''] }] },
  geoLookup: {
    groups: [
      {
        arg: '',
        geo: true,
        db: true,
        inputs: [
          '8.8.8.8',
          '81.2.69.160',
          '127.0.0.1',
          'garbage',
          '',
          '2001:4860:4860::8888',
          '8.8.8.8 ',
          '1.1.1.1',
        ],
      },
      { arg: '', db: false, inputs: ['8.8.8.8', '127.0.0.1'] },
    ],
  },
}

// ---------------------------------------------------------------------------------------------

function pct(bin) {
  let out = ''
  for (let i = 0; i < bin.length; i++) {
    const c = bin.charCodeAt(i)
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) out += bin[i]
    else out += '%' + c.toString(16).toUpperCase().padStart(2, '0')
  }
  return out
}

/** Quote a value for a double-quoted Apache config token (ap_getword_conf unescapes \\ and \"). */
function confQuote(s) {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')
}

const HEX = /^[0-9a-fA-F]{2}$/

/** Remove Apache's error-log escaping (\\ -> \, \xHH -> byte). */
function unApache(s) {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && s[i + 1] === '\\') {
      out += '\\'
      i++
    } else if (s[i] === '\\' && s[i + 1] === 'x' && HEX.test(s.slice(i + 2, i + 4))) {
      out += String.fromCharCode(parseInt(s.slice(i + 2, i + 4), 16))
      i += 3
    } else out += s[i]
  }
  return out
}

/** Remove ModSecurity's log_escape_hex (\xHH -> byte). */
function unHex(s) {
  return s.replace(/\\x([0-9a-fA-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)))
}

const TX_LOGDATA = Array.from({ length: 10 }, (_, i) => `%{tx.${i}}`).join('|')
const GEO_KEYS = [
  'COUNTRY_CODE',
  'COUNTRY_CODE3',
  'COUNTRY_NAME',
  'COUNTRY_CONTINENT',
  'REGION',
  'CITY',
  'POSTAL_CODE',
  'LATITUDE',
  'LONGITUDE',
  'DMA_CODE',
  'AREA_CODE',
]
const GEO_LOGDATA = GEO_KEYS.map((k) => `%{geo.${k.toLowerCase()}}`).join('|')

function writeFiles(dir, files) {
  for (const [name, content] of Object.entries(files ?? {}))
    writeFileSync(join(dir, name), Buffer.from(content, 'latin1'))
}

function argWithPaths(arg, files, dir, singleFile) {
  if (!files) return arg
  // @ipMatchFromFile takes its whole argument as one path; @pmFromFile a whitespace-separated list
  if (singleFile) return join(dir, arg)
  return arg
    .split(/\s+/)
    .filter((t) => t.length > 0)
    .map((t) => join(dir, t))
    .join(' ')
}

function ruleLine(op, group, id, dir) {
  const arg = argWithPaths(group.arg, group.files, dir, OPS[op]?.singleFile)
  const actions = [`id:${id}`, 'phase:2', 'pass', 'log', 't:none']
  if (group.capture) actions.push('capture', `logdata:'${TX_LOGDATA}'`)
  if (group.geo) actions.push(`logdata:'${GEO_LOGDATA}'`)
  const opText = arg.length > 0 ? `@${op} ${confQuote(arg)}` : `@${op}`
  return `SecRule ARGS:c${id} "${opText}" "${actions.join(',')}"`
}

function modsecVersion() {
  try {
    return execSync("dpkg-query -W -f='${Version}' libapache2-mod-security2", { encoding: 'utf8' }).trim()
  } catch {
    return 'unknown'
  }
}

async function recordGroups(op, groups, dir, extraConfig) {
  const lines = []
  let id = 1000
  const setup = []
  for (const g of groups) {
    g.id = ++id
    writeFiles(dir, g.files)
    for (const [k, v] of Object.entries(g.tx ?? {})) setup.push(`setvar:'tx.${k}=${v}'`)
    if (g.capture) for (let i = 1; i <= 9; i++) setup.push(`setvar:tx.${i}=stale`)
    lines.push(ruleLine(op, g, g.id, dir))
  }
  const pre = setup.length ? [`SecAction "id:999,phase:1,pass,nolog,${[...new Set(setup)].join(',')}"`] : []
  const rules = [...pre, ...lines].join('\n') + '\n'
  const ms = await startModsec({ rules: Buffer.from(rules, 'latin1'), port: PORT, extraConfig })
  try {
    for (const g of groups) {
      g.results = []
      for (const input of g.inputs) {
        const body = `c${g.id}=${pct(input)}`
        const req =
          `POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
          `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`
        const r = await ms.send(req)
        const mine = r.alerts.filter((a) => a.id === String(g.id))
        const failed = r.alerts.find((a) => a.matchMsg.startsWith(`Rule processing failed (id=${g.id},`))
        const res = { input }
        if (mine.length > 1) throw new Error(`${op} ${g.arg}: ${mine.length} alerts for one input`)
        res.match = mine.length === 1
        if (mine.length === 1) {
          const m = unApache(mine[0].matchMsg)
          if (!m.startsWith('Warning. ')) throw new Error(`unexpected alert text: ${mine[0].raw}`)
          res.message = m.slice('Warning. '.length)
          if (g.capture) res.tx = unHex(unApache(mine[0].data ?? '')).split('|')
          if (g.geo) {
            const vals = unHex(unApache(mine[0].data ?? '')).split('|')
            res.geo = Object.fromEntries(GEO_KEYS.map((k, i) => [k, vals[i] ?? '']))
          }
        }
        if (failed) {
          const idx = r.alerts.indexOf(failed)
          const prev = r.alerts[idx - 1]
          res.error =
            prev && prev.id === undefined
              ? unApache(prev.matchMsg.replace(/ \[hostname ".*$/, ''))
              : 'operator error'
        }
        g.results.push(res)
      }
    }
  } finally {
    await ms.stop()
  }
}

async function recordInvalid(op, inv, dir) {
  writeFiles(dir, inv.files)
  const g = { arg: inv.arg, files: inv.files }
  const rules = ruleLine(op, g, 1, dir) + '\n'
  try {
    const ms = await startModsec({ rules: Buffer.from(rules, 'latin1'), port: PORT })
    await ms.stop()
    return { arg: inv.arg, ...(inv.files ? { files: inv.files } : {}), accepted: true }
  } catch (e) {
    const lines = String(e.message)
      .split('\n')
      .filter((l) => l.trim().length > 0)
    // "apache2 failed to start: AH00526: Syntax error on line 1 of .../rules.conf:" then the reason
    let reason = lines[1] ?? lines[0] ?? ''
    reason = reason.split(dir + '/').join('')
    return { arg: inv.arg, ...(inv.files ? { files: inv.files } : {}), v2Error: reason.trim() }
  }
}

async function recordOperator(op, spec, version) {
  const dir = mkdtempSync(join(tmpdir(), `rec-${op}-`))
  mkdirSync(dir, { recursive: true })
  const byConfig = new Map()
  for (const g of spec.groups) {
    const key = g.db === true ? `SecGeoLookupDb ${GEODB}` : ''
    if (!byConfig.has(key)) byConfig.set(key, [])
    byConfig.get(key).push(g)
  }
  for (const [extra, groups] of byConfig) await recordGroups(op, groups, dir, extra)
  const invalid = []
  for (const inv of spec.invalid ?? []) invalid.push(await recordInvalid(op, inv, dir))
  const out = {
    operator: op,
    recorded:
      `ModSecurity ${version} (Debian libapache2-mod-security2, Apache 2.4) by test/tools/modsec/record-operators.mjs: ` +
      `one rule per group "SecRule ARGS:cN \\"@${op} <arg>\\" \\"id:N,phase:2,pass,log,t:none[,capture]\\"", each input sent ` +
      `percent-encoded in a urlencoded POST body; match/message from the alert line (Apache log escaping removed), ` +
      `tx = TX.0..TX.9 after the match (TX.1..9 preset to "stale"; "" = unset), error = v2 operator error (rule aborted).` +
      (op === 'geoLookup' ? ` db: SecGeoLookupDb ${GEODB} (Debian geoip-database) configured or not.` : ''),
    groups: spec.groups.map((g) => ({
      arg: g.arg,
      var: `ARGS:c${g.id}`,
      ...(g.files ? { files: g.files } : {}),
      ...(g.tx ? { tx: g.tx } : {}),
      ...(g.capture ? { capture: true } : {}),
      ...(g.db !== undefined ? { db: g.db } : {}),
      cases: g.results,
    })),
    ...(invalid.length ? { invalid } : {}),
  }
  const file = join(OUT, `${op}.json`)
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n')
  execSync(`npx prettier --write ${file}`, { stdio: 'ignore' })
  const n = spec.groups.reduce((s, g) => s + g.inputs.length, 0)
  console.log(`${op}: ${n} cases, ${invalid.length} invalid args`)
}

const only = process.argv.slice(2)
mkdirSync(OUT, { recursive: true })
const version = modsecVersion()
for (const [op, spec] of Object.entries(OPS)) {
  if (only.length && !only.includes(op)) continue
  await recordOperator(op, spec, version)
}
