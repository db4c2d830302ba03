/**
 * The body of an event stream: a pull-based `ReadableStream` of UTF-8 frames over an iterable of events.
 * @packageDocumentation
 */
import {formatEvent, formatItem, type EventStreamItem} from './format.js'

/**
 * What a generator function gets: the client's `Last-Event-ID` (to resume after it) and a signal
 * aborted when the client goes away (to stop waiting on something else than the next `yield`).
 *
 * @example
 * ```ts
 * eventStream(async function* ({lastEventId, signal}) {
 *   for await (const row of db.changesAfter(Number(lastEventId || 0), {signal})) yield {id: String(row.seq), data: row.json}
 * }, {request})
 * ```
 */
export interface EventStreamContext {
  /** The request's `Last-Event-ID` header, or `''` when it sent none. */
  readonly lastEventId: string
  /** Aborted when the client disconnects (the stream is cancelled). */
  readonly signal: AbortSignal
}

/**
 * The events of a stream: an iterable (sync or async) of events or strings, or a function that
 * makes one from the request's context (typically an async generator function).
 *
 * @example
 * ```ts
 * const events: EventStreamSource = async function* () { yield 'hello'; yield {event: 'done', data: ''} }
 * ```
 */
export type EventStreamSource =
  | AsyncIterable<EventStreamItem>
  | Iterable<EventStreamItem>
  | ((context: EventStreamContext) => AsyncIterable<EventStreamItem> | Iterable<EventStreamItem>)

/**
 * Options shared by `eventStream` and `writeEventStream`.
 *
 * @example
 * ```ts
 * eventStream(events, {retry: 3000, heartbeatMs: 20_000})
 * ```
 */
export interface EventStreamOptions {
  /** A `retry:` sent before the first event: the client's reconnection time in ms (a whole number ≥ 0). */
  retry?: number | undefined
  /**
   * Every this many ms a comment line is sent while no event is waiting, so that proxies and clients
   * with an idle timeout keep the connection. `0` sends none.
   * @defaultValue 15000
   */
  heartbeatMs?: number | undefined
}

/** What the body needs beyond the options: the client's Last-Event-ID. */
export interface EventStreamBodyInit extends EventStreamOptions {
  lastEventId: string
}

/** Default interval of the heartbeat comments, in ms: below the usual 30 to 60 s idle timeouts of proxies. */
export const DEFAULT_HEARTBEAT_MS = 15_000
const HEARTBEAT = ':\n\n'

/** @throws TypeError for a bad option (named). */
function checkOptions(caller: string, {retry, heartbeatMs}: EventStreamOptions): void {
  if (heartbeatMs !== undefined && !(Number.isSafeInteger(heartbeatMs) && heartbeatMs >= 0)) {
    throw new TypeError(`${caller}: heartbeatMs must be a whole number of ms ≥ 0 (0 for none), got ${String(heartbeatMs)}`)
  }
  if (retry !== undefined && !(typeof retry === 'number' && Number.isSafeInteger(retry) && retry >= 0)) {
    throw new TypeError(`${caller}: retry must be a whole number of ms ≥ 0, got ${String(retry)}`)
  }
}

function toIterator(caller: string, source: EventStreamSource, context: EventStreamContext): AsyncIterator<EventStreamItem> | Iterator<EventStreamItem> {
  const iterable = typeof source === 'function' ? source(context) : source
  if (iterable !== null && typeof iterable === 'object') {
    if (Symbol.asyncIterator in iterable) return iterable[Symbol.asyncIterator]()
    if (Symbol.iterator in iterable) return iterable[Symbol.iterator]()
  }
  throw new TypeError(`${caller}: the events must be an iterable, an async iterable, or a function returning one`)
}

/** Runs the iterator's `return()` (a generator's `finally`); what it throws is the iterator's own business. */
async function closeIterator(iterator: AsyncIterator<unknown> | Iterator<unknown>): Promise<void> {
  try {
    await iterator.return?.()
  } catch {
    // Already ending: the stream's own error (or the cancel) is what counts.
  }
}

/**
 * The stream of frames. Pull-based: the next event is asked for only when the consumer wants more
 * bytes, so a slow client holds the generator at its `yield` instead of growing a buffer. Cancelling
 * the stream aborts the context's signal, stops the heartbeat and calls the iterator's `return()`
 * (a generator's `finally` runs). The iterator throwing, or an event `formatEvent` refuses, errors
 * the stream (the client sees the connection break and reconnects).
 * @throws TypeError for a source that is not iterable or a bad option
 */
export function createEventStreamBody(caller: string, source: EventStreamSource, init: EventStreamBodyInit): ReadableStream<Uint8Array> {
  const {retry, heartbeatMs = DEFAULT_HEARTBEAT_MS, lastEventId} = init
  checkOptions(caller, init)
  const controller = new AbortController()
  const iterator = toIterator(caller, source, {lastEventId, signal: controller.signal})
  const encoder = new TextEncoder()
  let timer: ReturnType<typeof setInterval> | undefined
  let isFinished = false
  // Whether a consumer is waiting for bytes while the iterator has none yet: the time to send a heartbeat.
  let isPulling = false
  // Ends the stream's resources once, whichever way it ends.
  const finish = (): void => {
    isFinished = true
    if (timer !== undefined) clearInterval(timer)
    timer = undefined
  }
  return new ReadableStream<Uint8Array>(
    {
      start(stream) {
        if (retry !== undefined) stream.enqueue(encoder.encode(formatEvent({retry})))
        if (heartbeatMs > 0) {
          timer = setInterval(() => {
            // Only to a consumer that is waiting for bytes: one that is not reading needs no
            // keep-alive, and the queue stays bounded (at most this one comment).
            if (!isFinished && isPulling && (stream.desiredSize ?? -1) >= 0) stream.enqueue(encoder.encode(HEARTBEAT))
          }, heartbeatMs)
        }
      },
      async pull(stream) {
        isPulling = true
        try {
          for (;;) {
            const result = await iterator.next()
            if (isFinished) return
            if (result.done) {
              finish()
              stream.close()
              return
            }
            const frame = formatItem(result.value)
            // An event with no field has no frame: ask for the next one instead of enqueuing nothing.
            if (frame === '') continue
            stream.enqueue(encoder.encode(frame))
            return
          }
        } catch (error) {
          if (isFinished) return
          finish()
          // The iterator may still hold resources (a formatEvent error came from our side).
          await closeIterator(iterator)
          throw error
        } finally {
          isPulling = false
        }
      },
      async cancel(reason) {
        finish()
        controller.abort(reason)
        await closeIterator(iterator)
      },
    },
    // No read-ahead: the iterator advances only when the consumer reads.
    {highWaterMark: 0},
  )
}
