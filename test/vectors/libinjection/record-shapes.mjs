// Records test/vectors/libinjection/shapes.json: what libinjection 3.9.2 (as compiled into
// ModSecurity 2.9.7's /usr/lib/apache2/modules/mod_security2.so) answers for inputs of shapes
// the recorded corpus and token vectors do not reach: rarely taken folding rules, string and
// HTML edge cases, and long adversarial values (4 KB and 64 KB of a repeated byte or short mix,
// the inputs of test/bench/libinjection-bench.ts). Test tooling only; needs gcc.
//
//   node test/vectors/libinjection/record-shapes.mjs
//
// A small C program dlopen()s the module (as test/tools/modsec/record-libinjection.mjs does) and
// calls, per input: libinjection_sqli() (the operator's verdict and fingerprint),
// libinjection_sqli_init() + libinjection_sqli_fingerprint() for the four parse modes
// libinjection tries (flags 9, 17, 10, 20), libinjection_xss() and libinjection_is_xss() for the
// five HTML start contexts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE = dirname(fileURLToPath(import.meta.url))

const HARNESS_C = String.raw`
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
char core_module[4096];
char ap_server_config_defines[64];
static int hv(char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }
int main(void) {
  void* h = dlopen("/usr/lib/apache2/modules/mod_security2.so", RTLD_LAZY);
  if (!h) { fprintf(stderr, "%s\n", dlerror()); return 1; }
  int (*sqli)(const char*, size_t, char*) = dlsym(h, "libinjection_sqli");
  int (*xss)(const char*, size_t) = dlsym(h, "libinjection_xss");
  int (*isxss)(const char*, size_t, int) = dlsym(h, "libinjection_is_xss");
  void (*init)(void*, const char*, size_t, int) = dlsym(h, "libinjection_sqli_init");
  const char* (*fingerprint)(void*, int) = dlsym(h, "libinjection_sqli_fingerprint");
  static char state[8192];
  char* line = NULL; size_t cap = 0;
  char* buf = malloc(1 << 20);
  const int modes[4] = {9, 17, 10, 20};
  while (getline(&line, &cap, stdin) > 0) {
    size_t n = 0;
    for (char* p = line; p[0] && p[1] && p[0] != '\n'; p += 2) buf[n++] = (char)(hv(p[0]) * 16 + hv(p[1]));
    buf[n] = 0;
    char fp[8] = {0};
    int r = sqli(buf, n, fp);
    printf("%s|%d|", r ? fp : "", xss(buf, n));
    for (int m = 0; m < 4; m++) {
      memset(state, 0, sizeof state);
      init(state, buf, n, modes[m]);
      printf("%s|", fingerprint(state, modes[m]));
    }
    for (int c = 0; c < 5; c++) printf("%d", isxss(buf, n, c));
    printf("\n");
  }
  return 0;
}
`

/** short inputs (JS strings of bytes: \0, \xNN) */
const SHORT = [
  // folding: the five-token special case after a sixth token, SQL types merged, merges too long
  '1+(1)x',
  'x)+(in 1', // the special case on a sixth token: "in" becomes a bareword after it is read
  'x)+(in 1 union select',
  'a-(b)c',
  '1),(1 x',
  'a)+(b c',
  '1 double precision',
  'x character varying 2',
  '1 union ' + 'a'.repeat(27),
  'a'.repeat(27) + ' union all',
  '1 collate a\0_b',
  '1 collate [a\0_b]',
  '1 collate `a\0_b`',
  '1 collate [a_b]',
  '1 collate utf8_bin',
  '1 collate utf8bin',
  '1 like }',
  'x not like }1',
  '1 like(1)',
  'a not like (b)',
  '{ ``',
  '{foo 1}',
  '{x ``}',
  '1 in (1)',
  '1 not in 1',
  '; if(1)=1',
  '; ifnull(1)',
  '; IFX(1)',
  '\\%1',
  '\\1',
  '\\ 1 or 1',
  'x::int',
  "1::varchar or '1'",
  '1,-1',
  '1, -sin(1)',
  'select - 1',
  'select + (1)',
  'select . `foo`',
  '@a.b',
  '`select`.x',
  'select.1',
  'select`x`',
  'user(1)',
  'USER()',
  'current_user(1)',
  '1 union all distinct select 1',
  '-- x',
  '#x',
  '1#',
  '1 --',
  '1 -- x',
  '1/*',
  '1--',
  'x --',
  '1 sp_password --',
  "'a' 'b'",
  ';;',
  '1 or 1 ; if (1) 1',
  'sexy and 17',
  'sexy and 17<18',
  "1' into outfile 'x",
  "1' into foo 'x",
  // strings, numbers, variables
  "q'(abc)'",
  "Q'[a]' or 1=1",
  "q'{a}'",
  "q'<a>'",
  "q'!a!'",
  "q'\x80a'",
  "N'a' or 1",
  "E'\\'' or 1",
  "U&'a' or 1",
  "b'01' or 1",
  "x'ff' or 1",
  '$$a$$ or 1',
  '$tag$a$tag$ or 1',
  '$a$ $a$',
  '$a$x$a$ $a$y',
  '$1,000 or 1',
  '$.',
  '$',
  '[a] or 1',
  '[a',
  '@@version',
  '@`x`',
  "@'x' or 1",
  '\\N or 1',
  '0x or 1',
  '0b or 1',
  '1e or 1',
  '1e5d or 1',
  '1.5f;',
  '.e1',
  '1.',
  '.',
  // quote-start modes, unparsable input
  "' or 1=1 --",
  '" or 1=1 #',
  "a' or 'a'='a",
  "x\\' or 1 --",
  "1'#",
  '1"#',
  '/*!union*/ select',
  '/* /* */ 1',
  '1 /*! 1',
  // HTML: comments, markup, tags, attributes, URLs
  '<!-- -\0\0',
  '<!--a-\0-',
  '<!--a-\0!>',
  '<!--a--!>',
  '<!---->',
  '<?>',
  '<?import x>',
  '<!ENTITY x>',
  '<![CDATA[x]]>',
  '<![CDATA[x',
  '<%x%>',
  '<%x',
  '<x`y>',
  '<!--`-->',
  '<!--[if IE]>',
  '<!--xml-->',
  '</x y=1>',
  '</>',
  '</1>',
  '<a/b=1>',
  '<a/ b>',
  "<a b='1'/>",
  '<a b=`1`>',
  '<a on\0x=1>',
  '<a o\0nx=1>',
  '<a x\0mlns=1>',
  '<a xmlns:x=1>',
  "<a href=' javascript:1'>",
  '<a href=&#106;avascript:1>',
  '<a href=&#x6a;ava>',
  '<a href="vbscript:">',
  '<a href=view-source:x>',
  '<a href=data:x>',
  '<a href=\x01\x02data:x>',
  '<a href=\xffdata:x>',
  '<a href=d\0ata:x>',
  '<a href=d\nata:x>',
  '<a href=&#x>',
  '<a href="&#x">',
  '<a attributename=onload>',
  '<a attributename=x>',
  '<a style=x>',
  '<a filter=x>',
  '<a datasrc=x>',
  '<scr\0ipt>',
  '<svgx>',
  '<XSLfoo>',
  '<sc>',
  '<\0script>',
  '<!doctype html>',
  'x onerror=1',
  'x href=javascript:1',
  "' onmouseover='1",
  '" style="x',
  '` onload=`1',
  '<a b=c d=e f=g>',
  '< a>',
  '<<a>',
  '<a',
  '<a ',
  '<a b',
  '<a b=',
  "<a b='",
  '<a b="',
]

/** the long adversarial units, shared with test/bench/libinjection-bench.ts */
const UNITS = JSON.parse(readFileSync(join(HERE, 'long-units.json'), 'utf8')).units
const LONG_64K = ['#', '*', '&#x', 'a=', '<a ', '<?>', "<a b='' "]

const repeatTo = (unit, length) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length)

const entries = [
  ...SHORT.map((input) => ({ input })),
  ...UNITS.map((unit) => ({ unit, length: 4096 })),
  ...LONG_64K.map((unit) => ({ unit, length: 65536 })),
]
const inputOf = (e) => (e.input !== undefined ? e.input : repeatTo(e.unit, e.length))

const dir = mkdtempSync(join(tmpdir(), 'li-shapes-'))
try {
  writeFileSync(join(dir, 'h.c'), HARNESS_C)
  const cc = spawnSync('gcc', ['-O1', '-rdynamic', '-o', join(dir, 'h'), join(dir, 'h.c'), '-ldl'], {
    encoding: 'utf8',
  })
  if (cc.status !== 0) throw new Error(`gcc failed: ${cc.stderr}`)
  const stdin = entries.map((e) => Buffer.from(inputOf(e), 'latin1').toString('hex')).join('\n') + '\n'
  const run = spawnSync(join(dir, 'h'), { input: stdin, maxBuffer: 1 << 28 })
  if (run.status !== 0) throw new Error(`harness failed: ${run.stderr}`)
  const lines = run.stdout.toString('latin1').split('\n')
  const vectors = entries.map((e, i) => {
    const [sqli, xss, f9, f17, f10, f20, contexts] = (lines[i] ?? '').split('|')
    return {
      ...e,
      sqli: sqli === '' ? null : sqli,
      xss: xss === '1',
      fingerprints: { 9: f9, 17: f17, 10: f10, 20: f20 },
      xssContexts: contexts,
    }
  })
  const meta = {
    reference:
      'libinjection 3.9.2 as compiled into ModSecurity 2.9.7 (/usr/lib/apache2/modules/mod_security2.so)',
    tool: 'node test/vectors/libinjection/record-shapes.mjs',
    method:
      'A C harness dlopen()s the module. sqli: libinjection_sqli() (null: not SQLi); xss: libinjection_xss(); ' +
      'fingerprints[flags]: libinjection_sqli_init(flags) + libinjection_sqli_fingerprint(flags); ' +
      'xssContexts[c]: libinjection_is_xss(input, c) for contexts 0..4.',
    input: 'input, or unit repeated (and cut) to length bytes; binary strings, bytes 0x7f-0xff as \\u00XX',
  }
  const ascii = (v) =>
    JSON.stringify(v).replace(/[\u007f-\u00ff]/g, (c) => '\\u00' + c.charCodeAt(0).toString(16))
  const body = vectors.map((v) => '  ' + ascii(v)).join(',\n')
  writeFileSync(join(HERE, 'shapes.json'), `{\n"meta": ${ascii(meta)},\n"vectors": [\n${body}\n]\n}\n`)
  console.log(`wrote ${vectors.length} vectors to test/vectors/libinjection/shapes.json`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
