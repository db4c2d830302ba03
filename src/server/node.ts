/**
 * `writeEventStream`: an event stream over a `node:http` `ServerResponse` (plain Node, Express,
 * Fastify's `reply.raw`, Koa's `ctx.res`). Typed structurally: the entry imports nothing from Node.
 * @packageDocumentation
 */
import {EVENT_STREAM_HEADERS} from './response.js'
import {createEventStreamBody, type EventStreamOptions, type EventStreamSource} from './stream.js'

/**
 * The parts of a `node:http` `ServerResponse` (or an HTTP/2 compatibility response) the writer uses.
 *
 * @example
 * ```ts
 * import type {ServerResponse} from 'node:http'
 * const target: NodeServerResponse = response satisfies ServerResponse
 * ```
 */
export interface NodeServerResponse {
  /** The request, for its `Last-Event-ID` header. */
  readonly req?: {readonly headers: Readonly<Record<string, string | string[] | undefined>>} | undefined
  readonly headersSent: boolean
  readonly destroyed: boolean
  writeHead(statusCode: number, headers: Record<string, string>): unknown
  flushHeaders(): void
  write(chunk: Uint8Array): boolean
  end(): unknown
  destroy(error?: Error): unknown
  on(event: 'close' | 'drain', listener: () => void): unknown
  off(event: 'close' | 'drain', listener: () => void): unknown
}

/**
 * Options of `writeEventStream`.
 *
 * @example
 * ```ts
 * writeEventStream(res, events, {retry: 2000, headers: {'Access-Control-Allow-Origin': '*'}})
 * ```
 */
export interface WriteEventStreamOptions extends EventStreamOptions {
  /** More response headers (they may replace the defaults). Ignored when the headers were already sent. */
  headers?: Record<string, string> | undefined
  /**
   * The response status.
   * @defaultValue 200
   */
  status?: number | undefined
}

/**
 * Writes an event stream to a `node:http` response: the headers at once, then each event as soon as
 * it comes (flushed, through a compression middleware's `flush()` too), waiting for `'drain'` when
 * the socket is full. The response ends when the events end; when the client goes away (`'close'`)
 * the iterator's `return()` runs. The request's `Last-Event-ID` goes to a generator function.
 * @returns a promise that resolves when the stream ended or the client left, and rejects with what
 *   the events threw (the response is then destroyed, so the client reconnects)
 * @throws TypeError for events that are not iterable or a bad option
 *
 * @example
 * ```ts
 * import {createServer} from 'node:http'
 * import {writeEventStream} from 'eventsource-kit/server'
 *
 * createServer((req, res) => {
 *   writeEventStream(res, async function* ({lastEventId}) {
 *     yield {id: '1', data: `resumed after ${lastEventId || 'nothing'}`}
 *   }).catch((error) => console.error(error))
 * }).listen(3000)
 * ```
 */
export async function writeEventStream(res: NodeServerResponse, events: EventStreamSource, options: WriteEventStreamOptions = {}): Promise<void> {
  const {headers, status = 200, ...streamOptions} = options
  const header = res.req?.headers['last-event-id']
  const lastEventId = Array.isArray(header) ? (header[0] ?? '') : (header ?? '')
  const reader = createEventStreamBody('writeEventStream', events, {...streamOptions, lastEventId}).getReader()
  if (!res.headersSent) {
    res.writeHead(status, {...EVENT_STREAM_HEADERS, ...headers})
    // The client's EventSource opens on the headers: send them before the first event exists.
    res.flushHeaders()
  }
  let wake: (() => void) | undefined
  let cancelled: Promise<void> | undefined
  // [non-spec] the client left: cancelling ends a pending read and runs the iterator's return().
  const onClose = (): void => {
    cancelled ??= reader.cancel().catch(() => undefined)
    wake?.()
  }
  const onDrain = (): void => wake?.()
  res.on('close', onClose)
  res.on('drain', onDrain)
  if (res.destroyed) onClose()
  try {
    while (cancelled === undefined) {
      const result = await reader.read()
      if (result.done) break
      const isBelowHighWaterMark = res.write(result.value)
      // A compression middleware (Express's `compression`) buffers until flushed.
      ;(res as {flush?: () => void}).flush?.()
      // Backpressure: no next event before the socket takes this one (or the client leaves).
      if (!isBelowHighWaterMark && cancelled === undefined) await new Promise<void>((resolve) => (wake = resolve))
      wake = undefined
    }
    if (cancelled === undefined) res.end()
    else await cancelled
  } catch (error) {
    res.destroy(error instanceof Error ? error : new Error(String(error)))
    throw error
  } finally {
    res.off('close', onClose)
    res.off('drain', onDrain)
    reader.releaseLock()
  }
}
