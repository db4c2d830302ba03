export {EventSource, type EventSourceEventMap, type EventSourceEvents, type EventSourceHandler} from './core/EventSource.js'
export {
  ContentTypeError,
  CorsError,
  EventSourceError,
  HttpError,
  InactivityTimeoutError,
  MaxEventSizeError,
  NetworkError,
  RequestInitError,
} from './core/errors.js'
export {EventSourceErrorEvent, type ReconnectionPlan} from './core/events.js'
export type {BodyOption, EventSourceInit, FetchLike, HeadersOption, ReplayableBody, RequestContext} from './core/options.js'
export type {ReconnectContext, ReconnectPolicy, Tap, Tappable} from './core/policy.js'
export type {StringMessageEvent} from './core/events.js'
