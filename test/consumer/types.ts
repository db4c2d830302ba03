// Compile-only consumer code for the packed tarball's declarations, checked by scripts/check-package.mjs
// under moduleResolution bundler, node16 (ESM) and nodenext (a CommonJS file), with the DOM lib and in a
// Node project with only @types/node (no DOM lib). Never run.
import {iterate} from 'eventsource-kit/iterate'
import {
  ContentTypeError,
  EventSource,
  EventSourceError,
  type EventSourceErrorEvent,
  type EventSourceInit,
  HttpError,
} from 'eventsource-kit'
import 'eventsource-kit/polyfill'
import {type EventStreamIterator, type ParsedEvent, HttpError as ParseHttpError, parseEventStream} from 'eventsource-kit/parse'
import {type EventSourceMessage, EventStreamContentType, fetchEventSource, type FetchEventSourceInit} from 'eventsource-kit/fetch-event-source'
import {EventSource as SharedEventSource} from 'eventsource-kit/shared'
import {backoff, type ShouldReconnect} from 'eventsource-kit/reconnect'
import {type EventStreamContext, eventStream, formatEvent, type NodeServerResponse, type ServerSentEvent, writeEventStream} from 'eventsource-kit/server'

const shouldReconnect: ShouldReconnect = (error, attempt) => (error instanceof HttpError && error.status === 401 ? attempt <= 3 : undefined)

const init: EventSourceInit = {
  method: 'POST',
  headers: async ({attempt, lastEventId}) => ({'Content-Type': 'application/json', 'X-Attempt': String(attempt), 'X-Last': lastEventId}),
  body: JSON.stringify({prompt: 'Write a haiku'}),
  reconnect: backoff({factor: 2, maxDelay: 30_000, jitter: true, maxRetries: 3, retryOnStatus: [502, 503], shouldReconnect}),
  inactivityTimeout: 45_000,
}

export const source = new EventSource<'token' | 'done'>('http://127.0.0.1:1/chat', init)

source.addEventListener('token', (event) => {
  const text: string = event.data
  const id: string = event.lastEventId
  // data is a string, not `any` (as Node's non-generic MessageEvent would give).
  // @ts-expect-error data is a string
  const notANumber: number = event.data
  return [text, id, notANumber]
})
source.addEventListener('message', (event) => event.data.toUpperCase(), {once: true, signal: AbortSignal.timeout(1000)})
source.onmessage = (event) => {
  // @ts-expect-error data is a string
  const notANumber: number = event.data
  return [event.origin, notANumber]
}
// Any other name: a plain Event, with a function or an object listener and the DOM's listener options.
const other = {handleEvent: (event: Event) => event.type}
source.addEventListener('other', other, {capture: false, passive: true})
source.removeEventListener('other', other, {capture: false})
source.removeEventListener('other', other, true)
source.onerror = (event: EventSourceErrorEvent) => {
  const delay: number | null = event.reconnectDelay
  const error: EventSourceError | undefined = event.error
  if (error instanceof HttpError) return [error.status, error.body, delay]
  if (error instanceof ContentTypeError) return [error.contentType]
  return event.willReconnect
}
export const state: 0 | 1 | 2 = source.readyState
export const closed: 2 = EventSource.CLOSED

/** Async iteration: each event is a MessageEvent<string>. */
export async function collect(): Promise<string[]> {
  const seen: string[] = []
  for await (const event of iterate(source)) {
    seen.push(event.data)
    // @ts-expect-error data is a string
    seen.push(event.data satisfies number)
    if (event.type === 'done') break
  }
  return seen
}

// The declarations are really there (not `any`): wrong option types do not compile.
// @ts-expect-error method is a string
export const badMethod = new EventSource('http://127.0.0.1:1/', {method: 42})
// @ts-expect-error credentials is "omit", "same-origin" or "include"
export const badCredentials = new EventSource('http://127.0.0.1:1/', {credentials: 'always'})
// @ts-expect-error headers are a HeadersInit or a function returning one
export const badHeaders = new EventSource('http://127.0.0.1:1/', {headers: 42})
export const goodInit = new EventSource('http://127.0.0.1:1/', {credentials: 'include', headers: [['X-A', '1']]})
// @ts-expect-error readyState is read-only
source.readyState = 2

// [non-spec] EventSource.fromReadableStream (whatwg/html PR #12272) and a body function.
export const fromStream: EventSource<'token'> = EventSource.fromReadableStream<'token'>(new ReadableStream<Uint8Array>())
fromStream.addEventListener('token', (event) => event.data.toUpperCase())
export const resumable = new EventSource('http://127.0.0.1:1/chat', {
  method: 'POST',
  body: async ({lastEventId}) => JSON.stringify({starting_after: lastEventId || undefined}),
})

/** The entry eventsource-kit/parse: events with their ids, and the iterator's resume state. */
export async function parsed(response: Response): Promise<[string[], string, number | undefined]> {
  const events: EventStreamIterator = parseEventStream(response, {signal: AbortSignal.timeout(1000), maxEventSize: 1024, validate: true})
  const data: string[] = []
  for await (const event of events) {
    const parsedEvent: ParsedEvent = event
    data.push(parsedEvent.data, parsedEvent.type, parsedEvent.lastEventId, parsedEvent.id ?? '')
    // @ts-expect-error data is a string
    data.push(event.data satisfies number)
  }
  // @ts-expect-error lastEventId is read-only
  events.lastEventId = 'x'
  return [data, events.lastEventId, events.reconnectionTime]
}
// The error classes of both entries are the same classes.
export const sameHttpError: typeof HttpError = ParseHttpError
// The fetch-event-source entry: the original's signature, callbacks and types.
const migrated: FetchEventSourceInit = {
  method: 'POST',
  headers: {'Content-Type': 'application/json'},
  body: '{}',
  openWhenHidden: true,
  signal: new AbortController().signal,
  onopen: async (response) => {
    if (response.headers.get('content-type') !== EventStreamContentType) throw new Error(String(response.status))
  },
  onmessage: (message: EventSourceMessage) => [message.id, message.event, message.data, message.retry ?? 0],
  onclose: () => {},
  onerror: (error) => (error instanceof HttpError ? undefined : 1000),
}
export const done: Promise<void> = fetchEventSource('http://127.0.0.1:1/chat', migrated)

// eventsource-kit/shared: the same typed class, plus isShared, isLeader, `channel` and leaderchange.
export const shared = new SharedEventSource<'tick'>('http://127.0.0.1:1/events', {withCredentials: true, channel: 'ticks'})
shared.addEventListener('tick', (event) => event.data.toUpperCase())
shared.addEventListener('leaderchange', (event) => [event.type, shared.isLeader])
export const sharedFlags: [boolean, boolean, 0 | 1 | 2] = [shared.isShared, shared.isLeader, shared.readyState]

// eventsource-kit/server: frames, a Response, and a node:http-shaped writer target.
export const frame: string = formatEvent({event: 'update', id: '1', retry: 1000, data: 'a', comment: 'c'} satisfies ServerSentEvent)
export const served: Response = eventStream(
  async function* ({lastEventId, signal}: EventStreamContext) {
    yield {id: lastEventId, data: String(signal.aborted)}
    yield 'plain'
  },
  {retry: 1000, heartbeatMs: 0, headers: {'X-A': '1'}},
)
export const write = (res: NodeServerResponse): Promise<void> => writeEventStream(res, ['a'], {status: 200})
