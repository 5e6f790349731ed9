/**
 * The Worker in workerd (Miniflare) for the Worker tests: real HTTP into the WAF Workers, real
 * fetch from them to an origin Worker that records what it received. Rule sets:
 * test/workers/rules/*.conf.
 *
 * Hosts (one WAF Worker each):
 *   on.test          SecRuleEngine On, body limits 1000 bytes, Reject
 *   partial.test     SecRuleEngine On, body limits 1000 bytes, ProcessPartial
 *   detect.test      SecRuleEngine DetectionOnly
 *   on-detect.test   on-reject rules with WAF_ENGINE=DetectionOnly
 *   on-off.test      on-reject rules with WAF_ENGINE=Off
 *   detect-on.test   detection-only rules with WAF_ENGINE=On
 *   ops.test         on-reject rules with ADMIN_TOKEN (ops endpoints enabled)
 */
import { join } from 'node:path'
import {
  buildOriginScript,
  buildWafScript,
  ROOT,
  startWorkers,
  type Running,
  type WafWorker,
} from './harness'
import { buildRequest, header, rawExchange } from './raw-http'

const RULES = join(ROOT, 'test/workers/rules')
export const TOKEN = 'test-token-0123456789'

export type Host = 'on' | 'partial' | 'detect' | 'on-detect' | 'on-off' | 'detect-on' | 'ops'

export interface SendInit {
  method?: string
  headers?: Record<string, string>
  body?: Buffer | string
  /** send the body with Transfer-Encoding: chunked (two chunks) instead of Content-Length */
  chunked?: boolean
}

export interface Sent {
  id: string
  status: number
  header(name: string): string | undefined
  body: string
}

export interface Received {
  method: string
  url: string
  headers: [string, string][]
  bodyHex: string
  bodyLength: number
  bodySha1: string
}

let nextId = 0

export class WafSuite {
  private constructor(readonly w: Running) {}

  /** build the rule sets the hosts need and start them with the origin Worker */
  static async start(hosts: Host[]): Promise<WafSuite> {
    const need = (...h: Host[]): boolean => h.some((x) => hosts.includes(x))
    const [onReject, onPartial, detection, origin] = await Promise.all([
      need('on', 'on-detect', 'on-off', 'ops') ? buildWafScript(join(RULES, 'on-reject.conf')) : '',
      need('partial') ? buildWafScript(join(RULES, 'on-partial.conf')) : '',
      need('detect', 'detect-on') ? buildWafScript(join(RULES, 'detection-only.conf')) : '',
      buildOriginScript(),
    ])
    const all: Record<Host, Omit<WafWorker, 'name'>> = {
      on: { script: onReject, host: 'on.test' },
      partial: { script: onPartial, host: 'partial.test' },
      detect: { script: detection, host: 'detect.test' },
      'on-detect': { script: onReject, host: 'on-detect.test', bindings: { WAF_ENGINE: 'DetectionOnly' } },
      'on-off': { script: onReject, host: 'on-off.test', bindings: { WAF_ENGINE: 'Off' } },
      'detect-on': { script: detection, host: 'detect-on.test', bindings: { WAF_ENGINE: 'On' } },
      ops: { script: onReject, host: 'ops.test', bindings: { ADMIN_TOKEN: TOKEN } },
    }
    const w = await startWorkers(
      hosts.map((h) => ({ name: h, ...all[h] })),
      { originScript: origin },
    )
    return new WafSuite(w)
  }

  get logs(): string[] {
    return this.w.logs
  }

  waitForLog(pred: (line: string) => boolean): Promise<string> {
    return this.w.waitForLog(pred)
  }

  dispose(): Promise<void> {
    return this.w.dispose()
  }

  /**
   * Send a request through the WAF at `host` over a raw socket (the bytes on the wire are
   * exactly these: Host, the given headers, x-test-id, Connection: close, Content-Length or
   * chunked). Every request carries a fresh x-test-id, which the origin records.
   */
  async send(host: string, path: string, init: SendInit = {}): Promise<Sent> {
    const id = `t${++nextId}-${Date.now()}`
    const method = init.method ?? 'GET'
    const headers: [string, string][] = [['Host', host]]
    for (const [k, v] of Object.entries(init.headers ?? {})) headers.push([k, v])
    headers.push(['x-test-id', id], ['Connection', 'close'])
    let body: Buffer | undefined
    if (init.body !== undefined) {
      const b = typeof init.body === 'string' ? Buffer.from(init.body, 'latin1') : init.body
      if (init.chunked === true) {
        headers.push(['Transfer-Encoding', 'chunked'])
        const half = b.subarray(0, b.length >> 1)
        const rest = b.subarray(b.length >> 1)
        const chunk = (c: Buffer): Buffer =>
          Buffer.concat([Buffer.from(c.length.toString(16) + '\r\n'), c, Buffer.from('\r\n')])
        body = Buffer.concat([chunk(half), chunk(rest), Buffer.from('0\r\n\r\n')])
      } else {
        headers.push(['Content-Length', String(b.length)])
        body = b
      }
    }
    const r = await rawExchange(Number(this.w.url.port), buildRequest(method, path, headers, body), {
      headRequest: method === 'HEAD',
    })
    if (r.response === undefined) throw new Error(`no response: ${r.error}\n${r.raw.toString('latin1')}`)
    const res = r.response
    return { id, status: res.status, header: (n) => header(res, n), body: res.body.toString('utf8') }
  }

  /** what the origin received for a test id, or undefined when the request never reached it */
  async received(id: string): Promise<Received | undefined> {
    const r = await this.w.mf.dispatchFetch(`http://origin.test/__received?id=${encodeURIComponent(id)}`)
    if (r.status === 404) {
      await r.text()
      return undefined
    }
    return (await r.json()) as Received
  }

  /** the alert line of a rule for a transaction */
  alertFor(uniqueId: string, ruleId: number): Promise<string> {
    return this.w.waitForLog((l) => l.includes(`[unique_id "${uniqueId}"]`) && l.includes(`[id "${ruleId}"]`))
  }
}

/** the transaction's unique id shown on the block page */
export function uniqueIdOf(page: string): string {
  const m = /<code>([^<]+)<\/code>/.exec(page)
  if (m === null) throw new Error('no unique id in the block page:\n' + page)
  return m[1] as string
}
