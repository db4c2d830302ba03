import fc from 'fast-check'

// fast-check arbitraries for event streams and for the ways to cut them into chunks. A stream is a
// list of segments: text (encoded as UTF-8) or raw bytes (invalid UTF-8 on purpose).

/** A piece of a generated stream: text, or raw bytes that may not be valid UTF-8. */
export type Segment = string | Uint8Array

const encoder = new TextEncoder()

/** The bytes of a generated stream. */
export function encodeSegments(segments: readonly Segment[]): Uint8Array {
  const parts = segments.map((segment) => (typeof segment === 'string' ? encoder.encode(segment) : segment))
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    bytes.set(part, offset)
    offset += part.length
  }
  return bytes
}

const BOM = '\uFEFF'

/** Bytes that are not valid UTF-8: a stray continuation, truncated 2-, 3- and 4-byte sequences, an overlong, a surrogate, 0xFF. */
export const INVALID_UTF8: readonly Uint8Array[] = [[0x80], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xff], [0xf4, 0x90, 0x80, 0x80]].map(
  (bytes) => new Uint8Array(bytes),
)

// Characters that matter to the parser or to UTF-8 decoding; CR and LF only come from line endings.
const TOKENS = ['a', 'z', '0', '7', ' ', '  ', '\t', ':', ': ', 'é', '€', '日', '𝄞', '😀', '\u0000', '\u0001', BOM, '\uFFFD', '\u2028', 'ï»¿', 'data', 'id', 'event', 'retry']

/** Text without CR or LF: a run of interesting tokens, or arbitrary code points. */
const text = fc.oneof(
  {weight: 3, arbitrary: fc.array(fc.constantFrom(...TOKENS), {maxLength: 10}).map((tokens) => tokens.join(''))},
  {weight: 1, arbitrary: fc.string({unit: 'binary', maxLength: 8}).map((value) => value.replace(/[\r\n]/g, ''))},
)

/** A field value: text, sometimes with invalid UTF-8 bytes in it. */
const value: fc.Arbitrary<Segment[]> = fc.oneof(
  {weight: 5, arbitrary: text.map((t) => [t])},
  {weight: 1, arbitrary: fc.tuple(text, fc.constantFrom(...INVALID_UTF8), text).map(([a, bytes, b]) => [a, bytes, b])},
)

/** What separates a field name from its value: the colon, with or without the one space the parser strips. */
const separator = fc.constantFrom(':', ': ', ':  ', ':\t', '::')

const field = (name: string, values: fc.Arbitrary<Segment[]>): fc.Arbitrary<Segment[]> => fc.tuple(separator, values).map(([sep, v]) => [name, sep, ...v])

const eventType = fc.oneof(fc.constantFrom('', 'tick', 'message', 'Message', ' x', 'x ', 'error', 'open', 'ü', '𝄞'), text).map((t) => [t])
const idValue = fc.oneof(fc.constantFrom('1', '42', '', ' ', 'a b', 'é€𝄞', 'x\u0000y', '\u0000'), text).map((t) => [t])
const retryValue = fc.oneof(fc.constantFrom('0', '1', '007', '3000', '99999999999999999999', '1x', '-5', ' 5', '1.5', '٣', '+1', '1e3', ''), fc.nat().map(String)).map((t) => [t])

/** One line, without its line ending. */
const line: fc.Arbitrary<Segment[]> = fc.oneof(
  {weight: 8, arbitrary: field('data', value)},
  {weight: 6, arbitrary: fc.constant<Segment[]>([])}, // a blank line: dispatch
  {weight: 2, arbitrary: field('event', eventType)},
  {weight: 2, arbitrary: field('id', idValue)},
  {weight: 1, arbitrary: field('retry', retryValue)},
  {weight: 1, arbitrary: fc.constantFrom('foo', 'Data', 'DATA', 'data ', ' data', 'dat', 'datas', 'ID', 'eventx', 'é').chain((name) => field(name, value))},
  {weight: 1, arbitrary: fc.constantFrom('data', 'event', 'id', 'retry', 'foo', 'Data').map((name) => [name])}, // a field without a colon
  {weight: 1, arbitrary: value.map((v) => [':', ...v])}, // a comment
)

/** A huge line: data, a comment, an unknown field or an id, tens of thousands of characters long. */
const hugeLine: fc.Arbitrary<Segment[]> = fc
  .tuple(fc.constantFrom('data: ', ':', 'foo: ', 'id: '), fc.constantFrom('x', 'é', '𝄞', 'ab€'), fc.constantFrom(5_000, 30_000, 70_000))
  .map(([prefix, unit, length]) => [prefix + unit.repeat(Math.ceil(length / unit.length))])

const lineEnding = fc.constantFrom('\n', '\r', '\r\n')

/** What a stream starts with: nothing, the BOM that is stripped, or a second BOM that stays. */
const start = fc.constantFrom<Segment[]>([], [], [BOM], [BOM, BOM], ['ï»¿'])

export interface StreamOptions {
  /** Most lines and well-formed events in one stream. */
  maxLines?: number
  /** Whether a stream may contain a line of tens of thousands of characters. */
  withHugeLines?: boolean
}

/** One line with its line ending. */
const terminatedLine = (lines: fc.Arbitrary<Segment[]>): fc.Arbitrary<Segment[]> => fc.tuple(lines, lineEnding).map(([segments, ending]) => [...segments, ending])

/** A well-formed event: data lines with, in any order, event, id, retry and comment lines, then a blank line. */
const block: fc.Arbitrary<Segment[]> = fc
  .tuple(
    fc.array(field('data', value), {minLength: 1, maxLength: 3}),
    fc.array(fc.oneof(field('event', eventType), field('id', idValue), field('retry', retryValue), value.map((v) => [':', ...v])), {maxLength: 3}),
    fc.array(lineEnding, {minLength: 6, maxLength: 6}),
  )
  .chain(([data, others, endings]) =>
    fc.shuffledSubarray([...data, ...others], {minLength: data.length + others.length}).map((lines) => [...lines, []].flatMap((segments, i) => [...segments, endings[i % endings.length] ?? '\n'])),
  )

/** An event stream with every kind of line, line ending and start, sometimes ending mid-line or mid-event. */
export function eventStream({maxLines = 30, withHugeLines = true}: StreamOptions = {}): fc.Arbitrary<Uint8Array> {
  const anyLine = withHugeLines ? fc.oneof({weight: 60, arbitrary: line}, {weight: 1, arbitrary: hugeLine}) : line
  const item = fc.oneof({weight: 1, arbitrary: block}, {weight: 2, arbitrary: terminatedLine(anyLine)})
  // The last line may be cut short: the spec drops it, and the event it belongs to.
  const unterminated = fc.oneof(fc.constant<Segment[]>([]), line)
  return fc
    .tuple(start, fc.array(item, {maxLength: maxLines, size: 'medium'}), unterminated)
    .map(([head, items, tail]) => encodeSegments([...head, ...items.flat(), ...tail]))
}

/**
 * Where to cut a stream: at each of `positions` (taken modulo the length), and before every byte of
 * the window of `window.length` bytes starting at `window.start` (modulo the length).
 */
export interface Split {
  readonly positions: readonly number[]
  readonly window: {readonly start: number; readonly length: number}
}

export const split: fc.Arbitrary<Split> = fc.record({
  positions: fc.array(fc.nat(), {maxLength: 40}),
  window: fc.record({start: fc.nat(), length: fc.nat({max: 48})}),
})

/** Cuts `bytes` into chunks as `split` says; empty chunks are kept (a reader can receive them). */
export function applySplit(bytes: Uint8Array, {positions, window}: Split): Uint8Array[] {
  const length = bytes.length
  const cuts = new Set<number>(positions.map((position) => position % (length + 1)))
  if (length > 0) {
    const windowStart = window.start % length
    for (let i = windowStart; i < Math.min(length, windowStart + window.length); i++) cuts.add(i)
  }
  const sorted = [0, ...[...cuts].sort((a, b) => a - b), length]
  const chunks: Uint8Array[] = []
  for (let i = 1; i < sorted.length; i++) chunks.push(bytes.slice(sorted[i - 1], sorted[i]))
  return chunks
}
