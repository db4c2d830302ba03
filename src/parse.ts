/**
 * The entry `eventsource-kit/parse`: the EventSource's interpretation of an event stream, without
 * the EventSource. For a stream you already hold (an SDK's raw `Response`, a framework's
 * `ReadableStream`, bytes in a test): no connection, no reconnection, no DOM events.
 * @packageDocumentation
 */
import {DEFAULT_MAX_EVENT_SIZE, EventStreamDecoder} from './decode.js'
import {MaxEventSizeError, NetworkError} from './errors.js'
import {checkResponse} from './response.js'

export {ContentTypeError, EventSourceError, HttpError, MaxEventSizeError, NetworkError} from './errors.js'

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

/** The iterator's public state, written as the events are consumed. */
type State = {-readonly [K in 'lastEventId' | 'reconnectionTime']: EventStreamIterator[K]}

const ignore = (): void => {}

/** A ReadableStream's reader, or an async iterable's iterator, as one `read`/`cancel` pair. */
function readerOf(body: ReadableStream<EventStreamChunk> | AsyncIterable<EventStreamChunk>): {read(): Promise<IteratorResult<EventStreamChunk>>; cancel(): void} {
  if ('getReader' in body) {
    const reader = body.getReader()
    return {read: () => reader.read(), cancel: () => void reader.cancel().catch(ignore)}
  }
  const iterator = body[Symbol.asyncIterator]()
  return {read: () => iterator.next(), cancel: () => void Promise.resolve(iterator.return?.()).catch(ignore)}
}

async function* interpret(source: EventStreamSource, options: ParseEventStreamOptions, stateOf: () => State): AsyncGenerator<ParsedEvent, void, undefined> {
  const {signal, maxEventSize = DEFAULT_MAX_EVENT_SIZE} = options
  const state = stateOf()
  let url = 'the event stream'
  let body = source as ReadableStream<EventStreamChunk> | AsyncIterable<EventStreamChunk> | null
  if ('status' in source) {
    url = source.url || url
    // [spec] the EventSource's check: status 200 and a text/event-stream Content-Type, else fail.
    const error = options.validate === false ? undefined : await checkResponse(source, url)
    if (error) throw error
    body = source.body
  }
  if (!body) return
  const reader = readerOf(body)
  const queue: ParsedEvent[] = []
  // The last event ID as of the parser; `state.lastEventId` follows it as the events are consumed.
  let parsedLastEventId = state.lastEventId
  const decoder = new EventStreamDecoder({
    // [spec] dispatch step 5: the event's lastEventId is the last event ID string.
    onEvent: (type, data, id) => queue.push({type, data, lastEventId: parsedLastEventId, id}),
    onId: (id) => {
      parsedLastEventId = id
    },
    onRetry: (ms) => {
      state.reconnectionTime = ms
    },
    maxEventSize,
  })
  // Cancelling the reader ends a pending read, which then sees the aborted signal.
  signal?.addEventListener('abort', reader.cancel)
  try {
    for (;;) {
      if (signal?.aborted) throw signal.reason
      let result: IteratorResult<EventStreamChunk>
      try {
        result = await reader.read()
      } catch (cause) {
        throw new NetworkError(url, cause)
      }
      if (signal?.aborted) throw signal.reason
      // [spec] "If the file ends in the middle of an event, before the final empty line, the
      // incomplete event is not dispatched."
      if (result.done) return
      const {value} = result
      const fits = typeof value === 'string' ? decoder.feedText(value) : decoder.feed(value)
      for (const event of queue.splice(0)) {
        state.lastEventId = event.lastEventId
        yield event
      }
      // [spec] dispatch step 1 also runs for a block without data (an id-only block).
      state.lastEventId = parsedLastEventId
      if (!fits) throw new MaxEventSizeError(maxEventSize, url)
    }
  } finally {
    signal?.removeEventListener('abort', reader.cancel)
    // `break`, a throw in the loop body, the signal or an error: the stream (or body) is cancelled.
    reader.cancel()
  }
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
  const {maxEventSize, lastEventId = ''} = options
  if (typeof source !== 'object' || source === null) throw new TypeError('parseEventStream: source must be a Response, ReadableStream or AsyncIterable')
  if (maxEventSize !== undefined && !(maxEventSize === Infinity || (Number.isInteger(maxEventSize) && maxEventSize > 0))) {
    throw new TypeError('parseEventStream: maxEventSize must be an integer > 0 or Infinity')
  }
  // The generator object itself carries the state (its body starts at the first next(), after this).
  const iterator: AsyncGenerator<ParsedEvent, void, undefined> & State = Object.assign(interpret(source, options, () => iterator), {
    lastEventId: `${lastEventId}`,
    reconnectionTime: undefined,
  })
  return iterator
}
