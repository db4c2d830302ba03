import fc from 'fast-check'
import type {ServerSentEvent} from '../../src/server/index.js'
import type {ReadBack} from './read-back.js'

// Inputs for a writer of event streams, and what a conforming client must read back from them.

// Characters that matter to the format: line breaks, the strip of one leading space, the field
// separator, NUL (ids with it are ignored), the BOM (stripped at the start of a stream), U+2028
// (a line break to JavaScript, not to the format), lone surrogates (not encodable: U+FFFD).
const TOKENS = ['a', 'é', '𝄞', ' ', '  ', ':', ': ', '\r', '\n', '\r\n', '\n\n', '\0', '\uFEFF', '\u2028', '\uD800', '\uDC00', 'data: x', 'id', '\t']

/** Any text, weighted towards the characters the format is made of. */
export const anyText = fc.oneof(
  {weight: 4, arbitrary: fc.array(fc.constantFrom(...TOKENS), {maxLength: 12}).map((tokens) => tokens.join(''))},
  {weight: 2, arbitrary: fc.string({unit: 'binary', maxLength: 16})},
  {weight: 1, arbitrary: fc.string({unit: fc.constantFrom('\r', '\n', ' ', 'x', '\uD83D', '\uDE00'), maxLength: 20})},
  {weight: 1, arbitrary: fc.tuple(fc.constantFrom('x', ' é', '\n'), fc.integer({min: 1_000, max: 70_000})).map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)))},
)

/** An event with any subset of fields, any text in them; a retry that is sometimes not a whole number ≥ 0. */
export const anyEvent: fc.Arbitrary<ServerSentEvent> = fc.record(
  {
    data: anyText,
    event: fc.oneof(fc.constantFrom('message', 'update', ' spaced', ''), anyText),
    id: fc.oneof(fc.constantFrom('1', '42', '', ' 7'), anyText),
    retry: fc.oneof(fc.nat({max: 100_000}), fc.constantFrom(0, -1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER)),
    comment: anyText,
  },
  {requiredKeys: []},
)

/** The events a test or a peer comparison always includes: one per rule of the format. */
export const EDGE_CASES: readonly {name: string; event: ServerSentEvent}[] = [
  {name: 'plain data', event: {data: 'hello'}},
  {name: 'data with LF', event: {data: 'a\nb'}},
  {name: 'data with CRLF', event: {data: 'a\r\nb'}},
  {name: 'data with CR', event: {data: 'a\rb'}},
  {name: 'empty data', event: {data: ''}},
  {name: 'data ending with LF', event: {data: 'a\n'}},
  {name: 'data with a leading space', event: {data: ' a'}},
  {name: 'data with NUL', event: {data: 'a\0b'}},
  {name: 'data starting with U+FEFF', event: {data: '\uFEFFa'}},
  {name: 'data with U+2028', event: {data: 'a\u2028b'}},
  {name: 'data with a lone surrogate', event: {data: 'a\uD800b'}},
  {name: 'data of 100 000 characters', event: {data: 'x'.repeat(100_000)}},
  {name: 'event name with a leading space', event: {event: ' x', data: 'a'}},
  {name: 'event name with LF', event: {event: 'a\nb', data: 'a'}},
  {name: 'event name with CR', event: {event: 'a\rb', data: 'a'}},
  {name: 'id with a leading space', event: {id: ' 1', data: 'a'}},
  {name: 'id with LF', event: {id: '1\n2', data: 'a'}},
  {name: 'id with NUL', event: {id: '1\u00002', data: 'a'}},
  {name: 'empty id', event: {id: '', data: 'a'}},
  {name: 'retry -1', event: {retry: -1, data: 'a'}},
  {name: 'retry 1.5', event: {retry: 1.5, data: 'a'}},
  {name: 'comment with LF', event: {comment: 'a\ndata: injected', data: 'a'}},
]

/** Whether the format can carry an event; when not, a writer must refuse it. */
export function isWritable({event, id, retry}: ServerSentEvent): boolean {
  const isSingleLine = (value: string | undefined): boolean => value === undefined || !/[\r\n]/.test(value)
  return isSingleLine(event) && isSingleLine(id) && !(id ?? '').includes('\0') && (retry === undefined || (Number.isSafeInteger(retry) && retry >= 0))
}

/** The text as it comes out of UTF-8: lone surrogates are U+FFFD. */
const wellFormed = (text: string): string => new TextDecoder('utf-8', {ignoreBOM: true}).decode(new TextEncoder().encode(text))

/**
 * What a conforming client reads back from a stream of these (writable) events, in order: data with
 * CR or CRLF comes back with LF, the one thing the format cannot carry. With `isDataExact`, the data
 * as written (a writer that encodes it, as JSON, and a client that decodes it).
 */
export function expectedReadBack(events: readonly ServerSentEvent[], {isDataExact = false} = {}): ReadBack {
  let lastEventId = ''
  let reconnectionTime: number | undefined
  const read: ReadBack['events'] = []
  for (const {data, event, id, retry} of events) {
    if (id !== undefined) lastEventId = wellFormed(id)
    if (retry !== undefined) reconnectionTime = retry
    if (data === undefined) continue
    read.push({type: event ? wellFormed(event) : 'message', data: isDataExact ? data : wellFormed(data.replace(/\r\n?/g, '\n')), lastEventId, id: id === undefined ? undefined : wellFormed(id)})
  }
  return {events: read, lastEventId, reconnectionTime}
}
