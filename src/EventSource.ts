import {Connection, type ParsedMessage} from './connection.js'
import type {EventSourceError} from './errors.js'
import {EventSourceErrorEvent, type StringMessageEvent} from './events.js'
import {EventHandlerAttributes} from './handlers.js'
import {hasForbiddenHost} from './host.js'
import {MessageQueue} from './iterate.js'
import {createMessageEvent} from './message-event.js'
import {type EventSourceInit, normalizeOptions} from './options.js'
import {reportException} from './report.js'

const CONNECTING = 0
const OPEN = 1
const CLOSED = 2

/** The standard events of every EventSource. */
export interface EventSourceEventMap {
  open: Event
  message: StringMessageEvent
  error: EventSourceErrorEvent
}

/** The standard events plus the named events `Named`, each a `MessageEvent<string>`. */
export type EventSourceEvents<Named extends string = never> = EventSourceEventMap & {[K in Named]: StringMessageEvent}

/** An `on*` handler as it is set: called with the source as `this` and the event. */
export type EventSourceHandler<Source, E extends Event> = (this: Source, event: E) => unknown

/** An `on*` handler as it is read back. */
type StoredHandler = (event: Event) => unknown

// The DOM's listener types, declared here because `@types/node` has no global `AddEventListenerOptions`
// or `EventListenerOrEventListenerObject`: the declarations then compile with or without the DOM lib.

/** Options of `removeEventListener` (the DOM's `EventListenerOptions`). */
interface ListenerOptions {
  capture?: boolean
}

/** Options of `addEventListener` (the DOM's `AddEventListenerOptions`). */
interface AddListenerOptions extends ListenerOptions {
  once?: boolean
  passive?: boolean
  signal?: AbortSignal
}

/** A listener for any event name (the DOM's `EventListenerOrEventListenerObject`). */
type Listener = ((event: Event) => void) | {handleEvent(event: Event): void}

// [non-spec: whatwg/html PR #12272] the reader fromReadableStream() hands to the constructor it calls.
let pendingStreamReader: ReadableStreamDefaultReader<Uint8Array> | undefined

/** [spec] "encoding-parsing a URL given url, relative to settings": its serialization, or a SyntaxError. */
function parseURL(urlString: string): string {
  try {
    const urlRecord = new URL(urlString, documentBaseURL())
    // [spec] a host with a forbidden domain code point is failure, even where the platform's URL allows it.
    if (!hasForbiddenHost(urlRecord)) return urlRecord.href
  } catch {
    // failure: below
  }
  // [spec] "If urlRecord is failure, then throw a "SyntaxError" DOMException."
  throw new DOMException(`Failed to construct 'EventSource': the URL '${urlString}' is invalid.`, 'SyntaxError')
}

function documentBaseURL(): string | undefined {
  // [spec] "relative to the relevant settings object": the document base URL in a window, the
  // worker's URL in a worker; none in Node, where only absolute URLs parse.
  const scope = globalThis as {document?: {baseURI?: unknown}; location?: {href?: unknown}}
  try {
    if (typeof scope.document?.baseURI === 'string') return scope.document.baseURI
    if (typeof scope.location?.href === 'string') return scope.location.href
  } catch {
    // Deno without --location throws on reading `location`: there is no base URL.
  }
  return undefined
}

/**
 * A spec-exact `EventSource` over `fetch`, with request options the native one lacks.
 * `Named` lists the names of your custom events so their listeners get a typed `MessageEvent`.
 *
 * @example
 * ```ts
 * const source = new EventSource<'tick'>('https://example.com/stream', {headers: {Authorization: `Bearer ${token}`}})
 * source.addEventListener('tick', (event) => console.log(event.data))
 * ```
 */
// The interface below only adds typed overloads of EventTarget methods, and is where `Named` is used.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-unused-vars
export class EventSource<Named extends string = never> extends EventTarget {
  /** readyState while connecting or waiting to reconnect. */
  declare static readonly CONNECTING: 0
  /** readyState while the connection is open and events are arriving. */
  declare static readonly OPEN: 1
  /** readyState after close() or a failed connection. */
  declare static readonly CLOSED: 2
  /** readyState while connecting or waiting to reconnect. */
  declare readonly CONNECTING: 0
  /** readyState while the connection is open and events are arriving. */
  declare readonly OPEN: 1
  /** readyState after close() or a failed connection. */
  declare readonly CLOSED: 2

  readonly #url: string
  readonly #withCredentials: boolean
  #readyState: 0 | 1 | 2 = CONNECTING
  readonly #handlers = new EventHandlerAttributes(this)
  // One controller per instance: aborts the fetch, the body read and the reconnection wait.
  readonly #controller = new AbortController()
  readonly #connection: Connection
  readonly #maxEventSize: number
  readonly #queues = new Set<MessageQueue>()
  // Why the connection failed, for iterators that start after it did.
  #failure: EventSourceError | undefined
  #detachSignal: (() => void) | undefined

  /**
   * Opens a connection to `url` at once and keeps it open, reconnecting as the standard says.
   * @throws DOMException "SyntaxError" when `url` cannot be parsed; TypeError for a bad option
   */
  constructor(url: string | URL, eventSourceInitDict: EventSourceInit = {}) {
    const streamReader = pendingStreamReader
    pendingStreamReader = undefined
    // [spec] WebIDL: the url argument is required.
    if (arguments.length === 0) throw new TypeError("Failed to construct 'EventSource': 1 argument required, but only 0 present.")
    // [spec] WebIDL USVString conversion: ToString (a Symbol throws a TypeError).
    const urlString = `${url}`
    const options = normalizeOptions(eventSourceInitDict)
    super()
    // [spec] "Set ev's url to urlRecord." (fromReadableStream: about:event-stream, never parsed, since
    // some platforms' URL, workerd's at old compatibility dates, rejects it.)
    this.#url = streamReader ? urlString : parseURL(urlString)
    // [spec] "If eventSourceInitDict["withCredentials"] is true, then set ... ev's withCredentials attribute to true."
    this.#withCredentials = options.withCredentials
    this.#maxEventSize = options.maxEventSize
    this.#connection = new Connection(
      this.#url,
      options,
      {
        isClosed: () => this.#readyState === CLOSED,
        announceConnection: () => this.#announceConnection(),
        dispatchMessage: (message, origin) => this.#dispatchMessage(message, origin),
        reestablishConnection: (error, delayMs) => this.#reestablishConnection(error, delayMs),
        failConnection: (error) => this.#failConnection(error),
        whenDrained: () => this.#whenDrained(),
        pause: () => {
          if (this.#readyState !== CLOSED) this.#readyState = CONNECTING
        },
      },
      this.#controller.signal,
      streamReader,
    )
    // [non-spec] an aborted `signal` means close().
    const {signal} = options
    if (signal?.aborted) {
      this.close()
    } else if (signal) {
      const onAbort = (): void => this.close()
      signal.addEventListener('abort', onAbort, {once: true})
      this.#detachSignal = () => signal.removeEventListener('abort', onAbort)
    }
    // [spec] "Fetch request" (in parallel).
    void this.#connection.run()
  }

  /**
   * [non-spec: the proposal whatwg/html PR #12272, tested by web-platform-tests PR #58550; check
   * whether the standard moved] An EventSource that interprets `stream` (bytes, say a fetch body)
   * instead of fetching: no request and no reconnection. It starts CONNECTING with `url`
   * "about:event-stream", fires `open`, then a MessageEvent per event (origin "null"); when the
   * stream ends or errors it fires one `error` event and is CLOSED for good. `close()` cancels the
   * stream. `lastEventId` and `reconnectionTime` let the caller reconnect by hand, for example by
   * piping one response after another through a `TransformStream`.
   * @throws TypeError when `stream` is not a ReadableStream or is locked
   *
   * @example
   * ```ts
   * const response = await fetch('/stream', {headers: {Authorization: `Bearer ${token}`}})
   * const source = EventSource.fromReadableStream(response.body!)
   * source.onmessage = (event) => console.log(event.data)
   * ```
   */
  static fromReadableStream<Named extends string = never>(stream: ReadableStream<Uint8Array>): EventSource<Named> {
    // [spec] WebIDL: a ReadableStream argument (of any realm, or a polyfill's: checked by shape).
    if (typeof (stream as Partial<ReadableStream> | null)?.getReader !== 'function') {
      throw new TypeError('EventSource.fromReadableStream: not a ReadableStream')
    }
    // [spec] AcquireReadableStreamDefaultReader: throws a TypeError when the stream is locked.
    pendingStreamReader = stream.getReader()
    try {
      // [spec] the url is about:event-stream; withCredentials false.
      return new EventSource<Named>('about:event-stream')
    } finally {
      pendingStreamReader = undefined
    }
  }

  /** The serialized URL of the event stream, after resolving it against the document base URL. */
  get url(): string {
    return this.#url
  }

  /** Whether cross-origin requests send credentials (`withCredentials: true` at construction). */
  get withCredentials(): boolean {
    return this.#withCredentials
  }

  /** The state of the connection: CONNECTING (0), OPEN (1) or CLOSED (2). */
  get readyState(): 0 | 1 | 2 {
    return this.#readyState
  }

  /** [non-spec] The last event ID string: sent as `Last-Event-ID` when reconnecting. */
  get lastEventId(): string {
    return this.#connection.lastEventId
  }

  /** [non-spec] The current reconnection time in ms: the `reconnectionTime` option until the server sends `retry:`. */
  get reconnectionTime(): number {
    return this.#connection.reconnectionTime
  }

  // The getters return the handler as a plain `(event: Event) => unknown`, so that an instance stays
  // assignable to the DOM's EventSource type; the setters give handlers their precise event type.

  /** Handler for the `open` event; `null` when unset. */
  get onopen(): StoredHandler | null {
    return this.#handlers.get('open')
  }
  set onopen(value: EventSourceHandler<this, Event> | null) {
    this.#handlers.set('open', value)
  }

  /** Handler for `message` events (events without an `event:` field); `null` when unset. */
  get onmessage(): StoredHandler | null {
    return this.#handlers.get('message')
  }
  set onmessage(value: EventSourceHandler<this, StringMessageEvent> | null) {
    this.#handlers.set('message', value)
  }

  /** Handler for the `error` event, which carries the reason in `event.error`; `null` when unset. */
  get onerror(): StoredHandler | null {
    return this.#handlers.get('error')
  }
  set onerror(value: EventSourceHandler<this, EventSourceErrorEvent> | null) {
    this.#handlers.set('error', value)
  }

  /** Aborts the connection or the reconnection wait and sets readyState to CLOSED; no event fires after it. */
  close(): void {
    // [spec] "abort any instances of the fetch algorithm started for this EventSource object,
    // and set the readyState attribute to CLOSED."
    this.#readyState = CLOSED
    this.#shutdown(undefined)
  }

  /**
   * [non-spec] Iterates every MessageEvent (any type) in dispatch order, from now on. Leaving the loop
   * closes the source; `close()` ends the loop after the events already dispatched; a failed
   * connection throws its `EventSourceError`. While the loop body is busy, events queue up to 1024
   * events or `maxEventSize` characters, then reading from the network pauses: nothing is dropped.
   *
   * @example
   * ```ts
   * for await (const event of new EventSource<'token'>('/chat', {method: 'POST', body})) {
   *   if (event.type === 'done') break
   *   output.append(event.data)
   * }
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<StringMessageEvent> {
    const queue = new MessageQueue(this.#maxEventSize, () => {
      this.#queues.delete(queue)
      this.close()
    })
    if (this.#readyState === CLOSED) queue.end(this.#failure)
    else this.#queues.add(queue)
    return queue
  }

  #shutdown(error: EventSourceError | undefined): void {
    this.#controller.abort()
    this.#detachSignal?.()
    this.#detachSignal = undefined
    for (const queue of this.#queues) queue.end(error)
    this.#queues.clear()
  }

  #whenDrained(): Promise<void> | undefined {
    if (this.#queues.size === 0) return undefined
    for (const queue of this.#queues) if (queue.isFull) return queue.whenDrained().then(() => this.#whenDrained())
    return undefined
  }

  // A listener's exception never reaches the connection loop; the platform reports it.
  #fire(event: Event): void {
    try {
      this.#handlers.dispatch(event)
    } catch (error) {
      reportException(error)
    }
  }

  #announceConnection(): void {
    // [spec] "if the readyState attribute is set to a value other than CLOSED, set the
    // readyState attribute to OPEN and fire an event named open at the EventSource object."
    if (this.#readyState === CLOSED) return
    this.#readyState = OPEN
    this.#fire(new Event('open'))
  }

  #dispatchMessage(message: ParsedMessage, origin: string): void {
    if (this.#readyState === CLOSED) return
    // [spec] "Initialize event's type attribute to "message", its data attribute to data, its
    // origin attribute to the serialization of the origin of the event stream's final URL, and its
    // lastEventId attribute to the last event ID string of the event source." source null, ports empty.
    const event = createMessageEvent(message.type, message.data, origin, message.lastEventId)
    // Queued first: a listener that closes the source must not take this event from the loop.
    for (const queue of this.#queues) queue.push(event)
    this.#fire(event)
  }

  #reestablishConnection(error: EventSourceError | undefined, delayMs: number): void {
    // [spec] "If the readyState attribute is set to CLOSED, abort the task."
    if (this.#readyState === CLOSED) return
    // [spec] "Set the readyState attribute to CONNECTING."
    this.#readyState = CONNECTING
    // [spec] "Fire an event named error at the EventSource object."
    this.#fire(new EventSourceErrorEvent(error, {willReconnect: true, reconnectDelay: delayMs}))
  }

  #failConnection(error: EventSourceError | undefined): void {
    // [spec] "if the readyState attribute is set to a value other than CLOSED, set the readyState
    // attribute to CLOSED and fire an event named error at the EventSource object. Once the user
    // agent has failed the connection, it does not attempt to reconnect."
    if (this.#readyState === CLOSED) return
    this.#readyState = CLOSED
    this.#failure = error
    this.#shutdown(error)
    this.#fire(new EventSourceErrorEvent(error))
  }
}

/** Typed listener overloads: standard and named events get their event type; any other name gets `Event`, as in the DOM typings. */
export interface EventSource<Named extends string = never> {
  addEventListener<K extends keyof EventSourceEvents<Named>>(
    type: K,
    listener: (this: EventSource<Named>, event: EventSourceEvents<Named>[K]) => unknown,
    options?: boolean | AddListenerOptions,
  ): void
  addEventListener(type: string, listener: Listener | null, options?: boolean | AddListenerOptions): void
  removeEventListener<K extends keyof EventSourceEvents<Named>>(
    type: K,
    listener: (this: EventSource<Named>, event: EventSourceEvents<Named>[K]) => unknown,
    options?: boolean | ListenerOptions,
  ): void
  removeEventListener(type: string, listener: Listener | null, options?: boolean | ListenerOptions): void
}

// [spec] WebIDL constants: on the interface object and the prototype; not writable, enumerable, not configurable.
for (const target of [EventSource, EventSource.prototype]) {
  Object.defineProperties(target, {
    CONNECTING: {value: CONNECTING, enumerable: true},
    OPEN: {value: OPEN, enumerable: true},
    CLOSED: {value: CLOSED, enumerable: true},
  })
}
// [spec] WebIDL attributes and operations are enumerable; the class tag is "EventSource".
for (const name of ['url', 'withCredentials', 'readyState', 'onopen', 'onmessage', 'onerror', 'close', 'lastEventId', 'reconnectionTime']) {
  Object.defineProperty(EventSource.prototype, name, {enumerable: true})
}
// [spec] WebIDL static operations are enumerable too.
Object.defineProperty(EventSource, 'fromReadableStream', {enumerable: true})
Object.defineProperty(EventSource.prototype, Symbol.toStringTag, {value: 'EventSource', configurable: true})
