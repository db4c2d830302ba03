// The fetch an entry streams over when it is given none (the fetch-event-source entry): the global
// fetch. The react-native build puts src/core/native/stream-fetch.ts in place of this module
// (XMLHttpRequest: React Native's global fetch waits for the end of the response).
import type {FetchLike} from './options.js'

/** What a renewal reads the current last event ID from (only the react-native build renews a request). */
export interface LastEventIdSource {
  /** [spec] the last event ID string, as of the events dispatched so far. */
  readonly lastEventId: string
}

/**
 * The fetch to stream over when none is given: the global one, looked up at each attempt so that a
 * fetch mocked later applies.
 * @param _source - the stream's last event ID, for the react-native build's renewal of a long stream
 */
export const streamingFetch = (_source: LastEventIdSource): FetchLike => globalThis.fetch
