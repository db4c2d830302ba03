import {createParser, type EventSourceParser} from 'eventsource-parser'

/** What the decoder reports while it interprets an event stream. */
export interface EventStreamCallbacks {
  /**
   * [spec] "dispatch the event" with a non-empty data buffer: the event type ("message" by default)
   * and data; [non-spec] `id` is the block's own `id` field, if it had one (the fetch-event-source and parse entries report it).
   */
  onEvent(type: string, data: string, id: string | undefined): void
  /** [spec] "dispatch the event", step 1: the block set the last event ID buffer (possibly to ""). */
  onId(id: string): void
  /** [spec] a `retry` field of ASCII digits only: the new reconnection time in ms. */
  onRetry(ms: number): void
  /** [non-spec] Most characters buffered for one line or event; `Infinity` for no limit. */
  maxEventSize: number
}

// Fed to the parser first: a no-op comment line that ends the parser's own BOM check, which would
// also strip the characters "ï»¿". This decoder strips the one BOM the spec allows; a second stays.
const DISARM_BOM_CHECK = ':\n'
const BOM = '\uFEFF'

/** Default `maxEventSize`: 16 MiB. */
export const DEFAULT_MAX_EVENT_SIZE = 16 * 1024 * 1024

type ErrorConstructorWithLimit = ErrorConstructor & {stackTraceLimit?: number}

/**
 * The parser builds a `ParseError` for every unknown field or bad `retry:` line before it calls
 * `onError` (which only listens for overflows); in V8 capturing their stacks costs microseconds per
 * line, so a sloppy or hostile server could burn CPU. `feed` is synchronous and only our callbacks
 * run inside it, so the stack limit is lowered just for its duration.
 */
export function feedWithoutStacks(parser: EventSourceParser, text: string): void {
  const errorConstructor = Error as ErrorConstructorWithLimit
  const limit = errorConstructor.stackTraceLimit
  if (typeof limit !== 'number') return parser.feed(text)
  errorConstructor.stackTraceLimit = 0
  try {
    parser.feed(text)
  } finally {
    errorConstructor.stackTraceLimit = limit
  }
}

/**
 * Bytes in, parsed events out: [spec] "Interpreting an event stream". One instance per connection.
 * The one decoder of the package: the EventSource, `EventSource.fromReadableStream()` and
 * `parseEventStream` all interpret streams through it. It needs `TextDecoder`, not `TextDecoderStream`.
 */
export class EventStreamDecoder {
  readonly #parser: EventSourceParser
  // [spec] "Streams must be decoded using the UTF-8 decode algorithm": invalid bytes become U+FFFD.
  // The BOM is stripped by hand below: some TextDecoders (Node 24) strip two BOMs when the first is
  // split across chunks.
  readonly #decoder = new TextDecoder('utf-8', {ignoreBOM: true})
  #isAtStart = true
  #hasOverflowed = false

  constructor(callbacks: EventStreamCallbacks) {
    const {maxEventSize} = callbacks
    this.#parser = createParser({
      // [spec] "Initialize event's type attribute to "message"" unless the event type buffer is set.
      // The parser's own limit misses a one-line event that arrives whole, so check here too.
      onEvent: ({event, data, id}) => {
        if (data.length > maxEventSize) this.#hasOverflowed = true
        if (!this.#hasOverflowed) callbacks.onEvent(event ?? 'message', data, id)
      },
      onId: (id) => {
        if (id.length > maxEventSize) this.#hasOverflowed = true
        if (!this.#hasOverflowed) callbacks.onId(id)
      },
      onRetry: (ms) => callbacks.onRetry(ms),
      onError: (error) => {
        if (error.type === 'max-buffer-size-exceeded') this.#hasOverflowed = true
      },
      ...(Number.isFinite(maxEventSize) ? {maxBufferSize: maxEventSize} : {}),
    })
    this.#parser.feed(DISARM_BOM_CHECK)
  }

  /**
   * Decodes one chunk (multi-byte characters may span chunks) and parses every complete line in it.
   * @returns false once a line or event outgrew `maxEventSize` (nothing more is parsed then)
   */
  feed(bytes: Uint8Array): boolean {
    return this.feedText(this.#decoder.decode(bytes, {stream: true}))
  }

  /**
   * [non-spec] Parses text that is already decoded (a stream of strings); one leading BOM is still stripped.
   * @returns false once a line or event outgrew `maxEventSize`
   */
  feedText(text: string): boolean {
    if (this.#isAtStart && text !== '') {
      // [spec] "One leading U+FEFF BYTE ORDER MARK character must be ignored if any are present."
      this.#isAtStart = false
      if (text.startsWith(BOM)) text = text.slice(1)
    }
    if (text !== '' && !this.#hasOverflowed) feedWithoutStacks(this.#parser, text)
    return !this.#hasOverflowed
  }
}
