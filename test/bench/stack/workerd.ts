/**
 * The pieces of the whole-stack bench (stack.ts): the Worker in workerd (Miniflare 4, which runs
 * the same workerd binary as `wrangler dev`) in front of the origin process (origin.mjs), and the
 * CPU time of the workerd process read from /proc (Linux only).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Readable } from 'node:stream'
import { Miniflare } from 'miniflare'
import { COMPATIBILITY_DATE } from '../../workers/harness'
import { RESPONSE_BODY, ROOT } from '../setup'

export interface Origin {
  url: string
  proc: ChildProcess
  close(): Promise<void>
}

/** origin.mjs in its own process, so that its CPU is not counted as the Worker's */
export async function startOrigin(port: number): Promise<Origin> {
  const proc = spawn(
    process.execPath,
    [resolve(ROOT, 'test/bench/stack/origin.mjs'), String(port), RESPONSE_BODY],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  await new Promise<void>((ok, fail) => {
    proc.once('error', fail)
    proc.once('exit', (code) => fail(new Error(`origin exited (${code}); is port ${port} free?`)))
    proc.stdout?.once('data', () => ok())
  })
  proc.removeAllListeners('exit')
  return {
    url: `http://127.0.0.1:${port}`,
    proc,
    close: () =>
      new Promise<void>((ok) => {
        proc.once('exit', () => ok())
        proc.kill('SIGTERM')
      }),
  }
}

export interface Stack {
  mf: Miniflare
  url: URL
  /** pid of the workerd process Miniflare started */
  pid: number
  dispose(): Promise<void>
}

/** Start workerd with one Worker: the WAF script (or any script) with these vars. */
export async function startWorkerd(
  script: string,
  port: number,
  vars: Record<string, string>,
  audit = true,
): Promise<Stack> {
  const before = new Set(workerdPids())
  const drain = (s: Readable): void => {
    s.resume()
  }
  const mf = new Miniflare({
    host: '127.0.0.1',
    port,
    cf: false,
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      // alert lines: read and dropped (as Workers Logs would take them)
      drain(stdout)
      drain(stderr)
    },
    workers: [
      {
        name: 'waf',
        modules: true,
        script,
        compatibilityDate: COMPATIBILITY_DATE,
        bindings: vars,
        kvNamespaces: ['COLLECTIONS'],
        // the audit log's bucket (local R2, inside workerd); without it the Worker logs a line instead
        r2Buckets: audit ? ['AUDIT'] : [],
      },
    ],
  })
  const url = await mf.ready
  const fresh = workerdPids().filter((p) => !before.has(p))
  const pid = fresh[0]
  if (pid === undefined || fresh.length > 1) {
    await mf.dispose()
    throw new Error(`cannot tell which workerd process is ours (new: ${fresh.join(', ') || 'none'})`)
  }
  return { mf, url, pid, dispose: () => mf.dispose() }
}

/** workerd processes that descend from this process */
function workerdPids(): number[] {
  const parent = new Map<number, number>()
  const names = new Map<number, string>()
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'latin1')
      const close = stat.lastIndexOf(')')
      names.set(Number(d), stat.slice(stat.indexOf('(') + 1, close))
      parent.set(Number(d), Number(stat.slice(close + 2).split(' ')[1]))
    } catch {
      // the process ended meanwhile
    }
  }
  const out: number[] = []
  for (const [pid, name] of names) {
    if (!name.startsWith('workerd')) continue
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p)) {
      if (p === process.pid) {
        out.push(pid)
        break
      }
    }
  }
  return out
}

/**
 * CPU time of a process in µs from /proc/<pid>/stat (utime + stime, clock ticks of 10 ms; includes
 * threads that ended): for runs of seconds.
 */
export function cpuTicksUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // fields 14 and 15 of stat(5), counted after "pid (comm) ": state is index 0
  return (Number(f[11]) + Number(f[12])) * 10_000
}

/**
 * CPU time of a process in µs from the scheduler (/proc/<pid>/task/<tid>/schedstat: ns on the CPU
 * per live thread): for single requests and start-up, where 10 ms ticks are too coarse.
 */
export function cpuSchedUs(pid: number): number {
  let ns = 0
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'latin1').split(' ')[0])
    } catch {
      // the thread ended meanwhile
    }
  }
  return ns / 1000
}
