import {iterate} from '../../src/iterate/index.js'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {EventSource} from '../../src/index.js'
import {type EventStreamChunk, type EventStreamSource, parseEventStream} from '../../src/parse/index.js'
import {streamOf} from '../helpers.js'
import {interpretEventStream, type Transcript} from './reference.js'
import {clamped, comparable, MAX_RECONNECTION_TIME, transcriptOf} from './run.js'
import {applySplit, eventStream, type Split, split} from './streams.js'

// [non-spec] One decoder, three doors: for the same bytes in any chunking, parseEventStream (over a
// stream of bytes and over the decoded text in pieces) and EventSource.fromReadableStream dispatch
// exactly the transcript the EventSource dispatches (type, data, lastEventId of every event, the
// last event ID string and the reconnection time at the end), which is the spec's (reference.ts).

const DEFAULT_RECONNECTION_TIME = 3000

/** The transcript parseEventStream gives for `source`, in the EventSource's terms. */
async function parseTranscript(source: EventStreamSource): Promise<Transcript> {
  const iterator = parseEventStream(source)
  const events = []
  for await (const {type, data, lastEventId} of iterator) events.push({type, data, lastEventId})
  const reconnectionTime = Math.min(iterator.reconnectionTime ?? DEFAULT_RECONNECTION_TIME, MAX_RECONNECTION_TIME)
  return {events, lastEventId: iterator.lastEventId, reconnectionTime}
}

/** The transcript of EventSource.fromReadableStream over `chunks`. */
async function streamSourceTranscript(chunks: readonly Uint8Array[]): Promise<Transcript> {
  const source = EventSource.fromReadableStream(streamOf([...chunks]))
  const events = []
  for await (const {type, data, lastEventId} of iterate(source)) events.push({type, data, lastEventId})
  return {events, lastEventId: source.lastEventId, reconnectionTime: source.reconnectionTime}
}

async function* strings(pieces: readonly string[]): AsyncGenerator<EventStreamChunk> {
  for (const piece of pieces) yield piece
}

/** The stream decoded at once, then cut at the same places (taken modulo the text's length). */
function textPieces(bytes: Uint8Array, cut: Split): string[] {
  const text = new TextDecoder('utf-8', {ignoreBOM: true}).decode(bytes)
  const units = Uint8Array.from({length: text.length}, () => 0)
  return applySplit(units, cut).reduce<{pieces: string[]; at: number}>(
    ({pieces, at}, chunk) => ({pieces: [...pieces, text.slice(at, at + chunk.length)], at: at + chunk.length}),
    {pieces: [], at: 0},
  ).pieces
}

describe('parseEventStream and fromReadableStream against the EventSource', () => {
  it('give the EventSource transcript for generated streams in random chunks', async () => {
    await fc.assert(
      fc.asyncProperty(eventStream(), split, async (bytes, cut) => {
        const chunks = applySplit(bytes, cut)
        const eventSource = comparable(await transcriptOf(chunks))
        expect(eventSource).toEqual(clamped(interpretEventStream(bytes)))
        expect(await parseTranscript(streamOf(chunks))).toEqual(eventSource)
        expect(await parseTranscript(strings(textPieces(bytes, cut)))).toEqual(eventSource)
        expect(await streamSourceTranscript(chunks)).toEqual(eventSource)
      }),
      {numRuns: 300},
    )
    // CPU-bound: room for a machine busy with other suites.
  }, 60_000)
})
