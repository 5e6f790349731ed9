/**
 * `waf crs-fetch <version> [--sha256 HEX] [--dir .crs]` (npm run crs:fetch -- <version>)
 *
 * Downloads an OWASP CRS release from GitHub into a git-ignored folder (.crs/<version>) and
 * verifies it before anything is used:
 *  - when rules/crs-manifests/<version>.json exists, every file of rules/ and
 *    crs-setup.conf.example must have the pinned sha256 (and no pinned file may be missing);
 *  - otherwise the tarball's sha256 must equal --sha256 (take it from a source you trust).
 * Prints the CRS_DIR to use. Needs network access and `tar`.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../..')

interface Manifest {
  version: string
  files: Record<string, string>
}

export function verifyManifest(dir: string, manifest: Manifest): string[] {
  const problems: string[] = []
  for (const [rel, want] of Object.entries(manifest.files)) {
    const path = join(dir, rel)
    if (!existsSync(path)) {
      problems.push(`missing ${rel}`)
      continue
    }
    const got = createHash('sha256').update(readFileSync(path)).digest('hex')
    if (got !== want) problems.push(`${rel}: sha256 ${got}, expected ${want}`)
  }
  return problems
}

export async function runCrsFetch(args: string[]): Promise<number> {
  let version: string | undefined
  let sha256: string | undefined
  let outDir = join(ROOT, '.crs')
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '--sha256') sha256 = args[++i]?.toLowerCase()
    else if (a === '--dir') outDir = resolve(args[++i] ?? '.crs')
    else if (version === undefined) version = a.replace(/^v/, '')
    else {
      process.stderr.write(`crs-fetch: unexpected argument ${a}\n`)
      return 2
    }
  }
  if (version === undefined || !/^\d+\.\d+\.\d+$/.test(version)) {
    process.stderr.write('usage: npm run crs:fetch -- <version, e.g. 4.28.0> [--sha256 HEX]\n')
    return 2
  }
  const manifestPath = join(ROOT, 'rules/crs-manifests', `${version}.json`)
  const manifest = existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest) : undefined
  if (manifest === undefined && sha256 === undefined) {
    process.stderr.write(
      `crs-fetch: no pinned manifest for CRS ${version} (rules/crs-manifests/${version}.json); pass --sha256 <tarball sha256> from a source you trust\n`,
    )
    return 2
  }
  const url = `https://github.com/coreruleset/coreruleset/archive/refs/tags/v${version}.tar.gz`
  process.stderr.write(`downloading ${url}\n`)
  let body: Buffer
  try {
    const res = await fetch(url)
    if (!res.ok) throw new Error(`HTTP ${res.status}`)
    body = Buffer.from(await res.arrayBuffer())
  } catch (e) {
    process.stderr.write(`crs-fetch: download failed: ${(e as Error).message}\n`)
    return 1
  }
  const got = createHash('sha256').update(body).digest('hex')
  if (sha256 !== undefined && got !== sha256) {
    process.stderr.write(`crs-fetch: tarball sha256 ${got} does not match ${sha256}; nothing installed\n`)
    return 1
  }
  const staging = join(outDir, `.staging-${version}`)
  rmSync(staging, { recursive: true, force: true })
  mkdirSync(staging, { recursive: true })
  writeFileSync(join(staging, 'crs.tar.gz'), body)
  const tar = spawnSync('tar', ['-xzf', 'crs.tar.gz', '--strip-components=1'], { cwd: staging, encoding: 'utf8' })
  if (tar.status !== 0) {
    process.stderr.write(`crs-fetch: tar failed: ${tar.stderr}\n`)
    return 1
  }
  rmSync(join(staging, 'crs.tar.gz'))
  if (manifest !== undefined) {
    const problems = verifyManifest(staging, manifest)
    if (problems.length > 0) {
      process.stderr.write(`crs-fetch: CRS ${version} does not match its pinned manifest; nothing installed:\n  ${problems.join('\n  ')}\n`)
      rmSync(staging, { recursive: true, force: true })
      return 1
    }
  }
  const target = join(outDir, version)
  rmSync(target, { recursive: true, force: true })
  spawnSync('mv', [staging, target])
  const n = readdirSync(join(target, 'rules')).filter((f) => f.endsWith('.conf')).length
  process.stdout.write(`CRS ${version} verified (${manifest ? 'pinned manifest' : 'tarball sha256'}), ${n} rule files\nexport CRS_DIR=${target}\n`)
  return 0
}
