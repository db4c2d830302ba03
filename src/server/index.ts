/**
 * The entry `eventsource-kit/server`: the other end of the wire. Writes event streams that every
 * conforming client reads back exactly (`formatEvent`), as a web `Response` (`eventStream`) or over
 * a `node:http` response (`writeEventStream`). It imports nothing from the client.
 * @packageDocumentation
 */
export {formatEvent, type EventStreamItem, type ServerSentEvent} from './format.js'
export {writeEventStream, type NodeServerResponse, type WriteEventStreamOptions} from './node.js'
export {EVENT_STREAM_HEADERS, eventStream, type EventStreamInit} from './response.js'
export {DEFAULT_HEARTBEAT_MS, type EventStreamContext, type EventStreamOptions, type EventStreamSource} from './stream.js'
