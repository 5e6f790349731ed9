/**
 * Reading a body up to a limit without losing the rest: the WAF inspects at most `limit` bytes
 * (SecRequestBodyLimit / SecResponseBodyLimit) and the peer still gets the whole body, as
 * ModSecurity's ProcessPartial does. Bodies that are not inspected are never read here.
 */

export interface BodyPrefix {
  /** the bytes read: the whole body when `complete`, else at least limit + 1 bytes */
  bytes: Uint8Array
  complete: boolean
  /** the unread remainder when not complete */
  rest: ReadableStreamDefaultReader<Uint8Array> | undefined
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array
  const out = new Uint8Array(total)
  let at = 0
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i] as Uint8Array
    out.set(c, at)
    at += c.length
  }
  return out
}

/** Read until the stream ends or more than `limit` bytes have been read. */
export async function readPrefix(
  stream: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<BodyPrefix> {
  if (stream === null) return { bytes: new Uint8Array(0), complete: true, rest: undefined }
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const r = await reader.read()
    if (r.done) return { bytes: concat(chunks, total), complete: true, rest: undefined }
    const chunk = r.value
    if (chunk.length === 0) continue
    chunks.push(chunk)
    total += chunk.length
    if (total > limit) return { bytes: concat(chunks, total), complete: false, rest: reader }
  }
}

/**
 * The whole body again: the bytes already read, then the rest of the stream. With a known
 * length (Content-Length of an unencoded body) the stream keeps that length, so the peer gets
 * Content-Length rather than chunked encoding. `keepAlive` (ctx.waitUntil) keeps the copy
 * running until the peer has consumed it.
 */
export function rejoin(
  prefix: BodyPrefix,
  length: number | undefined,
  keepAlive: (p: Promise<unknown>) => void,
): Uint8Array | ReadableStream<Uint8Array> {
  const rest = prefix.rest
  if (prefix.complete || rest === undefined) return prefix.bytes
  const { readable, writable } =
    length !== undefined ? new FixedLengthStream(length) : new TransformStream<Uint8Array, Uint8Array>()
  const pump = async (): Promise<void> => {
    const writer = writable.getWriter()
    try {
      await writer.write(prefix.bytes)
      for (;;) {
        const r = await rest.read()
        if (r.done) break
        await writer.write(r.value)
      }
      await writer.close()
    } catch (e) {
      await writer.abort(e).catch(() => undefined)
      await rest.cancel(e).catch(() => undefined)
    }
  }
  keepAlive(pump())
  return readable as ReadableStream<Uint8Array>
}

/** Content-Length as a number when it is a plain decimal, else undefined */
export function contentLength(headers: Headers): number | undefined {
  const v = headers.get('content-length')
  if (v === null || !/^[0-9]{1,15}$/.test(v.trim())) return undefined
  return Number(v.trim())
}
