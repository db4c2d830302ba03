export {EventSource, type EventSourceEventMap, type EventSourceEvents, type EventSourceHandler} from './EventSource.js'
export {
  ContentTypeError,
  CorsError,
  EventSourceError,
  HttpError,
  InactivityTimeoutError,
  MaxEventSizeError,
  NetworkError,
  RequestInitError,
} from './errors.js'
export {EventSourceErrorEvent, type ReconnectionPlan} from './events.js'
export type {BodyOption, EventSourceInit, FetchLike, HeadersOption, ReplayableBody, RequestContext} from './options.js'
export type {ReconnectContext, ReconnectPolicy, Tap, Tappable} from './policy.js'
export type {StringMessageEvent} from './events.js'
