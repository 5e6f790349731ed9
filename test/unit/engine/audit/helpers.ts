import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { EngineConfig } from '../../../../src/bundle/schema'
import {
  auditDecision,
  buildAuditRecord,
  type AuditDecision,
  type AuditOptions,
  type AuditRecord,
} from '../../../../src/engine/audit/index'
import type { LoadOptions } from '../../../../src/engine/link'
import type { Program } from '../../../../src/engine/program'
import type { EngineRequest } from '../../../../src/engine/request'
import { Transaction } from '../../../../src/engine/transaction'
import { parseRaw, program, VECTORS } from '../core/harness'
import { validate, type Schema } from './json-schema-lite'

export const SCHEMA = JSON.parse(
  readFileSync(join(__dirname, '../../../schemas/audit-record.schema.json'), 'utf8'),
) as Schema

export function schemaErrors(doc: unknown): string[] {
  return validate(SCHEMA, doc)
}

export interface AuditCase {
  name: string
  request: { method: string; uri: string; headers: [string, string][]; body?: string }
  sent: string
  status: number
}

export interface AuditCases {
  description: string
  recorded: string
  rules: string
  config: string
  requests: AuditCase[]
}

export function loadCases(): AuditCases {
  return JSON.parse(readFileSync(join(VECTORS, 'audit/cases.json'), 'utf8')) as AuditCases
}

export function readVector(name: string): string {
  return readFileSync(join(VECTORS, 'audit', name), 'latin1')
}

export function auditProgram(rules: string, config: Partial<EngineConfig> = {}, opts?: LoadOptions): Program {
  return program(rules, { ruleEngine: 'On', requestBodyAccess: true, ...config }, opts)
}

export interface Served {
  status: number
  headers: [string, string][]
  body?: string
}

export interface Run {
  tx: Transaction
  decision: AuditDecision
  record: AuditRecord
  status: number
}

const BLOCK_PAGE = '<html><body>blocked</body></html>\n'

/**
 * One transaction the way the Worker runs it: phases 1-2; an interruption answers with the
 * block page (403 etc.), otherwise `origin` answers and phases 3-4 see it; phase 5; then the
 * audit decision and record for what the client got.
 */
export function runTx(
  p: Program,
  raw: string | EngineRequest,
  origin: Served = { status: 200, headers: [['Content-Type', 'text/html']], body: 'ok\n' },
  opts: { clock?: () => number; audit?: AuditOptions } = {},
): Run {
  const req = typeof raw === 'string' ? parseRaw(raw) : raw
  const tx = new Transaction(p, req, opts.clock !== undefined ? { clock: opts.clock } : {})
  const sync = <T>(v: T | Promise<T>): T => {
    if (v instanceof Promise) throw new Error('phase went async')
    return v
  }
  let itp = sync(tx.processRequestHeaders())
  if (itp === undefined) itp = sync(tx.processRequestBody())
  let status: number
  let headers: [string, string][]
  let generated: string | undefined
  if (itp === undefined) {
    itp = sync(tx.processResponseHeaders(origin.status, 'HTTP/1.1', origin.headers))
    if (itp === undefined) itp = sync(tx.processResponseBody(origin.body))
  }
  if (itp !== undefined) {
    status = itp.status
    headers = [
      ['cache-control', 'no-store'],
      ['content-type', 'text/html; charset=utf-8'],
    ]
    generated = BLOCK_PAGE
  } else {
    status = origin.status
    headers = origin.headers
  }
  sync(tx.processLogging())
  const decision = auditDecision(tx, status)
  const final = generated === undefined ? { status, headers } : { status, headers, generatedBody: generated }
  const record = buildAuditRecord(tx, final, opts.audit)
  return { tx, decision, record, status }
}
