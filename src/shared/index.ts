/**
 * `eventsource-kit/shared`: one connection for every tab. The same `EventSource` as the main entry,
 * shared between the tabs of an origin with the Web Locks API and a BroadcastChannel.
 * @packageDocumentation
 */
export {EventSource, type SharedEventSourceEvents, type SharedEventSourceInit} from './EventSource.js'
export {
  ContentTypeError,
  EventSourceError,
  EventSourceErrorEvent,
  HttpError,
  InactivityTimeoutError,
  MaxEventSizeError,
  NetworkError,
  RequestInitError,
} from 'eventsource-kit'
