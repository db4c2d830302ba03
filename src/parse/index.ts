/**
 * The entry `eventsource-kit/parse`: the EventSource's interpretation of an event stream, without
 * the EventSource. For a stream you already hold (an SDK's raw `Response`, a framework's
 * `ReadableStream`, bytes in a test): no connection, no reconnection, no DOM events.
 * @packageDocumentation
 */
import {ignore} from '../core/body.js'
import {createEventStreamDecoder, DEFAULT_MAX_EVENT_SIZE} from '../core/decode.js'
import {MaxEventSizeError, NetworkError} from '../core/errors.js'
import {checkResponse} from '../core/response.js'

export {ContentTypeError, EventSourceError, HttpError, MaxEventSizeError, NetworkError} from '../core/errors.js'

/**
 * One event of the stream, as the EventSource would dispatch it as a `MessageEvent`.
 *
 * @example
 * ```ts
 * for await (const event of parseEventStream(response)) if (event.type === 'message') console.log(event.data)
 * ```
 */
export interface ParsedEvent {
  /** The `event:` field of the block, or "message" when it had none. */
  readonly type: string
  /** The `data:` lines of the block, joined with "\n". */
  readonly data: string
  /** The last event ID string when the event was dispatched (as `MessageEvent.lastEventId`). */
  readonly lastEventId: string
  /** The block's own `id:` field, or `undefined` when it had none (or only ids with NUL, which are ignored). */
  readonly id: string | undefined
}

/**
 * A chunk of an event stream: bytes (UTF-8), or text that is already decoded.
 *
 * @example
 * ```ts
 * const chunks: EventStreamChunk[] = [new TextEncoder().encode('data: a\n\n'), 'data: b\n\n']
 * ```
 */
export type EventStreamChunk = Uint8Array | string

/**
 * What `parseEventStream` reads: a fetch `Response` (checked first, see `validate`), a
 * `ReadableStream`, or any async iterable of chunks (a Node stream, an async generator).
 *
 * @example
 * ```ts
 * const source: EventStreamSource = await fetch('/stream')
 * ```
 */
export type EventStreamSource = Response | ReadableStream<EventStreamChunk> | AsyncIterable<EventStreamChunk>

/**
 * Options of `parseEventStream`.
 *
 * @example
 * ```ts
 * parseEventStream(response, {signal: AbortSignal.timeout(60_000), maxEventSize: 1024 * 1024})
 * ```
 */
export interface ParseEventStreamOptions {
  /** Aborting it cancels the stream (or the response body) and rejects the loop with the signal's reason. */
  signal?: AbortSignal | undefined
  /**
   * Most characters buffered for one line or one event; past it the loop rejects with a `MaxEventSizeError`
   * after the complete events before it.
   * @defaultValue 16 MiB (16777216)
   */
  maxEventSize?: number | undefined
  /**
   * Check a `Response` as the EventSource does: status 200 and a `text/event-stream` Content-Type, else
   * the loop rejects with an `HttpError` or a `ContentTypeError`. `false` reads any response's body.
   * @defaultValue true
   */
  validate?: boolean | undefined
  /**
   * The last event ID string before the stream starts (the one a resumed request sent), so that events
   * before the stream's first `id:` carry it.
   * @defaultValue ''
   */
  lastEventId?: string | undefined
}

/**
 * The async iterator `parseEventStream` returns: the events, plus the state a caller needs to resume.
 *
 * @example
 * ```ts
 * const events = parseEventStream(response)
 * for await (const event of events) render(event.data)
 * console.log(events.lastEventId, events.reconnectionTime)
 * ```
 */
export interface EventStreamIterator extends AsyncIterableIterator<ParsedEvent> {
  /** The last event ID string as of the events consumed so far (ids of blocks without data count too). */
  readonly lastEventId: string
  /** The last `retry:` value in ms, or `undefined` while the stream sent none. */
  readonly reconnectionTime: number | undefined
}

/**
 * Interprets an event stream you already hold exactly as the EventSource does (one BOM stripped,
 * UTF-8 with replacement, CR/LF/CRLF, ids with NUL ignored, incomplete last event dropped), with
 * the same decoder. Leaving the loop (`break`) or aborting `signal` cancels the stream or body; a
 * body that breaks off rejects the loop with a `NetworkError` whose `cause` says why.
 * @throws TypeError for a source that is not a Response, a ReadableStream or an async iterable, or a bad option
 *
 * @example
 * ```ts
 * import {parseEventStream} from 'eventsource-kit/parse'
 *
 * const response = await fetch('/v1/chat', {method: 'POST', body: JSON.stringify({prompt, stream: true})})
 * for await (const event of parseEventStream(response)) {
 *   if (event.data === '[DONE]') break
 *   output.append(JSON.parse(event.data).text)
 * }
 * ```
 */
export function parseEventStream(source: EventStreamSource, options: ParseEventStreamOptions = {}): EventStreamIterator {
  const {signal, maxEventSize = DEFAULT_MAX_EVENT_SIZE, lastEventId = ''} = options
  if (typeof source !== 'object' || source === null) throw new TypeError('parseEventStream: source must be a Response, ReadableStream or AsyncIterable')
  if (!(maxEventSize === Infinity || (Number.isInteger(maxEventSize) && maxEventSize > 0))) {
    throw new TypeError('parseEventStream: maxEventSize must be an integer > 0 or Infinity')
  }
  async function* interpret(): AsyncGenerator<ParsedEvent, void, undefined> {
    let url = 'the event stream'
    let body = source as ReadableStream<EventStreamChunk> | AsyncIterable<EventStreamChunk> | null
    if ('status' in source) {
      url = source.url || url
      // [spec] the EventSource's check: status 200 and a text/event-stream Content-Type, else fail.
      const error = options.validate !== false && (await checkResponse(source, url))
      if (error) throw error
      body = source.body
    }
    if (!body) return
    // A ReadableStream as an iterator over its reader (streams are not async iterable everywhere).
    const reader = 'getReader' in body ? body.getReader() : undefined
    const chunks: AsyncIterator<EventStreamChunk> = reader ? {next: () => reader.read(), return: () => reader.cancel() as never} : body[Symbol.asyncIterator]()
    // `break`, a throw in the loop body, the signal or an error: the stream (or body) is cancelled.
    const cancel = (): void => void (async () => chunks.return?.())().catch(ignore)
    const queue: ParsedEvent[] = []
    // The last event ID as of the parser; `iterator.lastEventId` follows it as the events are consumed.
    let parsedLastEventId = iterator.lastEventId
    const feed = createEventStreamDecoder(
      maxEventSize,
      // [spec] dispatch step 5: the event's lastEventId is the last event ID string.
      (type, data, id) => queue.push({type, data, lastEventId: parsedLastEventId, id}),
      (id) => {
        parsedLastEventId = id
      },
      (ms) => {
        iterator.reconnectionTime = ms
      },
    )
    // Cancelling ends a pending read, which then sees the aborted signal.
    signal?.addEventListener('abort', cancel)
    try {
      for (;;) {
        if (signal?.aborted) throw signal.reason
        let result: IteratorResult<EventStreamChunk>
        try {
          result = await chunks.next()
        } catch (cause) {
          throw new NetworkError(url, cause)
        }
        if (signal?.aborted) throw signal.reason
        // [spec] "If the file ends in the middle of an event, before the final empty line, the
        // incomplete event is not dispatched."
        if (result.done) return
        const fits = feed(result.value)
        for (const event of queue.splice(0)) {
          iterator.lastEventId = event.lastEventId
          yield event
        }
        // [spec] dispatch step 1 also runs for a block without data (an id-only block).
        iterator.lastEventId = parsedLastEventId
        if (!fits) throw new MaxEventSizeError(maxEventSize, url)
      }
    } finally {
      signal?.removeEventListener('abort', cancel)
      cancel()
    }
  }
  // The generator object itself carries the state: its body runs from the first next(), after this.
  const iterator: AsyncGenerator<ParsedEvent, void, undefined> & {-readonly [K in 'lastEventId' | 'reconnectionTime']: EventStreamIterator[K]} = Object.assign(interpret(), {
    lastEventId: `${lastEventId}`,
    reconnectionTime: undefined,
  })
  return iterator
}
