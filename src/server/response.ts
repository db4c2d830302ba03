/**
 * `eventStream`: an event stream as a web `Response`, for anything that answers requests with one.
 * @packageDocumentation
 */
import {createEventStreamBody, type EventStreamOptions, type EventStreamSource} from './stream.js'

/**
 * The headers of every event stream: the type clients require, no caching or transformation
 * (compression holds events back), and nginx's switch for response buffering. No `Connection`
 * header: HTTP/2 and HTTP/3 forbid it, and HTTP/1.1 keeps the connection open by default.
 */
export const EVENT_STREAM_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
})

/**
 * Options of `eventStream`.
 *
 * @example
 * ```ts
 * eventStream(events, {request, retry: 2000, headers: {'Access-Control-Allow-Origin': '*'}})
 * ```
 */
export interface EventStreamInit extends EventStreamOptions {
  /** The request being answered: its `Last-Event-ID` header goes to a generator function. */
  request?: {readonly headers: {get(name: string): string | null}} | undefined
  /**
   * More response headers (they may replace the defaults, e.g. a `Cache-Control`): what `new Headers()`
   * takes (spelled so that Node's types, without the DOM lib, know it too).
   */
  headers?: ConstructorParameters<typeof Headers>[0] | undefined
  /**
   * The response status.
   * @defaultValue 200
   */
  status?: number | undefined
}

/**
 * Answers with an event stream: a `Response` whose body formats each event (`formatEvent`) as the
 * client asks for bytes. Works wherever a handler returns a `Response`: Hono, Next.js route
 * handlers, Deno.serve, Bun.serve, Cloudflare Workers. When the client goes away the iterator's
 * `return()` runs, so a generator's `finally` cleans up.
 * @throws TypeError for events that are not iterable or a bad option
 *
 * @example
 * ```ts
 * import {eventStream} from 'eventsource-kit/server'
 *
 * export function GET(request: Request) {
 *   return eventStream(async function* ({lastEventId, signal}) {
 *     let n = Number(lastEventId) || 0
 *     while (!signal.aborted) {
 *       yield {id: String(++n), data: JSON.stringify({n})}
 *       await new Promise((resolve) => setTimeout(resolve, 1000))
 *     }
 *   }, {request})
 * }
 * ```
 */
export function eventStream(events: EventStreamSource, init: EventStreamInit = {}): Response {
  const {request, headers, status = 200, ...options} = init
  const body = createEventStreamBody('eventStream', events, {...options, lastEventId: request?.headers.get('last-event-id') ?? ''})
  const merged = new Headers(EVENT_STREAM_HEADERS)
  for (const [name, value] of new Headers(headers)) merged.set(name, value)
  return new Response(body, {status, headers: merged})
}
