/**
 * One go-ftw stage against the engine, no HTTP: the wire bytes go-ftw would send are parsed by
 * the front end (http-front.ts), the engine runs phases 1-2, the simulated albedo origin answers
 * (albedo.ts), the engine runs phases 3-4 on that response and phase 5. The outcome is what
 * go-ftw would observe: the status (origin or WAF), a client-side error, and the error-log
 * lines of the transaction (alert lines of the rules that log, and the engine's own messages).
 */
import {
  formatAlertLine,
  Transaction,
  type EngineRequest,
  type Program,
  type PersistentStore,
} from '../../engine/index'
import { albedoRespond, type OriginResponse } from './albedo'
import { parseWireRequest } from './http-front'
import type { FtwInput } from './types'
import { buildWireRequest } from './wire-request'
import { FtwFormatError } from './yaml-values'

export interface StageOutcome {
  /** the HTTP status go-ftw would read; undefined when it gets an error instead */
  status?: number
  /** why go-ftw would get an error instead of a response (connection dropped, HTTP/0.9 answer) */
  clientError?: string
  /** full response text (status line, headers, body) for response_contains */
  response: string
  /** error-log lines of this transaction, in order */
  lines: string[]
  /** the request was answered by the HTTP front end without reaching the engine */
  frontReject?: string
  /** the test input could not be turned into a request (bad base64, unsupported template...) */
  inputError?: string
}

export interface StageEnv {
  program: Program
  /** persistent collections, shared by the stages of a test */
  store: PersistentStore
}

const REASONS: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  413: 'Request Entity Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
}

function responseText(status: number, headers: [string, string][], body: string): string {
  let s = `HTTP/1.1 ${status} ${REASONS[status] ?? ''}\r\n`
  for (const [n, v] of headers) s += n + ': ' + v + '\r\n'
  return s + '\r\n' + body
}

export function buildStageRequest(input: FtwInput, where: string): ReturnType<typeof parseWireRequest> {
  const wire = buildWireRequest(input, where)
  return parseWireRequest(wire, {
    clientAddress: '127.0.0.1',
    clientPort: 40000,
    serverAddress: '127.0.0.1',
    serverPort: input.port ?? 80,
  })
}

export async function runStage(env: StageEnv, input: FtwInput, where: string): Promise<StageOutcome> {
  let front
  try {
    front = buildStageRequest(input, where)
  } catch (e) {
    if (e instanceof FtwFormatError) return { response: '', lines: [], inputError: e.message }
    throw e
  }
  if (front.kind === 'reject') {
    return {
      status: front.status,
      response: responseText(front.status, [], ''),
      lines: [],
      frontReject: front.reason,
    }
  }
  const request: EngineRequest = front.request
  const tx = new Transaction(env.program, request, { store: env.store })
  await tx.processRequestHeaders()
  await tx.processRequestBody()
  let origin: OriginResponse | undefined
  if (tx.interruption === undefined) {
    origin = albedoRespond(request)
    await tx.processResponseHeaders(origin.status, 'HTTP/1.1', origin.headers)
    await tx.processResponseBody(origin.body)
  }
  await tx.processLogging()
  await tx.persist()

  const lines: string[] = []
  for (const m of tx.state.engineMessages) lines.push('ModSecurity: ' + m)
  for (const r of tx.records) if (r.log) lines.push(formatAlertLine(r))

  const out: StageOutcome = { response: '', lines }
  const intr = tx.interruption
  if (intr !== undefined) {
    if (intr.kind === 'drop') out.clientError = 'connection closed by the WAF (drop)'
    else {
      out.status = intr.status
      const headers: [string, string][] = intr.location !== undefined ? [['Location', intr.location]] : []
      out.response = responseText(intr.status, headers, '')
    }
  } else if (origin !== undefined) {
    out.status = origin.status
    out.response = responseText(origin.status, origin.headers, origin.body)
  }
  if (front.http09) {
    // httpd answers an HTTP/0.9 request without a status line; go-ftw fails to parse it
    out.clientError = 'HTTP/0.9 response without a status line'
    delete out.status
  }
  return out
}
