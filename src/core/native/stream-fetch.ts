// [non-spec] The fetch the fetch-event-source entry streams over in the react-native build when it is
// given none: XMLHttpRequest (src/core/native/xhr.ts), as the EventSource does, since React Native's
// global fetch waits for the end of the response and gives no body stream. In place of
// src/core/stream-fetch.ts in this build (see vite.config.ts).
import type {FetchLike} from '../options.js'
import type {LastEventIdSource} from '../stream-fetch.js'
import {fetchOverXhr} from './xhr.js'

/**
 * The fetch to stream over when none is given: an event stream over XMLHttpRequest, whose long
 * responses are renewed with `source`'s last event ID.
 */
export const streamingFetch =
  (source: LastEventIdSource): FetchLike =>
  (input, init) =>
    // The entry passes its input as given: a string, a URL or a Request (whose URL is taken).
    fetchOverXhr(typeof input === 'string' ? input : ((input as Partial<Request>).url ?? String(input)), {...init, headers: new Headers(init.headers)}, source)
