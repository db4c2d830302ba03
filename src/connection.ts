import {EventStreamDecoder} from './decode.js'
import {ContentTypeError, type EventSourceError, HttpError, NetworkError, RequestInitError} from './errors.js'
import {extractMimeEssence} from './mime.js'
import type {NormalizedOptions} from './options.js'
import {createRequestInit} from './request.js'

/** One parsed event, waiting for its turn to be dispatched. */
export interface ParsedMessage {
  readonly type: string
  readonly data: string
  readonly lastEventId: string
}

/** The spec steps that change what the page sees; implemented by the EventSource, run by the loop. */
export interface ConnectionHost {
  /** True once readyState is CLOSED: close(), the signal, or a failed connection. */
  isClosed(): boolean
  /** [spec] "announce the connection". */
  announceConnection(): void
  /** [spec] "dispatch the event" (the queued task part). */
  dispatchMessage(message: ParsedMessage, origin: string): void
  /** [spec] "reestablish the connection", the task: readyState CONNECTING, fire `error`. */
  reestablishConnection(error: EventSourceError | undefined): void
  /** [spec] "fail the connection": readyState CLOSED, fire `error`. */
  failConnection(error: EventSourceError): void
}

/** How one attempt ended; only the loop acts on it. */
type Attempt =
  | {kind: 'ended'} // [spec] the body closed: reestablish
  | {kind: 'network-error'; error: NetworkError} // [spec] a network error: reestablish
  | {kind: 'fatal'; error: EventSourceError} // [spec] wrong status or type: fail the connection

// setTimeout overflows past 2^31 - 1 ms and would fire at once; `retry:` may be any digit string.
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1
// Schemes a fetch can load; a network error for any other scheme will not go away by retrying.
const FETCHABLE_SCHEMES = new Set(['http:', 'https:', 'data:', 'blob:'])

/** Resolves after `ms`, or as soon as `signal` aborts; the timer keeps a Node process alive meanwhile. */
function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const done = (): void => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done)
  })
}

function originOf(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return 'null'
  }
}

function discard(body: ReadableStream<Uint8Array> | null): void {
  body?.cancel().catch(() => {})
}

/**
 * The connect → read → reconnect loop of one EventSource, and the state the spec keeps beside
 * readyState: the last event ID string and the reconnection time.
 */
export class Connection {
  /** [spec] the EventSource's "last event ID string". */
  lastEventId: string
  /** [spec] the event stream's "reconnection time", in milliseconds. */
  reconnectionTime: number
  readonly #url: string
  readonly #options: NormalizedOptions
  readonly #host: ConnectionHost
  readonly #signal: AbortSignal
  #attempts = 0

  constructor(url: string, options: NormalizedOptions, host: ConnectionHost, signal: AbortSignal) {
    this.#url = url
    this.#options = options
    this.#host = host
    this.#signal = signal
    this.lastEventId = options.lastEventId
    this.reconnectionTime = options.reconnectionTime
  }

  /** Runs until the source is closed or the connection fails. Never rejects. */
  async run(): Promise<void> {
    // Start after the constructor returns, so user callbacks (a headers function, a custom fetch)
    // can refer to the source, and a close() right after construction sends nothing.
    await null
    while (!this.#host.isClosed()) {
      const result = await this.#connect()
      if (this.#host.isClosed()) return
      // [spec] "fail the connection"
      if (result.kind === 'fatal') return this.#host.failConnection(result.error)
      // [spec] "reestablish the connection": queue a task that sets CONNECTING and fires error...
      this.#host.reestablishConnection(result.kind === 'network-error' ? result.error : undefined)
      if (this.#host.isClosed()) return
      // [spec] ...wait a delay equal to the reconnection time of the event source...
      await wait(this.reconnectionTime, this.#signal)
      // [spec] ...then, if readyState is still CONNECTING, fetch the request again.
    }
  }

  async #connect(): Promise<Attempt> {
    // One controller per attempt, linked to the source's: fetch implementations keep listeners on
    // the signal they are given until the request is garbage-collected, so a shared signal would
    // collect one listener per reconnection.
    const attempt = new AbortController()
    const abort = (): void => attempt.abort(this.#signal.reason)
    if (this.#signal.aborted) abort()
    else this.#signal.addEventListener('abort', abort)
    try {
      return await this.#fetchAndRead(attempt.signal)
    } finally {
      this.#signal.removeEventListener('abort', abort)
      attempt.abort()
    }
  }

  async #fetchAndRead(signal: AbortSignal): Promise<Attempt> {
    const url = this.#url
    let init: RequestInit
    try {
      init = await createRequestInit(this.#options, {attempt: ++this.#attempts, lastEventId: this.lastEventId, url}, signal)
    } catch (cause) {
      return {kind: 'fatal', error: new RequestInitError(`EventSource: could not build the request headers for ${url}`, cause)}
    }
    if (this.#host.isClosed()) return {kind: 'ended'}
    let response: Response
    try {
      // [spec] "Fetch request"; the global fetch is looked up now so that late mocks apply.
      const fetchImpl = this.#options.fetch ?? globalThis.fetch
      response = await fetchImpl(url, init)
    } catch (cause) {
      return this.#networkError(cause)
    }
    if (this.#host.isClosed()) {
      discard(response.body)
      return {kind: 'ended'}
    }
    // [spec] "if res's status is not 200, or if res's `Content-Type` is not `text/event-stream`, then fail the connection."
    if (response.status !== 200) {
      discard(response.body)
      return {kind: 'fatal', error: new HttpError(response, url)}
    }
    const contentType = response.headers.get('content-type')
    if (extractMimeEssence(contentType) !== 'text/event-stream') {
      discard(response.body)
      return {kind: 'fatal', error: new ContentTypeError(contentType, url)}
    }
    // [spec] "announce the connection and interpret res's body line by line."
    this.#host.announceConnection()
    // [spec] MessageEvent origin: "the serialization of the origin of the event stream's final URL (i.e., the URL after redirects)".
    return this.#read(response.body, originOf(response.url || url), signal)
  }

  #networkError(cause: unknown): Attempt {
    const error = new NetworkError(this.#url, cause)
    // [spec] "If res is an aborted network error, then fail the connection." (An abort by close()
    // never gets here: the loop stops first.)
    if ((cause as {name?: unknown} | null)?.name === 'AbortError') return {kind: 'fatal', error}
    // [spec] "Otherwise, if res is a network error, then reestablish the connection, unless the user
    // agent knows that to be futile, in which case the user agent may fail the connection." A URL
    // scheme that fetch cannot load (ftp:, mailto:, about:, javascript:) is futile.
    if (!FETCHABLE_SCHEMES.has(new URL(this.#url).protocol)) return {kind: 'fatal', error}
    return {kind: 'network-error', error}
  }

  async #read(body: ReadableStream<Uint8Array> | null, origin: string, signal: AbortSignal): Promise<Attempt> {
    if (body === null) return {kind: 'ended'}
    const reader = body.getReader()
    // close() must end a pending read even when a custom fetch ignores the signal.
    const cancel = (): void => void reader.cancel().catch(() => {})
    signal.addEventListener('abort', cancel)
    const queue: Array<ParsedMessage | {readonly id: string}> = []
    // The last event ID as of the parser; `this.lastEventId` follows it as events are dispatched,
    // so that after a close() in a listener it names the last event the page actually saw.
    let parsedLastEventId = this.lastEventId
    const decoder = new EventStreamDecoder({
      // [spec] dispatch step 5: the event's lastEventId is the last event ID string.
      onEvent: (type, data) => queue.push({type, data, lastEventId: parsedLastEventId}),
      // [spec] dispatch step 1: "Set the last event ID string of the event source to the value of the last event ID buffer."
      onId: (id) => {
        parsedLastEventId = id
        queue.push({id})
      },
      // [spec] retry field: "set the event stream's reconnection time to that integer" (clamped to what a timer can wait).
      onRetry: (ms) => {
        this.reconnectionTime = Math.min(ms, MAX_TIMER_DELAY_MS)
      },
    })
    try {
      for (;;) {
        const {done, value} = await reader.read()
        if (this.#host.isClosed()) return {kind: 'ended'}
        // [spec] "If the file ends in the middle of an event, before the final empty line, the
        // incomplete event is not dispatched": the decoder and its buffers are dropped here.
        if (done) return {kind: 'ended'}
        decoder.feed(value)
        let dispatched = 0
        for (const entry of queue) {
          // [spec] each event is dispatched in its own task: let microtasks queued by the previous
          // listener (a close(), say) run first.
          if (!('id' in entry) && dispatched++ > 0) await null
          // [spec] "queue a task which, if the readyState attribute is set to a value other than CLOSED, dispatches the newly created event"
          if (this.#host.isClosed()) return {kind: 'ended'}
          if ('id' in entry) {
            this.lastEventId = entry.id
          } else {
            this.lastEventId = entry.lastEventId
            this.#host.dispatchMessage(entry, origin)
          }
        }
        queue.length = 0
      }
    } catch (cause) {
      return this.#networkError(cause)
    } finally {
      signal.removeEventListener('abort', cancel)
      cancel()
    }
  }
}
