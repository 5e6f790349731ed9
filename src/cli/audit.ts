/**
 * `waf audit`: read the audit log bucket (src/worker/r2-audit.ts).
 *
 *   waf audit list [--since 2h|ISO] [--status 403|4xx] [--rule ID] [--limit N] [--json]
 *   waf audit get <unique_id> [--json]
 *
 * Where from:
 *   --local (default)   the bucket `wrangler dev` / `npm run dev` keeps under .wrangler/state
 *                       (read with Miniflare's R2 API, the storage wrangler itself uses;
 *                       --persist-to DIR as for wrangler)
 *   --remote            the deployed bucket: `get` runs `wrangler r2 object get <bucket>/<key>
 *                       --remote --pipe`; wrangler cannot list objects, so `list` (and `get`,
 *                       when --url is given) use the Worker's ops endpoint instead:
 *                       --url https://www.example.com [--token T or ADMIN_TOKEN in the environment]
 * The bucket is the AUDIT binding's bucket_name in wrangler.toml (--bucket NAME to override).
 * `get` prints the record as stored (Native or JSON); with --json a Native record is printed as
 * its sections ({boundary, sections: [{letter, text}]}).
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { keyForId, parseNativeRecords } from '../engine/audit/index'
import { listAudit, parseSince, type AuditBucket, type ListFilter } from '../worker/r2-audit'

export const AUDIT_USAGE = `usage:
  waf audit list [--since 2h|ISO] [--status 403|4xx] [--rule ID] [--limit N] [--json]
  waf audit get <unique_id> [--json]
options:
  --local                 the bucket of wrangler dev (default; .wrangler/state, --persist-to DIR)
  --remote                the deployed bucket (get: wrangler r2 object get; list: --url)
  --url URL --token T     use the Worker's ops endpoint (token also from ADMIN_TOKEN)
  --bucket NAME           bucket name (default: the AUDIT binding in wrangler.toml)
  --config FILE           wrangler configuration (default wrangler.toml)
`

interface AuditArgs {
  command: 'list' | 'get'
  id?: string
  local: boolean
  remote: boolean
  url?: string
  token?: string
  bucket?: string
  config: string
  persistTo: string
  since?: string
  status?: string
  rule?: string
  limit: number
  json: boolean
  error?: string
}

export function parseAuditArgs(argv: string[]): AuditArgs {
  const [command, ...rest] = argv
  const out: AuditArgs = {
    command: command === 'get' ? 'get' : 'list',
    local: false,
    remote: false,
    config: 'wrangler.toml',
    persistTo: '.wrangler/state',
    limit: 100,
    json: false,
  }
  if (command !== 'list' && command !== 'get') {
    out.error = command === undefined ? 'missing subcommand' : `unknown subcommand "${command}"`
    return out
  }
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string
    const value = (): string => {
      const v = rest[++i]
      if (v === undefined) {
        out.error = `${a} needs a value`
        return ''
      }
      return v
    }
    if (a === '--local') out.local = true
    else if (a === '--remote') out.remote = true
    else if (a === '--json') out.json = true
    else if (a === '--url') out.url = value()
    else if (a === '--token') out.token = value()
    else if (a === '--bucket') out.bucket = value()
    else if (a === '--config') out.config = value()
    else if (a === '--persist-to') out.persistTo = value()
    else if (a === '--since') out.since = value()
    else if (a === '--status') out.status = value()
    else if (a === '--rule') out.rule = value()
    else if (a === '--limit') {
      const n = Number(value())
      if (!Number.isInteger(n) || n < 1) out.error = '--limit must be a positive integer'
      else out.limit = n
    } else if (out.command === 'get' && out.id === undefined && !a.startsWith('-')) out.id = a
    else out.error = `unknown option ${a}`
    if (out.error !== undefined) return out
  }
  if (out.local && out.remote) out.error = '--local and --remote exclude each other'
  else if (out.command === 'get' && out.id === undefined) out.error = 'get needs a unique id'
  else if (out.status !== undefined && !/^(\d{3}|[1-5]xx)$/i.test(out.status))
    out.error = '--status is a status (403) or a class (4xx)'
  return out
}

/** The AUDIT binding's bucket_name in a wrangler.toml (a [[r2_buckets]] block). */
export function bucketNameFromToml(text: string): string | undefined {
  const blocks = text.split(/^\s*\[\[r2_buckets\]\]\s*$/m).slice(1)
  for (const b of blocks) {
    const body = b.split(/^\s*\[/m)[0] ?? ''
    const binding = /^\s*binding\s*=\s*"([^"]*)"/m.exec(body)?.[1]
    const name = /^\s*bucket_name\s*=\s*"([^"]*)"/m.exec(body)?.[1]
    if (binding === 'AUDIT' && name !== undefined) return name
  }
  return undefined
}

function bucketName(args: AuditArgs): string {
  if (args.bucket !== undefined) return args.bucket
  const path = resolve(args.config)
  if (existsSync(path)) {
    const n = bucketNameFromToml(readFileSync(path, 'utf8'))
    if (n !== undefined) return n
  }
  return 'edge-waf-audit'
}

/** The local bucket of `wrangler dev` through Miniflare; dispose when done. */
async function localBucket(args: AuditArgs): Promise<{ bucket: AuditBucket; dispose: () => Promise<void> }> {
  const r2Dir = join(resolve(args.persistTo), 'v3', 'r2')
  if (!existsSync(r2Dir))
    throw new Error(`no local R2 state at ${r2Dir} (run npm run dev first, or --persist-to DIR)`)
  const { Miniflare } = await import('miniflare')
  const mf = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response(null, { status: 404 }) } }',
    compatibilityDate: '2026-04-01',
    r2Buckets: { AUDIT: bucketName(args) },
    r2Persist: r2Dir,
  })
  await mf.ready
  const bucket = (await mf.getR2Bucket('AUDIT')) as unknown as AuditBucket
  return { bucket, dispose: () => mf.dispose() }
}

function filterOf(args: AuditArgs, now: number): ListFilter | string {
  const f: ListFilter = { limit: args.limit }
  if (args.since !== undefined) {
    const t = parseSince(args.since, now)
    if (t === undefined) return '--since: an ISO time or a duration like 30m, 2h, 7d'
    f.since = t
  }
  if (args.status !== undefined) f.status = args.status
  if (args.rule !== undefined) f.rule = args.rule
  return f
}

type Entry = { key: string; size: number; metadata: Record<string, string> }

function printList(entries: Entry[], json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(entries, null, 2) + '\n')
    return
  }
  for (const e of entries) {
    const m = e.metadata
    process.stdout.write(
      [
        m.time ?? '-',
        m.status ?? '-',
        m.method ?? '-',
        m.host ?? '-',
        m.uri ?? '-',
        'rules=' + (m.rules || '-'),
        m.client ?? '-',
        m.id ?? e.key,
      ].join('  ') + '\n',
    )
  }
  process.stderr.write(`${entries.length} record(s)\n`)
}

function printRecord(bytes: Uint8Array, json: boolean): void {
  const text = Buffer.from(bytes).toString('latin1')
  if (json && !text.startsWith('{')) {
    const recs = parseNativeRecords(text)
    process.stdout.write(JSON.stringify(recs.length === 1 ? recs[0] : recs, null, 2) + '\n')
    return
  }
  process.stdout.write(bytes)
}

function token(args: AuditArgs): string | undefined {
  return args.token ?? process.env.ADMIN_TOKEN
}

async function ops(args: AuditArgs, path: string): Promise<Response> {
  const base = (args.url ?? '').replace(/\/+$/, '')
  const t = token(args)
  if (t === undefined || t === '') throw new Error('--url needs the ops token: --token T or ADMIN_TOKEN')
  const prefix = process.env.ADMIN_PREFIX ?? '/.waf/'
  return fetch(base + prefix.replace(/\/?$/, '/') + path, { headers: { authorization: `Bearer ${t}` } })
}

function wranglerBin(): string {
  const require = createRequire(import.meta.url)
  return join(dirname(require.resolve('wrangler/package.json')), 'bin', 'wrangler.js')
}

/** `wrangler r2 object get <bucket>/<key> --remote --pipe`: the object's bytes, or undefined when absent */
function wranglerGet(args: AuditArgs, key: string): Promise<Uint8Array | undefined> {
  return new Promise((res, rej) => {
    const child = spawn(
      process.execPath,
      [
        wranglerBin(),
        'r2',
        'object',
        'get',
        `${bucketName(args)}/${key}`,
        '--remote',
        '--pipe',
        '--config',
        args.config,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
    )
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (c: Buffer) => out.push(c))
    child.stderr.on('data', (c: Buffer) => err.push(c))
    child.on('error', rej)
    child.on('exit', (code) => {
      const stderr = Buffer.concat(err).toString('utf8')
      if (code === 0) res(new Uint8Array(Buffer.concat(out)))
      else if (/does not exist|not found|404/i.test(stderr)) res(undefined)
      else rej(new Error(`wrangler r2 object get failed (${code}): ${stderr.trim()}`))
    })
  })
}

export async function runAudit(argv: string[]): Promise<number> {
  const args = parseAuditArgs(argv)
  if (args.error !== undefined) {
    process.stderr.write(`waf audit: ${args.error}\n${AUDIT_USAGE}`)
    return 2
  }
  try {
    return args.command === 'list' ? await list(args) : await get(args)
  } catch (e) {
    process.stderr.write(`waf audit: ${e instanceof Error ? e.message : String(e)}\n`)
    return 1
  }
}

async function list(args: AuditArgs): Promise<number> {
  const now = Date.now()
  const f = filterOf(args, now)
  if (typeof f === 'string') {
    process.stderr.write(`waf audit: ${f}\n`)
    return 2
  }
  if (args.remote || args.url !== undefined) {
    if (args.url === undefined) {
      process.stderr.write(
        'waf audit: wrangler cannot list R2 objects; list the deployed bucket with --url <worker URL> (ops endpoint)\n',
      )
      return 2
    }
    const q = new URLSearchParams()
    if (args.since !== undefined) q.set('since', args.since)
    if (args.status !== undefined) q.set('status', args.status)
    if (args.rule !== undefined) q.set('rule', args.rule)
    q.set('limit', String(args.limit))
    const r = await ops(args, 'audit?' + q.toString())
    if (!r.ok) throw new Error(`ops endpoint answered ${r.status}: ${(await r.text()).trim()}`)
    printList(((await r.json()) as { records: Entry[] }).records, args.json)
    return 0
  }
  const { bucket, dispose } = await localBucket(args)
  try {
    // local state is small: without --since, everything
    printList(await listAudit(bucket, { ...f, since: f.since ?? 0 }, now), args.json)
  } finally {
    await dispose()
  }
  return 0
}

async function get(args: AuditArgs): Promise<number> {
  const id = args.id as string
  const key = keyForId(id)
  if (args.url !== undefined) {
    const r = await ops(args, 'audit/' + encodeURIComponent(id))
    if (r.status === 404) return notFound(id, key)
    if (!r.ok) throw new Error(`ops endpoint answered ${r.status}: ${(await r.text()).trim()}`)
    printRecord(new Uint8Array(await r.arrayBuffer()), args.json)
    return 0
  }
  if (args.remote) {
    if (key === undefined) {
      process.stderr.write(
        `waf audit: ${id} does not carry its time (not an id of this WAF): cannot find its key remotely\n`,
      )
      return 2
    }
    const bytes = await wranglerGet(args, key)
    if (bytes === undefined) return notFound(id, key)
    printRecord(bytes, args.json)
    return 0
  }
  const { bucket, dispose } = await localBucket(args)
  try {
    let k = key
    if (k === undefined) {
      // an id from elsewhere: look for it among all records
      const all = await listAudit(bucket, { since: 0, limit: 1_000_000 }, Date.now())
      k = all.find((e) => e.key.endsWith('/' + id))?.key
    }
    const o = k === undefined ? null : await bucket.get(k)
    if (o === null) return notFound(id, key)
    printRecord(new Uint8Array(await o.arrayBuffer()), args.json)
    return 0
  } finally {
    await dispose()
  }
}

function notFound(id: string, key: string | undefined): number {
  process.stderr.write(`waf audit: no record for ${id}${key !== undefined ? ` (key ${key})` : ''}\n`)
  return 1
}
