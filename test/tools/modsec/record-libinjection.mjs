// Records what ModSecurity 2.9.7's libinjection (@detectSQLi / @detectXSS) says about a corpus
// of inputs, and extracts libinjection's data tables from the installed module. Test tooling
// only; never used by the product.
//
//   node test/tools/modsec/record-libinjection.mjs tables
//     -> src/engine/operators/libinjection/sqli-data.ts, xss-data.ts
//   node test/tools/modsec/record-libinjection.mjs tokens
//     -> test/vectors/libinjection/tokens.json (token-level vectors; needs gcc)
//   node test/tools/modsec/record-libinjection.mjs record [--port 18110]
//     -> test/vectors/libinjection/corpus.json
//
// `tables`: libinjection's tables are data, so we take them from the binary ModSecurity runs
// (/usr/lib/apache2/modules/mod_security2.so, Debian libapache2-mod-security2 2.9.7, which embeds
// libinjection 3.9.2). The tables are arrays in .data.rel.ro whose string pointers are
// R_X86_64_RELATIVE relocations: we parse the ELF section headers and .rela.dyn, find each array
// by its first string and walk it:
//   sql_keywords : { const char *word; char type; } x N, sorted, first word "!!"
//                  (keywords and, with type 'F', the fingerprints as '0' + upper-cased fingerprint)
//   BLACKTAG     : const char * [], NULL-terminated, first "APPLET"
//   BLACKATTR    : { const char *name; int type; } [], NULL-terminated, first "ACTION"
//
// `record`: builds the input corpus (every data payload of the CRS 941/942 regression tests:
// whole data strings, URL-decoded body and query parameter values, header values; plus generated
// benign strings), then runs Apache + mod_security2 (recorder.mjs) with
//   SecRule ARGS "@detectSQLi" "id:1,phase:2,pass,log,capture,t:none,logdata:'%{MATCHED_VAR_NAME}|%{TX.0}'"
//   SecRule ARGS "@detectXSS"  "id:2,phase:2,pass,log,t:none,logdata:'%{MATCHED_VAR_NAME}'"
// and sends the inputs as POST application/x-www-form-urlencoded arguments i0..iN (every byte
// percent-encoded, so the exact bytes arrive), a batch per request. Each alert names its argument
// (MATCHED_VAR_NAME), and the SQLi alert carries the fingerprint (TX.0).
import { readFileSync, readdirSync, writeFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startModsec, buildRequest } from './recorder.mjs'

export const MODSEC_SO = '/usr/lib/apache2/modules/mod_security2.so'

function parseElf(buf) {
  if (buf.readUInt32BE(0) !== 0x7f454c46 || buf[4] !== 2) throw new Error('not an ELF64 file')
  const shoff = Number(buf.readBigUInt64LE(0x28))
  const shentsize = buf.readUInt16LE(0x3a)
  const shnum = buf.readUInt16LE(0x3c)
  const shstrndx = buf.readUInt16LE(0x3e)
  const sections = []
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize
    sections.push({
      nameOff: buf.readUInt32LE(o),
      type: buf.readUInt32LE(o + 4),
      addr: Number(buf.readBigUInt64LE(o + 0x10)),
      offset: Number(buf.readBigUInt64LE(o + 0x18)),
      size: Number(buf.readBigUInt64LE(o + 0x20)),
    })
  }
  const strtab = sections[shstrndx]
  for (const s of sections) {
    const start = strtab.offset + s.nameOff
    s.name = buf.toString('latin1', start, buf.indexOf(0, start))
  }
  return sections
}

/** Loads the module and returns helpers to follow relocated pointers. */
function loadModule(path) {
  const buf = readFileSync(path)
  const sections = parseElf(buf)
  const addrToOff = (addr) => {
    for (const s of sections) {
      if (s.type !== 8 /* NOBITS */ && addr >= s.addr && addr < s.addr + s.size && s.addr !== 0) {
        return addr - s.addr + s.offset
      }
    }
    throw new Error(`address 0x${addr.toString(16)} is in no section`)
  }
  const rela = sections.find((s) => s.name === '.rela.dyn')
  if (!rela) throw new Error('no .rela.dyn')
  // pointer slot address -> target address, for R_X86_64_RELATIVE (type 8)
  const relative = new Map()
  const byTarget = new Map()
  for (let o = rela.offset; o < rela.offset + rela.size; o += 24) {
    const slot = Number(buf.readBigUInt64LE(o))
    const info = buf.readBigUInt64LE(o + 8)
    if (Number(info & 0xffffffffn) !== 8) continue
    const target = Number(buf.readBigInt64LE(o + 16))
    relative.set(slot, target)
    const list = byTarget.get(target)
    if (list) list.push(slot)
    else byTarget.set(target, [slot])
  }
  const cstr = (addr) => {
    const o = addrToOff(addr)
    return buf.toString('latin1', o, buf.indexOf(0, o))
  }
  /** addresses of every NUL-terminated occurrence of `s` in .rodata (strings may be suffix-merged) */
  const rodata = sections.find((s) => s.name === '.rodata')
  const findString = (s) => {
    const needle = Buffer.from(s + '\0', 'latin1')
    const out = []
    let i = buf.indexOf(needle, rodata.offset)
    while (i >= 0 && i < rodata.offset + rodata.size) {
      out.push(i - rodata.offset + rodata.addr)
      i = buf.indexOf(needle, i + 1)
    }
    return out
  }
  const slotsPointingTo = (s) => findString(s).flatMap((a) => byTarget.get(a) ?? [])
  return { buf, addrToOff, relative, cstr, slotsPointingTo }
}

export function extractTables(path = MODSEC_SO) {
  const m = loadModule(path)

  // sql_keywords: 16-byte entries {char *word; char type; pad}
  let keywords = null
  for (const slot of m.slotsPointingTo('!!')) {
    const entries = []
    for (let p = slot; m.relative.has(p); p += 16) {
      const type = String.fromCharCode(m.buf[m.addrToOff(p + 8)])
      if (!/^[!-~]$/.test(type)) break
      entries.push([m.cstr(m.relative.get(p)), type])
    }
    if (entries.length > 1000) keywords = entries
  }
  if (!keywords) throw new Error('sql_keywords table not found')
  for (let i = 1; i < keywords.length; i++) {
    if (!(keywords[i - 1][0] < keywords[i][0])) throw new Error(`sql_keywords not sorted at ${i}`)
  }

  // BLACKTAG: char *[] NULL-terminated
  let blackTags = null
  for (const slot of m.slotsPointingTo('APPLET')) {
    const names = []
    for (let p = slot; m.relative.has(p); p += 8) names.push(m.cstr(m.relative.get(p)))
    if (names.length > 5) blackTags = names
  }
  if (!blackTags) throw new Error('BLACKTAG table not found')

  // BLACKATTR: {char *name; int type} NULL-terminated
  let blackAttrs = null
  for (const slot of m.slotsPointingTo('ACTION')) {
    const list = []
    for (let p = slot; m.relative.has(p); p += 16) {
      list.push([m.cstr(m.relative.get(p)), m.buf.readInt32LE(m.addrToOff(p + 8))])
    }
    if (list.length > 5) blackAttrs = list
  }
  if (!blackAttrs) throw new Error('BLACKATTR table not found')

  return { keywords, blackTags, blackAttrs }
}

/** Chunks `items` joined by `sep` into strings of at most `width` chars (for prettier-stable generated code). */
function chunk(items, sep, width) {
  const out = []
  let cur = ''
  for (const it of items) {
    if (cur !== '' && cur.length + sep.length + it.length > width) {
      out.push(cur)
      cur = ''
    }
    cur = cur === '' ? it : cur + sep + it
  }
  if (cur !== '') out.push(cur)
  return out
}

const quote = (s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

export function renderTables({ keywords, blackTags, blackAttrs }, source) {
  const header = (what) =>
    `// GENERATED by \`node test/tools/modsec/record-libinjection.mjs tables\`. Do not edit; regenerate.\n` +
    `// ${what}, read from\n// ${source}.\n`
  const words = keywords.filter(([, t]) => t !== 'F')
  const fps = keywords
    .filter(([, t]) => t === 'F')
    .map(([w]) => {
      if (w[0] !== '0') throw new Error(`fingerprint without the v1 '0' prefix: ${w}`)
      return w.slice(1)
    })
  for (const [w] of words) if (w.includes(',')) throw new Error(`word with a comma: ${w}`)
  const types = [...new Set(words.map(([, t]) => t))].sort()
  const wordLines = []
  for (const t of types) {
    const list = words.filter(([, x]) => x === t).map(([w]) => w)
    for (const c of chunk(list, ',', 96)) wordLines.push(`  ${quote(t + c)},`)
  }
  const sqli =
    header(`libinjection's sql_keywords table (${keywords.length} entries)`) +
    `\n` +
    `/** Entries in libinjection's sql_keywords table: ${words.length} words + ${fps.length} fingerprints. */\n` +
    `export const SQL_TABLE_SIZE = ${keywords.length}\n\n` +
    `/**\n` +
    ` * Keywords, upper case, grouped by the token type libinjection gives them. Each string is the\n` +
    ` * type char followed by a comma-separated list of words (words contain no comma).\n` +
    ` */\n` +
    `export const SQL_WORDS: readonly string[] = [\n${wordLines.join('\n')}\n]\n\n` +
    `/**\n` +
    ` * The SQLi fingerprints (type 'F' entries, stored by libinjection as '0' + upper-cased\n` +
    ` * fingerprint; here without the '0'), space-separated.\n` +
    ` */\n` +
    `export const SQL_FINGERPRINTS: readonly string[] = [\n${chunk(fps, ' ', 100)
      .map((c) => `  ${quote(c)},`)
      .join('\n')}\n]\n`
  const xss =
    header(`libinjection_xss.c's BLACKTAG and BLACKATTR tables`) +
    `\n` +
    `/** Tag names that are always XSS (upper case, compared ignoring case and NUL bytes). */\n` +
    `export const BLACK_TAGS: readonly string[] = [\n${blackTags.map((t) => `  ${quote(t)},`).join('\n')}\n]\n\n` +
    `/** Attribute names and their kind: 1 black, 2 URL-valued, 3 style, 4 indirect (name given in the value). */\n` +
    `export const BLACK_ATTRS: readonly (readonly [string, number])[] = [\n${blackAttrs
      .map(([n, t]) => `  [${quote(n)}, ${t}],`)
      .join('\n')}\n]\n`
  return { sqli, xss }
}

// ---------------------------------------------------------------------------------------------
// Corpus: CRS 941/942 regression test payloads
// ---------------------------------------------------------------------------------------------

const HERE = dirname(fileURLToPath(import.meta.url))
const REPO = join(HERE, '..', '..', '..')
// CRS checkout (as in .ci/run): CRS_DIR, default the shared copy
const CRS_TESTS = join(process.env.CRS_DIR ?? '/work/shared/crs', 'tests/regression/tests')

/** Decodes a YAML double-quoted scalar body (without the quotes). */
function yamlDoubleQuoted(body) {
  const simple = {
    0: '\0',
    a: '\x07',
    b: '\b',
    t: '\t',
    '\t': '\t',
    n: '\n',
    v: '\v',
    f: '\f',
    r: '\r',
    e: '\x1b',
  }
  Object.assign(simple, {
    ' ': ' ',
    '"': '"',
    '/': '/',
    '\\': '\\',
    N: '\x85',
    _: '\xa0',
    L: '\u2028',
    P: '\u2029',
  })
  let out = ''
  for (let i = 0; i < body.length; i++) {
    const c = body[i]
    if (c !== '\\') {
      out += c
      continue
    }
    const e = body[++i]
    const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0
    if (hexLen > 0) {
      out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 1 + hexLen), 16))
      i += hexLen
    } else if (e in simple) out += simple[e]
    else throw new Error(`bad YAML escape \\${e}`)
  }
  return out
}

/**
 * The scalar value of `key: <value>` at lines[i] (indent = the key's indentation): quoted,
 * plain, or a | / > block scalar. Enough YAML for the CRS regression test files.
 */
function yamlScalar(lines, i, indent, text) {
  const t = text.trim()
  if (t.startsWith('"')) {
    // up to the first unescaped quote (may continue on the next lines, folded with a space)
    let body = t.slice(1)
    let j = i
    for (;;) {
      let k = 0
      while (k < body.length && body[k] !== '"') k += body[k] === '\\' ? 2 : 1
      if (k < body.length) return yamlDoubleQuoted(body.slice(0, k))
      if (j + 1 >= lines.length) throw new Error(`unterminated YAML string at line ${i + 1}`)
      body += ' ' + lines[++j].trim()
    }
  }
  if (t.startsWith("'")) return t.slice(1, t.lastIndexOf("'")).replace(/''/g, "'")
  const block = /^([|>])([+-]?)\s*(#.*)?$/.exec(t)
  if (block) {
    const body = []
    let blockIndent = -1
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j]
      if (line.trim() === '') {
        body.push('')
        continue
      }
      const ind = line.length - line.trimStart().length
      if (ind <= indent) break
      if (blockIndent < 0) blockIndent = ind
      body.push(line.slice(blockIndent))
    }
    while (body.length > 0 && body[body.length - 1] === '') body.pop()
    let value = block[1] === '|' ? body.join('\n') : body.join(' ')
    if (block[2] !== '-') value += '\n'
    return value
  }
  return t.replace(/\s+#.*$/, '')
}

/** data, uri and header values of every test stage in a CRS regression test file. */
function crsTestPayloads(text) {
  const lines = text.split('\n')
  const out = []
  let testId = ''
  let headersIndent = -1
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const m = /^(\s*)(?:-\s+)?([A-Za-z_][\w-]*):\s?(.*)$/.exec(line)
    if (!m) continue
    const indent = m[1].length + (line.slice(m[1].length).startsWith('-') ? 2 : 0)
    const [, , key, rest] = m
    if (headersIndent >= 0 && indent <= headersIndent) headersIndent = -1
    if (key === 'test_id' || key === 'test_title') testId = rest.trim().replace(/^["']|["']$/g, '')
    if (key === 'headers' && rest.trim() === '') {
      headersIndent = indent
      continue
    }
    if (headersIndent >= 0 && indent > headersIndent) {
      out.push({ testId, kind: `header ${key}`, value: yamlScalar(lines, i, indent, rest) })
    } else if (key === 'data' || key === 'uri') {
      out.push({ testId, kind: key, value: yamlScalar(lines, i, indent, rest) })
    }
  }
  return out
}

/** UTF-8 bytes of a JS string, as a binary string (one char per byte). */
function utf8(s) {
  return Buffer.from(s, 'utf8').toString('latin1')
}

/** application/x-www-form-urlencoded value decoding of a binary string ('+' is a space, bad % kept). */
function urlDecode(b) {
  let out = ''
  for (let i = 0; i < b.length; i++) {
    const c = b[i]
    if (c === '+') out += ' '
    else if (c === '%' && /^[0-9A-Fa-f]{2}$/.test(b.slice(i + 1, i + 3))) {
      out += String.fromCharCode(parseInt(b.slice(i + 1, i + 3), 16))
      i += 2
    } else out += c
  }
  return out
}

function paramValues(query) {
  const values = []
  for (const part of query.split('&')) {
    const eq = part.indexOf('=')
    if (eq >= 0) values.push(urlDecode(part.slice(eq + 1)))
  }
  return values
}

/** [{ input (binary string), source }] from the CRS 941/942 regression tests, in file order. */
export function crsInputs() {
  const out = []
  const dirs = readdirSync(CRS_TESTS)
    .filter((d) => /^REQUEST-94[12]-/.test(d))
    .sort()
  for (const dir of dirs) {
    for (const file of readdirSync(join(CRS_TESTS, dir))
      .filter((f) => f.endsWith('.yaml'))
      .sort()) {
      const src = `crs:${file.replace(/\.yaml$/, '')}`
      for (const { testId, kind, value } of crsTestPayloads(
        readFileSync(join(CRS_TESTS, dir, file), 'utf8'),
      )) {
        const bytes = utf8(value)
        const where = `${src}#${testId}`
        if (kind === 'data') {
          out.push({ input: bytes, source: `${where} data` })
          for (const v of paramValues(bytes)) out.push({ input: v, source: `${where} data param` })
        } else if (kind === 'uri') {
          const q = bytes.indexOf('?')
          if (q >= 0)
            for (const v of paramValues(bytes.slice(q + 1)))
              out.push({ input: v, source: `${where} query param` })
        } else out.push({ input: bytes, source: `${where} ${kind}` })
      }
    }
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Corpus: generated benign strings (deterministic)
// ---------------------------------------------------------------------------------------------

function rng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WORDS = (
  'the of and to in is you that it he was for on are as with his they at be this have from or one had by ' +
  'word but not what all were we when your can said there use an each which she do how their if will up ' +
  'other about out many then them these so some her would make like him into time has look two more write ' +
  'go see number no way could people my than first water been call who oil its now find long down day did ' +
  'get come made may part select union order group table drop insert update delete from where join like ' +
  'null true false script alert image source style action value option form input button link frame ' +
  'object embed import handler document window location cookie session user admin password login logout ' +
  'search query result page home contact about privacy terms help support account profile settings ' +
  'shopping cart checkout payment shipping address city country phone email message subject comment ' +
  'review rating price total discount coupon order invoice receipt product category brand color size'
).split(' ')
const FIRST = [
  'John',
  'Mary',
  "O'Brien",
  "D'Angelo",
  'José',
  'Zoë',
  'Müller',
  'Ann-Marie',
  'Jean Luc',
  'Łukasz',
  '李',
  'Ngozi',
  'Siobhán',
  'Björk',
  'Ahmed',
  'Priya',
]
const LAST = [
  'Smith',
  "O'Reilly",
  'McDonald',
  'van der Berg',
  'García',
  'Nguyen',
  'Østergaard',
  'Dupont-Moreau',
  "N'Diaye",
  'Schmidt',
]
const DOMAINS = [
  'example.com',
  'mail.example.org',
  'uni-berlin.de',
  'sub.domain.co.uk',
  'example.net',
  'xn--bcher-kva.example',
]
const SENTENCES = [
  'Please select one of the options below and press continue.',
  "We can't go tonight, or can we?",
  'Union Station is 3 blocks from here.',
  "Drop me a line when you're back from holiday.",
  'The table is 120 cm long and 80 cm wide.',
  'Order by Friday to get free shipping!',
  "I'd like to update my shipping address, please.",
  "It's 5 o'clock somewhere -- time for a break.",
  "Rock 'n' roll never dies.",
  'She said "hello" and left.',
  'Is 1 + 1 = 2? Yes, and 2 * 3 = 6.',
  'Use the -- flag to stop option parsing.',
  'Sales rose 25% (from $1,200 to $1,500) in Q3; costs fell.',
  'Where are you from? Where do you live?',
  'Delete the old files, then insert the new disk.',
  'Tom & Jerry; Bonnie & Clyde; salt & pepper.',
  'Meet me at 10:30 a.m. on 2024-03-15 (room #12).',
  'The script ran for 3.5 seconds before the alert appeared.',
  'My password hint: first pet + year of birth.',
  'Read chapter 4, sections 4.1-4.3, before Monday.',
]

function pick(r, list) {
  return list[Math.floor(r() * list.length)]
}

/** [{ input, source }]: words, prose, JSON, numbers, e-mail addresses, URLs, form values. */
export function benignInputs() {
  const r = rng(20250101)
  const out = []
  const add = (kind, s) => out.push({ input: utf8(s), source: `benign:${kind}` })
  for (const w of WORDS) {
    add('word', w)
    add('word', w[0].toUpperCase() + w.slice(1))
  }
  for (const s of SENTENCES) add('prose', s)
  for (let i = 0; i < 300; i++) {
    const n = 3 + Math.floor(r() * 14)
    const words = []
    for (let k = 0; k < n; k++) {
      let w = pick(r, WORDS)
      const x = r()
      if (x < 0.05) w = `"${w}"`
      else if (x < 0.1) w = `${w}'s`
      else if (x < 0.13) w = `(${w})`
      else if (x < 0.16) w = String(Math.floor(r() * 1000))
      words.push(w)
    }
    const end = pick(r, ['.', '.', '!', '?', '', '...', ';', ' :-)'])
    const sentence = words.join(pick(r, [' ', ' ', ' ', ', ']))
    add('prose', sentence[0].toUpperCase() + sentence.slice(1) + end)
  }
  for (let i = 0; i < 200; i++) {
    const obj = {}
    const keys = 1 + Math.floor(r() * 5)
    for (let k = 0; k < keys; k++) {
      const key = pick(r, WORDS)
      const x = r()
      obj[key] =
        x < 0.25
          ? Math.floor(r() * 100000) - 500
          : x < 0.4
            ? Math.round(r() * 10000) / 100
            : x < 0.5
              ? r() < 0.5
              : x < 0.55
                ? null
                : x < 0.7
                  ? [pick(r, WORDS), pick(r, WORDS), Math.floor(r() * 10)]
                  : x < 0.8
                    ? `${pick(r, FIRST)} ${pick(r, LAST)}`
                    : x < 0.9
                      ? { id: Math.floor(r() * 1000), name: pick(r, WORDS) }
                      : pick(r, SENTENCES)
    }
    add('json', JSON.stringify(obj, null, r() < 0.2 ? 2 : undefined))
  }
  for (let i = 0; i < 250; i++) {
    const x = Math.floor(r() * 14)
    const n = Math.floor(r() * 100000)
    const forms = [
      String(n),
      String(-n),
      (r() * 1000).toFixed(2),
      n.toLocaleString('en-US'),
      `$${(r() * 100).toFixed(2)}`,
      `${Math.floor(r() * 100)}%`,
      `${(r() * 10).toFixed(1)}e${Math.floor(r() * 20)}`,
      `0x${n.toString(16)}`,
      `${2000 + Math.floor(r() * 30)}-0${1 + Math.floor(r() * 9)}-${10 + Math.floor(r() * 18)}`,
      `+1 (${100 + Math.floor(r() * 900)}) 555-${1000 + Math.floor(r() * 9000)}`,
      `${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`,
      `${Math.floor(r() * 10)}.${Math.floor(r() * 20)}.${Math.floor(r() * 30)}`,
      `4111 1111 1111 ${1000 + Math.floor(r() * 9000)}`,
      `${Math.floor(r() * 24)}:${String(Math.floor(r() * 60)).padStart(2, '0')}`,
    ]
    add('number', forms[x])
  }
  for (let i = 0; i < 200; i++) {
    const first = pick(r, FIRST).toLowerCase().replace(/ /g, '')
    const last = pick(r, LAST).toLowerCase().replace(/ /g, '')
    const forms = [
      `${first}@${pick(r, DOMAINS)}`,
      `${first}.${last}@${pick(r, DOMAINS)}`,
      `${first}+${pick(r, WORDS)}@${pick(r, DOMAINS)}`,
      `${first}_${Math.floor(r() * 100)}@${pick(r, DOMAINS)}`,
    ]
    add('email', pick(r, forms))
  }
  for (let i = 0; i < 250; i++) {
    const path = Array.from({ length: Math.floor(r() * 4) }, () => pick(r, WORDS)).join('/')
    const q = Array.from(
      { length: Math.floor(r() * 3) },
      () => `${pick(r, WORDS)}=${encodeURIComponent(pick(r, WORDS))}`,
    ).join('&')
    const scheme = pick(r, ['https://', 'http://', 'https://www.', 'ftp://', '//', '/'])
    const host = scheme === '/' ? '' : pick(r, DOMAINS)
    add(
      'url',
      `${scheme}${host}${path ? '/' + path : ''}${q ? '?' + q : ''}${r() < 0.2 ? '#' + pick(r, WORDS) : ''}`,
    )
  }
  const misc = [
    '550e8400-e29b-41d4-a716-446655440000',
    'dGhpcyBpcyBhIHRlc3Q=',
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    'd41d8cd98f00b204e9800998ecf8427e',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
    '12 Main St., Apt. #4, Springfield',
    'c++ tutorial for beginners',
    'select box css',
    'how to drop a column in excel',
    'union jack flag',
    '1=1 in boolean algebra',
    '<p>Hello <b>world</b></p>',
    '<a href="https://example.com/page">link</a>',
    '**bold** and _italic_ text',
    'key1=value1;key2=value2',
    'en-US,en;q=0.9,de;q=0.8',
    'text/html,application/xhtml+xml',
    'C:\\Users\\Public\\Documents',
    '/var/www/html/index.php',
    'SELECT-ed items: 3',
    "it's-a me, Mario",
    'x'.repeat(40),
    'Straße, Größe, Übung',
    'Привет, мир',
    'こんにちは世界',
    '😀 emoji test 🎉',
  ]
  for (const m of misc) add('misc', m)
  for (let i = 0; i < 60; i++) add('name', `${pick(r, FIRST)} ${pick(r, LAST)}`)
  return out
}

// ---------------------------------------------------------------------------------------------
// Recording
// ---------------------------------------------------------------------------------------------

const RULES = [
  `SecRule ARGS "@detectSQLi" "id:1,phase:2,pass,log,capture,t:none,logdata:'%{MATCHED_VAR_NAME}|%{TX.0}'"`,
  `SecRule ARGS "@detectXSS" "id:2,phase:2,pass,log,t:none,logdata:'%{MATCHED_VAR_NAME}'"`,
]

function percentEncodeAll(binary) {
  let out = ''
  for (let i = 0; i < binary.length; i++)
    out += '%' + binary.charCodeAt(i).toString(16).padStart(2, '0').toUpperCase()
  return out
}

/** Records sqli fingerprint / xss for each input with the running ModSecurity. */
async function recordAll(ms, inputs) {
  const results = inputs.map(() => ({ sqli: null, xss: false }))
  let i = 0
  let requests = 0
  while (i < inputs.length) {
    const batch = []
    let size = 0
    while (
      i < inputs.length &&
      batch.length < 40 &&
      (batch.length === 0 || size + inputs[i].length * 3 < 60000)
    ) {
      batch.push(i)
      size += inputs[i].length * 3 + 8
      i++
    }
    const body = batch.map((k) => `i${k}=${percentEncodeAll(inputs[k])}`).join('&')
    const r = await ms.send(
      buildRequest({
        method: 'POST',
        uri: '/',
        headers: [['Content-Type', 'application/x-www-form-urlencoded']],
        body,
      }),
    )
    requests++
    if (r.status === 0) throw new Error(`no response for batch starting at ${batch[0]}`)
    for (const a of r.alerts) {
      const m = /^ARGS:i(\d+)(?:\|(.*))?$/.exec(a.data ?? '')
      if (!m) throw new Error(`unexpected alert data: ${a.raw}`)
      const k = Number(m[1])
      if (!batch.includes(k)) throw new Error(`alert for i${k} outside the batch`)
      if (a.id === '1') {
        const expected = `Warning. detected SQLi using libinjection with fingerprint '${m[2]}'`
        if (a.matchMsg !== expected) throw new Error(`unexpected message: ${a.matchMsg}`)
        results[k].sqli = m[2]
      } else if (a.id === '2') {
        if (a.matchMsg !== 'Warning. detected XSS using libinjection.')
          throw new Error(`unexpected message: ${a.matchMsg}`)
        results[k].xss = true
      }
    }
  }
  return { results, requests }
}

/** JSON with every char 0x7f-0xff written as \u00XX: ASCII file, each byte round-trips. */
function jsonAscii(v) {
  return JSON.stringify(v).replace(
    /[\u007f-\u00ff]/g,
    (c) => '\\u00' + c.charCodeAt(0).toString(16).padStart(2, '0'),
  )
}

async function record(port) {
  const all = [...crsInputs(), ...benignInputs()]
  const seen = new Set()
  const corpus = []
  for (const e of all) {
    if (e.input.length === 0 || seen.has(e.input)) continue
    seen.add(e.input)
    corpus.push(e)
  }
  const ms = await startModsec({ rules: RULES.join('\n') + '\n', port })
  let recorded
  let version = ''
  try {
    version = (readFileSync(ms.logPath, 'latin1').match(/ModSecurity for Apache\/[\d.]+/) ?? [''])[0]
    recorded = await recordAll(
      ms,
      corpus.map((e) => e.input),
    )
  } finally {
    await ms.stop()
  }
  const counts = {
    inputs: corpus.length,
    crs: corpus.filter((e) => e.source.startsWith('crs:')).length,
    benign: corpus.filter((e) => e.source.startsWith('benign:')).length,
    sqli: recorded.results.filter((x) => x.sqli !== null).length,
    xss: recorded.results.filter((x) => x.xss).length,
  }
  const meta = {
    reference: `${version || 'ModSecurity 2.9.7'} (Debian libapache2-mod-security2 2.9.7), libinjection 3.9.2`,
    recordedAt: new Date().toISOString().slice(0, 10),
    tool: 'node test/tools/modsec/record-libinjection.mjs record',
    rules: RULES,
    method:
      'Each input is sent as a POST application/x-www-form-urlencoded argument i<n> with every byte ' +
      'percent-encoded (up to 40 per request); ModSecurity url-decodes it to the exact bytes. An alert of ' +
      'rule 1 for ARGS:i<n> gives sqli = the fingerprint (TX.0), an alert of rule 2 gives xss = true.',
    sources:
      'crs:<rule>#<test> = OWASP CRS 4.28.0 regression tests REQUEST-941-*/REQUEST-942-* (whole data strings, ' +
      'url-decoded data and query parameter values, header values); benign:<kind> = generated strings ' +
      '(words, prose, JSON, numbers, e-mail addresses, URLs, names, misc form values). Deduplicated, empty ' +
      'inputs dropped.',
    encoding: 'input is a binary string: one char per byte; bytes 0x7f-0xff are written as \\u00XX',
    counts,
    requests: recorded.requests,
  }
  const lines = corpus.map((e, k) =>
    jsonAscii({
      input: e.input,
      sqli: recorded.results[k].sqli,
      xss: recorded.results[k].xss,
      source: e.source,
    }),
  )
  const out = join(REPO, 'test/vectors/libinjection/corpus.json')
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(
    out,
    `{\n"meta": ${JSON.stringify(meta, null, 2)},\n"vectors": [\n${lines.join(',\n')}\n]\n}\n`,
  )
  console.log(`wrote ${out}: ${JSON.stringify(counts)}`)
}

// ---------------------------------------------------------------------------------------------
// Token-level vectors: libinjection's own tokenizers, called in the installed module
// ---------------------------------------------------------------------------------------------

// A small C program that dlopen()s mod_security2.so and calls its exported libinjection API
// (libinjection_sqli_init/_tokenize/_fingerprint/_get_token, libinjection_h5_init/_next). The
// module's Apache symbols are resolved lazily; its two data imports are stubbed. Struct layouts
// are libinjection 3.9.2's (libinjection_sqli.h, libinjection_html5.h).
const HARNESS_C = String.raw`
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
char core_module[4096];
char ap_server_config_defines[64];
typedef struct { size_t pos; size_t len; int count; char type; char str_open; char str_close; char val[32]; } stoken_t;
typedef struct { const char* s; size_t len; size_t pos; int is_close; void* state; const char* token_start; size_t token_len; int token_type; } h5_t;
static void hex(const char* p, size_t n) { for (size_t i = 0; i < n; i++) printf("%02x", (unsigned char)p[i]); }
static void tok(stoken_t* t) {
  printf("%02x,%zu,%zu,%02x,%02x,", (unsigned char)t->type, t->pos, t->len, (unsigned char)t->str_open, (unsigned char)t->str_close);
  hex(t->val, t->len); printf(";");
}
int main(void) {
  void* h = dlopen("/usr/lib/apache2/modules/mod_security2.so", RTLD_LAZY);
  if (!h) { fprintf(stderr, "%s\n", dlerror()); return 1; }
  void (*init)(void*, const char*, size_t, int) = dlsym(h, "libinjection_sqli_init");
  int (*tokenize)(void*) = dlsym(h, "libinjection_sqli_tokenize");
  const char* (*fingerprint)(void*, int) = dlsym(h, "libinjection_sqli_fingerprint");
  stoken_t* (*get_token)(void*, int) = dlsym(h, "libinjection_sqli_get_token");
  void (*h5init)(h5_t*, const char*, size_t, int) = dlsym(h, "libinjection_h5_init");
  int (*h5next)(h5_t*) = dlsym(h, "libinjection_h5_next");
  static char line[1 << 16], buf[1 << 15];
  static char state[8192];
  while (fgets(line, sizeof line, stdin)) {
    char mode; int flags; char* p = line;
    mode = *p; flags = (int)strtol(p + 2, &p, 10); p++;
    size_t n = 0;
    while (p[0] && p[1] && p[0] != '\n') { unsigned v; sscanf(p, "%2x", &v); buf[n++] = (char)v; p += 2; }
    buf[n] = 0;
    if (mode == 'T') {
      memset(state, 0, sizeof state); init(state, buf, n, flags);
      for (int k = 0; k < 64 && tokenize(state); k++) tok(get_token(state, 0));
    } else if (mode == 'F') {
      memset(state, 0, sizeof state); init(state, buf, n, flags);
      const char* fp = fingerprint(state, flags);
      printf("%s|", fp);
      for (size_t k = 0; k < strlen(fp); k++) tok(get_token(state, (int)k));
    } else if (mode == 'H') {
      h5_t hs; h5init(&hs, buf, n, flags);
      for (int k = 0; k < 256 && h5next(&hs); k++) printf("%d,%zu,%zu;", hs.token_type, (size_t)(hs.token_start - buf), hs.token_len);
    }
    printf("\n"); fflush(stdout);
  }
  return 0;
}
`

const SQL_FLAGS = [9, 17, 10, 20] // NONE|ANSI, NONE|MYSQL, SINGLE|ANSI, DOUBLE|MYSQL

// Inputs chosen to exercise every parser, fold rule and filter of libinjection's SQLi detector
const SQL_UNIT_INPUTS = [
  "1' or '1'='1",
  'select * from users where id=1',
  '1 union select 1,2,3--',
  '1 UNION ALL SELECT null#',
  "admin'--",
  "' or 1=1 -- -",
  '"a"',
  "'it''s'",
  "'a\\'b'",
  "'a\\\\'b",
  "E'esc'",
  "e'x",
  "N'nat'",
  "n'",
  "nq'[x]'",
  "q'{abc}'",
  "Q'<a>'",
  "q'\x80x'",
  "q' x'",
  "U&'d\\0061t'",
  'u&x',
  "b'0101'",
  "B'012'",
  "x'cafe'",
  "X'cg'",
  "x'ab\x00'",
  '0x1F',
  '0x',
  '0b101',
  '0b',
  '1.5e10',
  '1.e',
  '1e',
  '1e+',
  '.5',
  '.',
  '1.2f',
  '1dUNION',
  '123FROM',
  '1f;',
  '$1,000.00',
  '$.',
  '$',
  '$$a$$b',
  '$$abc',
  '$tag$ x $tag$',
  '1 $a$ x $a$',
  '$ab',
  '$ab$',
  '$a$$a$',
  '@var',
  '@@version',
  '@`x`',
  "@'y'",
  '@',
  '@@',
  '`tick`',
  '`concat`',
  '`a``b`',
  '``',
  '[bracket]',
  '[open',
  '\\N',
  '\\x',
  '\\%1',
  '\\1',
  '/* c */ 1',
  '/*! mysql */',
  '/* /* nested */ 1',
  '/* unterminated',
  '1 /* /* x',
  '/*/',
  '/**/1',
  '1/*',
  '1--',
  '1-- x',
  '1--x',
  '1#x',
  '1 #x',
  '-- only',
  '#',
  'a#b',
  ':=',
  '::',
  ':x',
  'a::int',
  '<=>',
  '<>',
  '!=',
  '!',
  '!!',
  '~1',
  '||',
  '&&',
  'a&&b',
  'a||b',
  '&',
  '|',
  '^',
  '%',
  '?',
  ']',
  '{`x`}',
  '{ `` }',
  '{fn x}',
  '}',
  'select.1',
  'select`x`',
  'a.b.c',
  'user()',
  'user(1)',
  'current_user()',
  'database()',
  '; if 1=1',
  ';ifnull(1)',
  'in (1)',
  'not in (1)',
  'in x',
  'like(1)',
  '1 like 2',
  'a collate utf8_bin',
  'a collate latin1',
  '(1)',
  '((1))',
  '1)) or ((1',
  '+1',
  '-(1)',
  'select -1',
  '1,-1',
  '1,-sin(1)',
  'select + (1)',
  '1 between 1 and 2',
  '1 and 2',
  'sexy and 17',
  'sexy and 17<18',
  '1 union',
  '1 union --',
  'foo --',
  'foo /*',
  '1 into outfile x',
  '1 into x',
  "'a' 'b'",
  '1;;select 1',
  'char(1)',
  'x sp_password --',
  '1 --\x00',
  '1\x80--',
  '\x00',
  '\xa0select\xa01',
  '\xff',
  '\xc3\xa9',
  'select' + 'x'.repeat(40),
  'a'.repeat(40) + '.b',
  'create or replace x',
  "waitfor delay '0:0:5'",
  'order by 1',
  'group by 1 having 1',
  '1 or 1=1',
  '1) or (1=1',
  'a b c d e f g',
  '1 1 1 1 1 1',
  '1+(2)',
  'x+(y)',
  '1),(2',
  'x)+(y',
  'int 1',
  'int(1)',
  '1::text',
  "'a'::text",
  'x,y,z',
  'select . `foo`',
  'a.`b`',
  '1 - - 1',
  '1 - + 1',
  'not 1',
  '!!1',
  'x\ny',
  '-- a\n1',
  '1 -- a\n-- b',
  "1' and '1",
  '"1" or "1"="1',
  "1' #",
  "1'--x",
  '1"#x',
]
const HTML_UNIT_INPUTS = [
  '<script>alert(1)</script>',
  '<a href=javascript:alert(1)>',
  '<img src=x onerror=alert(1)>',
  '<svg/onload=alert(1)>',
  '<!DOCTYPE html>',
  '<!doctype',
  '<!-- c -->',
  '<!-- c --!>',
  '<!--\x00->',
  '<!-- -\x00->',
  '<!--->',
  '<![CDATA[x]]>',
  '<![CDATA[x',
  '<![cdata[x]]>',
  '<?xml x?>',
  '<% x %>',
  '<% x %',
  '</a>',
  '</>',
  '</ x>',
  '</',
  '<a/>',
  '<a/ b>',
  '<a b=\'c\' d="e" f=`g` h=i>',
  '<a\x00b>',
  '<\x00a>',
  'x<y',
  '<',
  'a < b',
  '<a =x>',
  '<a b c>',
  '<a b = c>',
  '<a b=>',
  '<a b="c"d>',
  '<a b="c"/>',
  '"><script>',
  "' onmouseover='x",
  '" style="x',
  '` onload=`',
  'x onclick=y',
  ' x onclick',
  '<a href="&#106;avascript:x">',
  '<a href=&#x6A;avascript:x>',
  '<a href=&#x6A',
  "<a href=' javascript:x'>",
  '<a href=\x01java>',
  '<a href=data:x>',
  '<a href=vbscript:x>',
  '<a href=view-source:x>',
  '<a href=http://x>',
  '<a href=ja&#0;va>',
  '<a href=&#321;ava>',
  '<x xmlns=y>',
  '<x xlink:href=y>',
  '<x attributeName=href>',
  '<x attributeName=foo>',
  '<x style=y>',
  '<x filter=y>',
  '<x datasrc=y>',
  '<x on=y>',
  '<x onx=y>',
  '<x ONLOAD=y>',
  '<xsl:x>',
  '<SVG>',
  '<IFRAME>',
  '<comment>',
  '<!--[if IE]>',
  '<!--xml x-->',
  '<!--`-->',
  '<?import x>',
  '<!ENTITY x>',
  '<a \xff b=c>',
  '<a b=\xffc>',
  '<a\tb\nc\x0bd\x0ce\rf>',
  '<x sc\x00ript>',
  '<scr\x00ipt>',
  '<a b="x>',
  'text only',
  '',
]

/** Records token-level vectors from the module's libinjection into test/vectors/libinjection/tokens.json. */
function recordTokens() {
  const dir = mkdtempSync(join(tmpdir(), 'li-harness-'))
  const src = join(dir, 'harness.c')
  const exe = join(dir, 'harness')
  writeFileSync(src, HARNESS_C)
  const cc = spawnSync('gcc', ['-O1', '-rdynamic', '-o', exe, src, '-ldl'], { encoding: 'utf8' })
  if (cc.status !== 0) throw new Error(`gcc failed: ${cc.stderr}`)
  const bin = (s) => utf8ToBinaryLoose(s)
  const jobs = []
  for (const text of SQL_UNIT_INPUTS) {
    const input = bin(text)
    for (const flags of SQL_FLAGS) {
      jobs.push({ kind: 'T', input, flags })
      jobs.push({ kind: 'F', input, flags })
    }
  }
  for (const text of HTML_UNIT_INPUTS)
    for (let context = 0; context < 5; context++) jobs.push({ kind: 'H', input: bin(text), flags: context })
  const stdin =
    jobs.map((j) => `${j.kind} ${j.flags} ${Buffer.from(j.input, 'latin1').toString('hex')}`).join('\n') +
    '\n'
  const run = spawnSync(exe, { input: stdin, maxBuffer: 1 << 28 })
  if (run.status !== 0) throw new Error(`harness failed: ${run.stderr}`)
  const lines = run.stdout.toString('latin1').split('\n')
  const parseTok = (t) => {
    const [type, pos, len, open, close, val] = t.split(',')
    const ch = (h) => (h === '00' ? '' : String.fromCharCode(parseInt(h, 16)))
    return [
      ch(type),
      Number(pos),
      Number(len),
      Buffer.from(val, 'hex').toString('latin1'),
      ch(open),
      ch(close),
    ]
  }
  const sqli = new Map()
  const html5 = []
  jobs.forEach((j, k) => {
    const line = lines[k]
    if (j.kind === 'H') {
      const tokens =
        line === ''
          ? []
          : line
              .replace(/;$/, '')
              .split(';')
              .map((t) => t.split(',').map(Number))
      html5.push({ input: j.input, context: j.flags, tokens })
      return
    }
    const key = `${j.flags} ${j.input}`
    const entry = sqli.get(key) ?? { input: j.input, flags: j.flags }
    if (j.kind === 'T') entry.tokens = line === '' ? [] : line.replace(/;$/, '').split(';').map(parseTok)
    else {
      const bar = line.indexOf('|')
      entry.fingerprint = line.slice(0, bar)
      const rest = line.slice(bar + 1)
      entry.folded = rest === '' ? [] : rest.replace(/;$/, '').split(';').map(parseTok)
    }
    sqli.set(key, entry)
  })
  const meta = {
    reference:
      'libinjection 3.9.2 as compiled into ModSecurity 2.9.7 (/usr/lib/apache2/modules/mod_security2.so)',
    tool: 'node test/tools/modsec/record-libinjection.mjs tokens',
    method:
      'A C harness dlopen()s the module and calls its exported libinjection functions. sqli[].tokens: ' +
      'libinjection_sqli_init(flags) then libinjection_sqli_tokenize until it returns 0, each token read with ' +
      'libinjection_sqli_get_token(0); sqli[].fingerprint/folded: libinjection_sqli_fingerprint(flags) and its ' +
      'tokens. html5[].tokens: libinjection_h5_init(context) then libinjection_h5_next.',
    sqliToken: '[type, pos, len, val, str_open, str_close] (val: at most 31 bytes; "" for NUL chars)',
    sqliFlags: '1 QUOTE_NONE, 2 QUOTE_SINGLE, 4 QUOTE_DOUBLE, 8 SQL_ANSI, 16 SQL_MYSQL',
    html5Token:
      '[type, start, len]; types 0 DATA_TEXT 1 TAG_NAME_OPEN 2 TAG_NAME_CLOSE 3 TAG_NAME_SELFCLOSE 4 TAG_DATA 5 TAG_CLOSE 6 ATTR_NAME 7 ATTR_VALUE 8 TAG_COMMENT 9 DOCTYPE',
    html5Context:
      '0 DATA_STATE, 1 VALUE_NO_QUOTE, 2 VALUE_SINGLE_QUOTE, 3 VALUE_DOUBLE_QUOTE, 4 VALUE_BACK_QUOTE',
    encoding: 'strings are binary strings (one char per byte); bytes 0x7f-0xff are written as \\u00XX',
  }
  const out = join(REPO, 'test/vectors/libinjection/tokens.json')
  const body = (list) => list.map((e) => jsonAscii(e)).join(',\n')
  writeFileSync(
    out,
    `{\n"meta": ${JSON.stringify(meta, null, 2)},\n"sqli": [\n${body([...sqli.values()])}\n],\n"html5": [\n${body(html5)}\n]\n}\n`,
  )
  rmSync(dir, { recursive: true, force: true })
  console.log(`wrote ${out}: ${sqli.size} sqli, ${html5.length} html5 vectors`)
}

/** Inputs are written as JS strings with \\xHH escapes meaning bytes: keep chars 0-255 as bytes. */
function utf8ToBinaryLoose(s) {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return utf8(s)
  return s
}

function writeTables() {
  const t = extractTables(MODSEC_SO)
  const r = renderTables(t, `${MODSEC_SO} (ModSecurity 2.9.7, libinjection 3.9.2)`)
  const dir = join(REPO, 'src/engine/operators/libinjection')
  writeFileSync(join(dir, 'sqli-data.ts'), r.sqli)
  writeFileSync(join(dir, 'xss-data.ts'), r.xss)
  console.log(`wrote sqli-data.ts (${t.keywords.length} entries) and xss-data.ts`)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const cmd = process.argv[2]
  const portArg = process.argv.indexOf('--port')
  const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 18110
  if (cmd === 'tables') writeTables()
  else if (cmd === 'record') await record(port)
  else if (cmd === 'tokens') recordTokens()
  else {
    console.error('usage: record-libinjection.mjs tables | tokens | record [--port 18110]')
    process.exit(2)
  }
}
