export {EventSource, type EventSourceEventMap, type EventSourceEvents, type EventSourceHandler} from './EventSource.js'
export {ContentTypeError, EventSourceError, HttpError, NetworkError, RequestInitError} from './errors.js'
export {EventSourceErrorEvent} from './events.js'
export type {EventSourceInit, FetchLike, HeadersOption, ReplayableBody, RequestContext} from './options.js'
