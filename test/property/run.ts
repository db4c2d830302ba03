import {EventSource, type EventSourceError, EventSourceErrorEvent} from '../../src/index.js'
import {streamResponse} from '../helpers.js'
import type {Transcript, TranscriptEvent} from './reference.js'

/** A transcript of eventsource-kit, with the error event that ended the first connection. */
export interface SourceTranscript extends Transcript {
  /** The error of that error event: `undefined` when the stream simply ended. */
  readonly endedWith: EventSourceError | undefined
}

/**
 * Feeds `chunks` to a new EventSource as the body of its first connection (a custom fetch answering
 * 200 text/event-stream) and records every MessageEvent it dispatches, whatever its type, until the
 * error event that follows the end of the stream; the source is closed in that error event, so it
 * never reconnects.
 */
export async function transcriptOf(chunks: readonly Uint8Array[], reconnectionTime = 3000): Promise<SourceTranscript> {
  const source = new EventSource('http://127.0.0.1:9/stream', {reconnectionTime, fetch: async () => streamResponse([...chunks])})
  const events: TranscriptEvent[] = []
  // Every event the source dispatches goes through its dispatchEvent: this sees events of any type
  // (`error` and `open` included), without knowing the types in advance.
  const dispatchEvent = source.dispatchEvent.bind(source)
  source.dispatchEvent = (event: Event): boolean => {
    if (event instanceof MessageEvent) events.push({type: event.type, data: event.data as string, lastEventId: event.lastEventId})
    return dispatchEvent(event)
  }
  const ended = await new Promise<EventSourceErrorEvent>((resolve) => {
    source.addEventListener('error', (event: Event) => {
      if (!(event instanceof EventSourceErrorEvent)) return
      source.close()
      resolve(event)
    })
  })
  return {events, lastEventId: source.lastEventId, reconnectionTime: source.reconnectionTime, endedWith: ended.error}
}

/** The longest `retry:` a timer can wait (2^31 - 1 ms): eventsource-kit takes longer ones as this (documented). */
export const MAX_RECONNECTION_TIME = 2 ** 31 - 1

/** The reference transcript as eventsource-kit reports it: the reconnection time clamped to what a timer can wait. */
export function clamped(transcript: Transcript): Transcript {
  return {...transcript, reconnectionTime: Math.min(transcript.reconnectionTime, MAX_RECONNECTION_TIME)}
}

/** The parts of a transcript the properties compare. */
export function comparable({events, lastEventId, reconnectionTime}: Transcript): Transcript {
  return {events, lastEventId, reconnectionTime}
}
