import type { BinaryString } from './bytes'
import type { GeoRecord } from './operators/types'

/**
 * The neutral request the engine inspects. The Worker (or a test) builds it from whatever the
 * runtime hands over; the engine never sees a runtime object. Every string that carries request
 * data is a binary string (one char per byte, see bytes.ts).
 */
export interface EngineRequest {
  /** request method as sent, e.g. "GET" */
  method: BinaryString
  /**
   * the request-target exactly as sent: origin form "/path?query" (or absolute form
   * "http://host/path?query"); REQUEST_URI_RAW, REQUEST_LINE and the URI variables derive from it
   */
  uri: BinaryString
  /** "HTTP/1.1", "HTTP/2.0"... (REQUEST_PROTOCOL, REQUEST_LINE) */
  protocol: string
  /** request headers in arrival order, original case, duplicates kept */
  headers: ReadonlyArray<readonly [BinaryString, BinaryString]>
  /** the request body bytes; undefined when there is none (or pass it to processRequestBody) */
  body?: BinaryString
  clientAddress: string
  clientPort: number
  serverAddress: string
  serverPort: number
  /** SERVER_NAME and the alert's [hostname]; default: the Host header without its port */
  serverName?: string
  /**
   * The client's geolocation from edge metadata (operators/geo-lookup.ts geoRecordFromEdge).
   * As in v2, GEO stays empty until @geoLookup runs; @geoLookup answers for the client address.
   */
  geo?: GeoRecord
  /** UNIQUE_ID; generated when absent */
  uniqueId?: string
}

/** The response as seen by phases 3 and 4. */
export interface EngineResponseHeaders {
  status: number
  /** "HTTP/1.1" */
  protocol: string
  headers: ReadonlyArray<readonly [BinaryString, BinaryString]>
}

/**
 * What a phase returns when the transaction must not proceed normally. Only blocking outcomes
 * are returned; `allow` is not an interruption (the transaction proceeds), see Transaction.allow.
 */
export interface Interruption {
  /** HTTP status to answer with (deny: status action or 403; redirect: 301/302/303/307; drop: 403 as v2 logs it) */
  status: number
  kind: 'deny' | 'drop' | 'redirect' | 'proxy'
  /** id of the rule (chain starter) that interrupted; 0 for engine limits (request body too large) */
  ruleId: number
  phase: number
  /** redirect / proxy target (macro-expanded) */
  location?: string
}
