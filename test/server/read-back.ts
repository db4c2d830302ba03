import {parseEventStream, type EventStreamChunk, type ParsedEvent} from '../../src/parse/index.js'

/** What our parser (the EventSource's interpretation of a stream) reads back. */
export interface ReadBack {
  readonly events: ParsedEvent[]
  readonly lastEventId: string
  readonly reconnectionTime: number | undefined
}

/** Reads `chunks` (or one text) with `parseEventStream`, as one stream. */
export async function readBack(chunks: string | readonly EventStreamChunk[]): Promise<ReadBack> {
  const list = typeof chunks === 'string' ? [new TextEncoder().encode(chunks)] : chunks
  const iterator = parseEventStream(
    (async function* () {
      yield* list
    })(),
  )
  const events: ParsedEvent[] = []
  for await (const event of iterator) events.push(event)
  return {events, lastEventId: iterator.lastEventId, reconnectionTime: iterator.reconnectionTime}
}
