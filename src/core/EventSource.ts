import {Connection} from './connection.js'
import type {EventSourceErrorEvent, StringMessageEvent} from './events.js'
import {TAP, type Tap} from './policy.js'
import {BUILD, isHandlerHidden} from './platform.js'
import {createHandlerListener, setHandler} from './handlers.js'
import {hasForbiddenHost} from './host.js'
import {type EventSourceInit, normalizeOptions} from './options.js'
import {defineEventSourceInterface} from './webidl.js'

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
export type StoredHandler = (event: Event) => unknown

// The DOM's listener types, declared here because `@types/node` has no global `AddEventListenerOptions`
// or `EventListenerOrEventListenerObject`: the declarations then compile with or without the DOM lib.

/** Options of `removeEventListener` (the DOM's `EventListenerOptions`). */
export interface ListenerOptions {
  capture?: boolean
}

/** Options of `addEventListener` (the DOM's `AddEventListenerOptions`). */
export interface AddListenerOptions extends ListenerOptions {
  once?: boolean
  passive?: boolean
  signal?: AbortSignal
}

/** A listener for any event name (the DOM's `EventListenerOrEventListenerObject`). */
export type Listener = ((event: Event) => void) | {handleEvent(event: Event): void}

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
 * The events parsed from one network chunk are dispatched one microtask turn apart (not one task
 * apart, as in a browser): microtasks a listener queues, such as a `close()`, run before the next event.
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
  // [spec] Event handler attributes: the handler of each (see setHandler()).
  #onopen: unknown = null
  #onmessage: unknown = null
  #onerror: unknown = null
  /** The one listener of the three attributes of every source, registered once per name while its handler is set. */
  static readonly #handlerListener = createHandlerListener(EventSource<string>, (source, type) =>
    type === 'open' ? source.#onopen : type === 'message' ? source.#onmessage : source.#onerror,
  )
  // readyState, the last event ID, the reconnection time and the loop that changes them.
  readonly #connection: Connection

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
    this.#connection = new Connection(this.#url, options, this, streamReader)
    // [spec] "Fetch request" (in parallel).
    this.#connection.start()
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
    return this.#connection.readyState
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
    // [non-spec] workerd's EventTarget reads it at every dispatch: that read finds none (src/core/handlers.ts).
    return isHandlerHidden(this, 'open') ? null : (this.#onopen as StoredHandler | null)
  }
  set onopen(value: EventSourceHandler<this, Event> | null) {
    this.#onopen = setHandler(this, 'open', this.#onopen, value, EventSource.#handlerListener)
  }

  /** Handler for `message` events (events without an `event:` field); `null` when unset. */
  get onmessage(): StoredHandler | null {
    return isHandlerHidden(this, 'message') ? null : (this.#onmessage as StoredHandler | null)
  }
  set onmessage(value: EventSourceHandler<this, StringMessageEvent> | null) {
    this.#onmessage = setHandler(this, 'message', this.#onmessage, value, EventSource.#handlerListener)
  }

  /** Handler for the `error` event, which carries the reason in `event.error`; `null` when unset. */
  get onerror(): StoredHandler | null {
    return isHandlerHidden(this, 'error') ? null : (this.#onerror as StoredHandler | null)
  }
  set onerror(value: EventSourceHandler<this, EventSourceErrorEvent> | null) {
    this.#onerror = setHandler(this, 'error', this.#onerror, value, EventSource.#handlerListener)
  }

  /** Aborts the connection or the reconnection wait and sets readyState to CLOSED; no event fires after it. */
  close(): void {
    // [spec] "abort any instances of the fetch algorithm started for this EventSource object,
    // and set the readyState attribute to CLOSED."
    this.#connection.close()
  }

  /**
   * [non-spec] The seam of `eventsource-kit/iterate`: attaches the tap `create` makes (with this
   * source's limit, `maxEventSize` characters, and its close()), which then gets every MessageEvent.
   * @example
   * ```ts
   * import {iterate} from 'eventsource-kit/iterate'
   * for await (const event of iterate(source)) console.log(event.data)
   * ```
   */
  [TAP]<T extends Tap>(create: (maxQueuedChars: number, close: () => void) => T): T {
    return this.#connection.tap(create)
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

// [spec] WebIDL: constants, enumerable members, the class tag; static operations are enumerable too.
defineEventSourceInterface(EventSource)
Object.defineProperty(EventSource, 'fromReadableStream', {enumerable: true})
Object.defineProperty(EventSource.prototype, Symbol.toStringTag, {value: 'EventSource', configurable: true})
// [non-spec] Which build this is, "browser" or "server": the export conditions chose it (see package.json).
Object.defineProperty(EventSource, Symbol.for('eventsource-kit.build'), {value: BUILD})
