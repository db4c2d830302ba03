/**
 * `eventsource-kit/shared`: one connection for every tab. The same `EventSource` as the main entry,
 * shared between the tabs of an origin with the Web Locks API and a BroadcastChannel.
 * @packageDocumentation
 */
export {EventSource, type SharedEventSourceEvents} from './EventSource.js'
export type {SharedEventSourceInit} from './options.js'
// The error classes and EventSourceErrorEvent are the main entry's: import them from 'eventsource-kit'.
