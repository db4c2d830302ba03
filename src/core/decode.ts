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
 * The parser builds a `ParseError` for every unknown field or bad `retry:` line before it calls an
 * `onError`; in V8 capturing their stacks costs microseconds per line, so a sloppy or hostile server
 * could burn CPU. `feed` is synchronous and only our callbacks run inside it, so the stack limit is
 * lowered just for its duration. The decoder below no longer needs it (it gives the parser no
 * `onError`, so no `ParseError` is built); kept for code that feeds a parser with an `onError`.
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
 * Feeds one chunk to a decoder: bytes are decoded (multi-byte characters may span chunks), and
 * [non-spec] a string is text already decoded (a stream of strings); every complete line is parsed.
 * Returns false once a line or event outgrew `maxEventSize` (nothing more is parsed then).
 */
export type EventStreamDecoder = (chunk: Uint8Array | string) => boolean

/**
 * Bytes in, parsed events out: [spec] "Interpreting an event stream". One decoder per connection.
 * The one decoder of the package: the EventSource, `EventSource.fromReadableStream()` and
 * `parseEventStream` all interpret streams through it. It needs `TextDecoder`, not `TextDecoderStream`.
 * The callbacks are `EventStreamCallbacks`' members, passed one by one (a closure and positional
 * arguments rather than a class and an object: it minifies smaller, and every entry carries it),
 * called with `thisArg` as `this`: a connection passes its own methods, so that an open one holds
 * no closures of its own for them.
 */
export function createEventStreamDecoder<This = void>(
  maxEventSize: number,
  onEvent: (this: This, ...args: Parameters<EventStreamCallbacks['onEvent']>) => void,
  onId: (this: This, id: string) => void,
  onRetry: (this: This, ms: number) => void,
  thisArg?: This,
): EventStreamDecoder {
  // [spec] "Streams must be decoded using the UTF-8 decode algorithm": invalid bytes become U+FFFD.
  // The BOM is stripped by hand below: some TextDecoders (Node 24) strip two BOMs when the first is
  // split across chunks.
  const decoder = new TextDecoder('utf-8', {ignoreBOM: true})
  let isAtStart = true
  let hasOverflowed = false
  // No `onError`: the parser then builds no `ParseError` for an unknown field or a bad `retry:`
  // line (it calls `onError?.(new ParseError(…))`), which costs microseconds a line in V8, so a
  // sloppy or hostile server could burn CPU. An overflow is seen after each feed instead.
  // The parser's own limit misses a one-line event (or id) that arrives whole, so check here too.
  const parser = createParser({
    // [spec] "Initialize event's type attribute to "message"" unless the event type buffer is set.
    onEvent: ({event, data, id}) => (hasOverflowed ||= data.length > maxEventSize) || onEvent.call(thisArg as This, event ?? 'message', data, id),
    onId: (id) => (hasOverflowed ||= id.length > maxEventSize) || onId.call(thisArg as This, id),
    onRetry: (ms) => onRetry.call(thisArg as This, ms),
    // Nothing exceeds Infinity: no limit.
    maxBufferSize: maxEventSize,
  })
  parser.feed(DISARM_BOM_CHECK)
  return (chunk) => {
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, {stream: true})
    if (isAtStart && text) {
      // [spec] "One leading U+FEFF BYTE ORDER MARK character must be ignored if any are present."
      isAtStart = false
      if (text[0] === BOM) text = text.slice(1)
    }
    if (!hasOverflowed) {
      parser.feed(text)
      try {
        // Past `maxBufferSize` the parser stops, and throws on every later feed (even of nothing).
        parser.feed('')
      } catch {
        hasOverflowed = true
      }
    }
    return !hasOverflowed
  }
}
