/**
 * What the two ModSecurity recorders of the bench share (record-modsec.mjs: the four bench
 * requests; record-modsec-worst.mjs: the worst-case corpus): their command-line options, the
 * bench's configuration as ModSecurity rules (the same as setup.ts gives the engine), and the
 * CGI origin behind Apache. Run under tsx (they import setup.ts).
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { plSetupAction, ROOT } from './setup'

/** `--name value` from the command line, or the default. */
export function opt(name: string, dflt: string): string {
  const args = process.argv.slice(2)
  const i = args.indexOf(name)
  return i >= 0 ? (args[i + 1] ?? dflt) : dflt
}

/** CRS to record with: --crs, else CRS_DIR, else ../shared/crs (relative to the repository). */
export function crsDirOption(): string {
  return resolve(ROOT, opt('--crs', process.env.CRS_DIR || '../shared/crs'))
}

/**
 * The bench's configuration at a paranoia level: rules/engine.conf, no audit log (the recorder
 * has none), rules/crs-setup.conf, the PL SecAction 900000, CRS rules/*.conf.
 */
export function benchModsecRules(crsDir: string, pl: number): string {
  return (
    `Include ${resolve(ROOT, 'rules/engine.conf')}\n` +
    `SecAuditEngine Off\n` +
    `Include ${resolve(ROOT, 'rules/crs-setup.conf')}\n` +
    plSetupAction(pl) +
    `Include ${crsDir}/rules/*.conf\n`
  )
}

const MOD = '/usr/lib/apache2/modules'

/**
 * An origin for every path and method (a static file would give POST a 405): a CGI script in a
 * new temporary directory, whose body `script(dir)` writes after `#!/bin/sh`; mod_cgid, because
 * the recorder runs the event MPM. Returns the directory and the Apache configuration to add.
 */
export function cgiOrigin(
  prefix: string,
  script: (dir: string) => string,
): { dir: string; extraConfig: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  const cgi = join(dir, 'page.cgi')
  writeFileSync(cgi, '#!/bin/sh\n' + script(dir))
  chmodSync(cgi, 0o755)
  const extraConfig = `
LoadModule alias_module ${MOD}/mod_alias.so
LoadModule cgid_module ${MOD}/mod_cgid.so
ScriptSock ${dir}/cgisock
ScriptAliasMatch ^/ ${cgi}
<Directory ${dir}>
  Require all granted
</Directory>
`
  return { dir, extraConfig }
}
