import type { TxState } from '../tx-state'
import { TxState as TxStateClass } from '../tx-state'
import type { Item } from './item'
import { pushScalar, selectFrom, type Selector, type VariableImpl } from './select'
import { basename } from './uri'

/** Variables derived from the request line, headers, cookies and arguments. */

function list(name: string, build: (tx: TxState, out: Item[]) => void): VariableImpl {
  return {
    collect(tx: TxState, sel: Selector, out: Item[]): void {
      selectFrom(tx.list(name, build), sel, out)
    },
  }
}

let stableSlots = 0

/**
 * A list built from request data that does not change during the transaction (headers, cookies,
 * query arguments): built once, also across the re-evaluation after the body (TxState.stableList).
 */
function stable(build: (tx: TxState, out: Item[]) => void): VariableImpl {
  const slot = stableSlots++
  return {
    collect(tx: TxState, sel: Selector, out: Item[]): void {
      selectFrom(tx.stableList(slot, build), sel, out)
    },
  }
}

function scalar(name: string, compute: (tx: TxState) => string | undefined): VariableImpl {
  return {
    collect(tx: TxState, _sel: Selector, out: Item[]): void {
      pushScalar(tx.scalar(name, compute), out)
    },
  }
}

/**
 * ARGS and ARGS_NAMES are rebuilt when the body adds arguments; their query-string part is the
 * same before and after, so it is built once (stable slots) and its items are reused.
 */
const ARGS_QUERY = stableSlots++
const ARGS_NAMES_QUERY = stableSlots++

function buildArgsQuery(tx: TxState, out: Item[]): void {
  TxStateClass.pairsTo('ARGS', tx.argsGet(), out, false)
}
function buildArgsNamesQuery(tx: TxState, out: Item[]): void {
  TxStateClass.pairsTo('ARGS_NAMES', tx.argsGet(), out, true)
}
function pushAll(from: readonly Item[], out: Item[]): void {
  for (let i = 0; i < from.length; i++) out.push(from[i] as Item)
}
function buildArgs(tx: TxState, out: Item[]): void {
  pushAll(tx.stableList(ARGS_QUERY, buildArgsQuery), out)
  TxStateClass.pairsTo('ARGS', tx.argsBody().args, out, false)
}
function buildArgsNames(tx: TxState, out: Item[]): void {
  pushAll(tx.stableList(ARGS_NAMES_QUERY, buildArgsNamesQuery), out)
  TxStateClass.pairsTo('ARGS_NAMES', tx.argsBody().args, out, true)
}
function buildArgsGet(tx: TxState, out: Item[]): void {
  TxStateClass.pairsTo('ARGS_GET', tx.argsGet(), out, false)
}
function buildArgsGetNames(tx: TxState, out: Item[]): void {
  TxStateClass.pairsTo('ARGS_GET_NAMES', tx.argsGet(), out, true)
}
function buildArgsPost(tx: TxState, out: Item[]): void {
  const b = tx.argsBody()
  if (b.post) TxStateClass.pairsTo('ARGS_POST', b.args, out, false)
}
function buildArgsPostNames(tx: TxState, out: Item[]): void {
  const b = tx.argsBody()
  if (b.post) TxStateClass.pairsTo('ARGS_POST_NAMES', b.args, out, true)
}
function buildHeaders(tx: TxState, out: Item[]): void {
  TxStateClass.pairsTo('REQUEST_HEADERS', tx.headers(), out, false)
}
function buildHeaderNames(tx: TxState, out: Item[]): void {
  TxStateClass.pairsTo('REQUEST_HEADERS_NAMES', tx.headers(), out, true)
}
function buildCookies(tx: TxState, out: Item[]): void {
  TxStateClass.pairsTo('REQUEST_COOKIES', tx.cookies(), out, false)
}
function buildCookieNames(tx: TxState, out: Item[]): void {
  TxStateClass.pairsTo('REQUEST_COOKIES_NAMES', tx.cookies(), out, true)
}

function argsCombinedSize(tx: TxState): string {
  let n = 0
  const g = tx.argsGet()
  for (let i = 0; i < g.length; i++) {
    const a = g[i] as [string, string]
    n += a[0].length + a[1].length
  }
  const b = tx.argsBody().args
  for (let i = 0; i < b.length; i++) {
    const a = b[i] as readonly [string, string]
    n += a[0].length + a[1].length
  }
  return String(n)
}

function requestUri(tx: TxState): string {
  const q = tx.uri().query
  return q === undefined ? tx.path() : tx.path() + '?' + q
}

function requestLine(tx: TxState): string {
  return tx.req.method + ' ' + tx.req.uri + ' ' + tx.req.protocol
}

export const REQUEST_VARIABLES: Record<string, VariableImpl> = {
  ARGS: list('ARGS', buildArgs),
  ARGS_NAMES: list('ARGS_NAMES', buildArgsNames),
  ARGS_GET: stable(buildArgsGet),
  ARGS_GET_NAMES: stable(buildArgsGetNames),
  ARGS_POST: list('ARGS_POST', buildArgsPost),
  ARGS_POST_NAMES: list('ARGS_POST_NAMES', buildArgsPostNames),
  ARGS_COMBINED_SIZE: scalar('ARGS_COMBINED_SIZE', argsCombinedSize),
  REQUEST_HEADERS: stable(buildHeaders),
  REQUEST_HEADERS_NAMES: stable(buildHeaderNames),
  REQUEST_COOKIES: stable(buildCookies),
  REQUEST_COOKIES_NAMES: stable(buildCookieNames),
  REQUEST_METHOD: scalar('REQUEST_METHOD', (tx) => tx.req.method),
  REQUEST_PROTOCOL: scalar('REQUEST_PROTOCOL', (tx) => tx.req.protocol),
  REQUEST_LINE: scalar('REQUEST_LINE', requestLine),
  REQUEST_URI_RAW: scalar('REQUEST_URI_RAW', (tx) => tx.req.uri),
  REQUEST_URI: scalar('REQUEST_URI', requestUri),
  REQUEST_FILENAME: scalar('REQUEST_FILENAME', (tx) => tx.path()),
  REQUEST_BASENAME: scalar('REQUEST_BASENAME', (tx) => basename(tx.path())),
  QUERY_STRING: scalar('QUERY_STRING', (tx) => tx.uri().query),
  REMOTE_ADDR: scalar('REMOTE_ADDR', (tx) => tx.req.clientAddress),
  REMOTE_HOST: scalar('REMOTE_HOST', (tx) => tx.req.clientAddress),
  USERAGENT_IP: scalar('USERAGENT_IP', (tx) => tx.req.clientAddress),
  REMOTE_PORT: scalar('REMOTE_PORT', (tx) => String(tx.req.clientPort)),
  SERVER_ADDR: scalar('SERVER_ADDR', (tx) => tx.req.serverAddress),
  SERVER_PORT: scalar('SERVER_PORT', (tx) => String(tx.req.serverPort)),
  SERVER_NAME: scalar('SERVER_NAME', (tx) => tx.serverName()),
  UNIQUE_ID: scalar('UNIQUE_ID', (tx) => tx.uniqueId),
  URLENCODED_ERROR: {
    collect(tx: TxState, _sel: Selector, out: Item[]): void {
      pushScalar(
        tx.scalar('URLENCODED_ERROR', (t) => (t.urlencodedError() ? '1' : '0')),
        out,
      )
    },
  },
}
