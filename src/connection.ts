import {discard} from './body.js'
import {isCorsRefusal} from './cors.js'
import {EventStreamDecoder} from './decode.js'
import {CorsError, type EventSourceError, HttpError, InactivityTimeoutError, MaxEventSizeError, NetworkError, RequestInitError} from './errors.js'
import {refusedHeader} from './field-value.js'
import type {FetchLike, NormalizedOptions} from './options.js'
import {MAX_DELAY_MS, type Outcome, parseRetryAfter, ReconnectionPolicy} from './policy.js'
import {canSeeRedirects, fetchFollowingRedirects, isGetOrHead, originOf, type RedirectedRequest, redirect} from './redirect.js'
import {createRequestInit, fetchEventStream} from './request.js'
import {bodyForAttempt} from './request-body.js'
import {checkResponse} from './response.js'
import {isHidden, visibilityDocument, watchHidden, whenVisible} from './visibility.js'
import {Watchdog} from './watchdog.js'
import {watchWindowStop} from './window-stop.js'

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
  reestablishConnection(error: EventSourceError | undefined, delayMs: number): void
  /** [spec] "fail the connection": readyState CLOSED, fire `error`. */
  failConnection(error: EventSourceError | undefined): void
  /** [non-spec] pauseWhenHidden dropped the stream: readyState CONNECTING until the page is visible. */
  pause(): void
  /** [non-spec] Backpressure from async iteration: a promise while a consumer's queue is full. */
  whenDrained(): Promise<void> | undefined
}

const ENDED: Outcome = {error: undefined, isRetryable: true}
// The abort reason when pauseWhenHidden drops an attempt.
const PAUSED = Symbol('paused while the page is hidden')
const PAUSED_OUTCOME: Outcome = {error: undefined, isRetryable: true}
// Schemes a fetch can load; a network error for any other scheme will not go away by retrying.
const FETCHABLE_SCHEMES = new Set(['http:', 'https:', 'data:', 'blob:'])

/** Resolves after `ms`, when `signal` aborts, or (in a browser) when the device comes back online. */
function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const scope = globalThis as Partial<EventTarget>
    const done = (): void => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      scope.removeEventListener?.('online', done)
      resolve()
    }
    // The timer keeps a Node process alive: users expect the stream to come back.
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done)
    // [non-spec] reconnect at once when the browser reports that the network is back.
    scope.addEventListener?.('online', done)
  })
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
  // [spec] the EventSource's request as fetch's redirects changed it: its current URL (the last
  // redirect's target), its method, and whether a redirect crossed origins.
  #request: RedirectedRequest
  // The origin of the URL the source was created with.
  readonly #origin: string
  readonly #options: NormalizedOptions
  readonly #host: ConnectionHost
  readonly #signal: AbortSignal
  readonly #policy: ReconnectionPolicy
  #serverRetryMs: number | undefined
  #attempts = 0
  // [non-spec] pauseWhenHidden: the document whose visibility pauses the stream, in a window only.
  readonly #document: ReturnType<typeof visibilityDocument>
  // EventSource.fromReadableStream(): the reader of the caller's stream, read instead of fetching.
  readonly #streamReader: ReadableStreamDefaultReader<Uint8Array> | undefined

  /** @param streamReader - a stream source (`EventSource.fromReadableStream()`): no fetch, no reconnection */
  constructor(url: string, options: NormalizedOptions, host: ConnectionHost, signal: AbortSignal, streamReader?: ReadableStreamDefaultReader<Uint8Array>) {
    this.#request = {url, method: options.method, hasCrossedOrigin: false}
    this.#origin = originOf(url)
    this.#streamReader = streamReader
    this.#options = options
    this.#host = host
    this.#signal = signal
    this.#policy = new ReconnectionPolicy(options.reconnection)
    this.lastEventId = options.lastEventId
    this.reconnectionTime = options.reconnectionTime
    this.#document = options.pauseWhenHidden ? visibilityDocument() : undefined
  }

  /** Runs until the source is closed or the connection fails. Never rejects. */
  async run(): Promise<void> {
    // Start after the constructor returns, so user callbacks (a headers function, a custom fetch)
    // can refer to the source, and a close() right after construction sends nothing.
    await null
    if (this.#streamReader) return this.#runStream(this.#streamReader)
    while (!this.#host.isClosed()) {
      // [non-spec] pauseWhenHidden: nothing is sent while the page is hidden.
      if (this.#document && isHidden(this.#document)) {
        await whenVisible(this.#document, this.#signal)
        continue
      }
      const outcome = await this.#connect()
      if (this.#host.isClosed()) return
      if (outcome === PAUSED_OUTCOME) {
        this.#host.pause()
        continue
      }
      const decision = this.#policy.decide(outcome, this.reconnectionTime, this.#serverRetryMs)
      // [spec] "fail the connection" (or [non-spec] the reconnection policy gave up).
      if (!decision.reconnect) return this.#host.failConnection(outcome.error)
      // [spec] "reestablish the connection": queue a task that sets CONNECTING and fires error...
      this.#host.reestablishConnection(outcome.error, decision.delayMs)
      if (this.#host.isClosed()) return
      // [spec] ...wait a delay equal to the reconnection time of the event source...
      await wait(decision.delayMs, this.#signal)
      // [spec] ...then, if readyState is still CONNECTING, fetch the request again.
    }
  }

  /**
   * [non-spec: whatwg/html PR #12272, tests web-platform-tests PR #58550, not yet in the standard]
   * `EventSource.fromReadableStream()`: announce the connection and interpret the stream; when it
   * ends or errors, fail the connection (the complete events first). There is no request to repeat,
   * so there is never a reconnection; close() cancels the stream.
   */
  async #runStream(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    this.#host.announceConnection()
    // [spec] an about: URL has an opaque origin, serialized as "null".
    const outcome = await this.#read(reader, 'null', this.#signal, new Watchdog(0, () => {}))
    this.#host.failConnection(outcome.error)
  }

  async #connect(): Promise<Outcome> {
    // One controller per attempt, linked to the source's: fetch implementations keep listeners on
    // the signal they are given until the request is garbage-collected, so a shared signal would
    // collect one listener per reconnection. The watchdog aborts only this attempt.
    const attempt = new AbortController()
    const {inactivityTimeout} = this.#options
    const watchdog = new Watchdog(inactivityTimeout, () => attempt.abort(new InactivityTimeoutError(inactivityTimeout, this.#request.url)))
    const stopWatchingVisibility = this.#document ? watchHidden(this.#document, () => attempt.abort(PAUSED)) : undefined
    // [spec] window.stop() aborts the fetch: "If res is an aborted network error, then fail the connection."
    const stopWatchingWindow = watchWindowStop(() =>
      this.#host.failConnection(new NetworkError(this.#request.url, new DOMException('window.stop()', 'AbortError'))),
    )
    // Everything this attempt holds is released on abort, even if a custom fetch never settles.
    const release = (): void => {
      stopWatchingVisibility?.()
      stopWatchingWindow()
      watchdog.stop()
      this.#signal.removeEventListener('abort', abort)
    }
    const abort = (): void => {
      release()
      attempt.abort(this.#signal.reason)
    }
    if (this.#signal.aborted) abort()
    else this.#signal.addEventListener('abort', abort)
    try {
      const outcome = await this.#fetchAndRead(attempt.signal, watchdog)
      // A hidden page pauses a stream that was opening or open, not a failure already decided.
      const isPause = attempt.signal.reason === PAUSED && (outcome.error === undefined || outcome.error instanceof NetworkError)
      return isPause ? PAUSED_OUTCOME : outcome
    } finally {
      release()
      attempt.abort()
    }
  }

  async #fetchAndRead(signal: AbortSignal, watchdog: Watchdog): Promise<Outcome> {
    const request = this.#request
    const {url} = request
    let init: Awaited<ReturnType<typeof createRequestInit>>
    try {
      const context = {attempt: ++this.#attempts, lastEventId: this.lastEventId, url, isOriginalOrigin: originOf(url) === this.#origin}
      // [non-spec] a body function is called before every attempt, like a headers function.
      const body = await bodyForAttempt(this.#options.body, this.#options.method, context)
      init = await createRequestInit({...this.#options, body}, context, signal, request)
    } catch (cause) {
      return {error: new RequestInitError(`EventSource: could not build the request for ${url}`, cause), isRetryable: false}
    }
    if (this.#host.isClosed()) return ENDED
    let response: Response
    watchdog.kick()
    // [spec] "Fetch request"; the global fetch is looked up now so that late mocks apply.
    const fetchImpl = this.#options.fetch ?? globalThis.fetch
    // [non-spec] a fetch that rejects the `cache` field (workerd before 2024-11-11) gets the request without it.
    const send = (target: string, requestInit: RequestInit): Promise<Response> => fetchEventStream(fetchImpl, target, requestInit)
    try {
      // [non-spec] where fetch can show them, the redirects of a method that a redirect may change
      // are followed by hand (src/redirect.ts), to learn what each did to the request.
      if (!isGetOrHead(request.method) && !this.#options.fetch && canSeeRedirects()) {
        init.redirect = 'manual'
        response = await fetchFollowingRedirects(send, request, init, (redirected) => (this.#request = redirected))
      } else response = await send(url, init)
    } catch (cause) {
      return this.#fetchFailed(cause, init.headers as Headers, fetchImpl, signal)
    }
    if (this.#host.isClosed()) {
      discard(response.body)
      return ENDED
    }
    // [spec] Fetch appends each redirect's target to the request's URL list, so "reestablish the
    // connection" fetches the request again from there, as the redirects left it. fetch does not
    // show the statuses it followed: see redirect() for what is assumed.
    if (response.redirected && response.url) this.#request = redirect(request, response.url)
    // The watchdog (or a hidden page) gave up on this attempt while a fetch that ignores the signal was pending.
    if (signal.aborted) {
      discard(response.body)
      return this.#networkError(signal.reason, signal)
    }
    watchdog.kick()
    // [spec] "if res's status is not 200, or if res's `Content-Type` is not `text/event-stream`, then fail the connection."
    const error = await checkResponse(response, url)
    if (error) {
      // [non-spec] retryOnStatus: reconnect instead, honouring Retry-After.
      if (!(error instanceof HttpError && this.#options.reconnection.retryOnStatus.has(error.status))) return {error, isRetryable: false}
      return {error, isRetryable: true, retryAfterMs: parseRetryAfter(response.headers.get('retry-after'))}
    }
    // [spec] "announce the connection and interpret res's body line by line."
    this.#policy.opened()
    this.#host.announceConnection()
    // [spec] MessageEvent origin: "the serialization of the origin of the event stream's final URL (i.e., the URL after redirects)".
    if (response.body === null) return ENDED
    return this.#read(response.body.getReader(), originOf(response.url || url), signal, watchdog)
  }

  #networkError(cause: unknown, signal: AbortSignal): Outcome {
    // [non-spec] the watchdog dropped a silent attempt: reconnect.
    if (signal.reason instanceof InactivityTimeoutError) return {error: signal.reason, isRetryable: true}
    const error = new NetworkError(this.#request.url, cause)
    // [spec] "If res is an aborted network error, then fail the connection." (An abort by close()
    // never gets here: the loop stops first.)
    if ((cause as {name?: unknown} | null)?.name === 'AbortError') return {error, isRetryable: false}
    // [spec] "Otherwise, if res is a network error, then reestablish the connection, unless the user
    // agent knows that to be futile, in which case the user agent may fail the connection." A URL
    // scheme that fetch cannot load (ftp:, mailto:, about:, javascript:) is futile.
    return {error, isRetryable: FETCHABLE_SCHEMES.has(new URL(this.#request.url).protocol)}
  }

  /** The outcome of a fetch that rejected before any response: a network error, unless retrying is futile. */
  async #fetchFailed(cause: unknown, headers: Headers, fetchImpl: FetchLike, signal: AbortSignal): Promise<Outcome> {
    const outcome = this.#networkError(cause, signal)
    if (!outcome.isRetryable || signal.aborted) return outcome
    const url = this.#request.url
    // [non-spec] a header value this runtime's fetch refuses (say, a last event ID with a control
    // character in Node): every retry would fail the same way, before a byte is sent.
    const header = refusedHeader(headers, cause)
    if (header) return {error: new RequestInitError(`EventSource: fetch will not send the control characters of ${header}`, cause), isRetryable: false}
    // [spec] "...unless the user agent knows that to be futile, in which case the user agent may fail
    // the connection": a server that answers but refuses CORS (fetch rejects that with a TypeError).
    if (cause instanceof TypeError && (await isCorsRefusal(url, fetchImpl, this.#options.credentials, signal))) {
      return {error: new CorsError(url, cause), isRetryable: false}
    }
    return outcome
  }

  /**
   * Dispatches the events parsed from one chunk, in order; false once the source is closed. A small
   * frame of its own: suspending it between events is cheaper than suspending the read loop.
   */
  async #dispatchQueued(queue: readonly ParsedMessage[], origin: string): Promise<boolean> {
    for (let index = 0; index < queue.length; index++) {
      const message = queue[index] as ParsedMessage
      // [spec] each event is dispatched in its own task: let microtasks queued by the previous
      // listener (a close(), say) run first.
      if (index > 0) await null
      // [spec] "queue a task which, if the readyState attribute is set to a value other than CLOSED, dispatches the newly created event"
      if (this.#host.isClosed()) return false
      this.lastEventId = message.lastEventId
      this.#host.dispatchMessage(message, origin)
    }
    // A listener of the last event may have closed the source.
    return !this.#host.isClosed()
  }

  async #read(reader: ReadableStreamDefaultReader<Uint8Array>, origin: string, signal: AbortSignal, watchdog: Watchdog): Promise<Outcome> {
    // close() and the watchdog must end a pending read even when a custom fetch ignores the signal.
    const cancel = (): void => void reader.cancel().catch(() => {})
    // A close() inside the open listener has already aborted the signal.
    if (signal.aborted) cancel()
    signal.addEventListener('abort', cancel)
    const queue: ParsedMessage[] = []
    // The last event ID as of the parser; `this.lastEventId` follows it as events are dispatched,
    // so that after a close() in a listener it names the last event the page actually saw.
    let parsedLastEventId = this.lastEventId
    const decoder = new EventStreamDecoder({
      // [spec] dispatch step 5: the event's lastEventId is the last event ID string.
      onEvent: (type, data) => queue.push({type, data, lastEventId: parsedLastEventId}),
      // [spec] dispatch step 1: "Set the last event ID string of the event source to the value of the last event ID buffer."
      onId: (id) => {
        parsedLastEventId = id
      },
      // [spec] retry field: "set the event stream's reconnection time to that integer" (clamped to what a timer can wait).
      onRetry: (ms) => {
        this.reconnectionTime = Math.min(ms, MAX_DELAY_MS)
        this.#serverRetryMs = this.reconnectionTime
      },
      maxEventSize: this.#options.maxEventSize,
    })
    try {
      for (;;) {
        const {done, value} = await reader.read()
        if (this.#host.isClosed()) return ENDED
        if (signal.aborted) return this.#networkError(signal.reason, signal)
        // [spec] "If the file ends in the middle of an event, before the final empty line, the
        // incomplete event is not dispatched": the decoder and its buffers are dropped here.
        if (done) return ENDED
        watchdog.kick()
        const fits = decoder.feed(value)
        if (queue.length > 0 && !(await this.#dispatchQueued(queue, origin))) return ENDED
        queue.length = 0
        // [spec] dispatch step 1 also runs for blocks without data (an id-only block): once the
        // chunk's events are out, the last event ID string is the parser's.
        this.lastEventId = parsedLastEventId
        // [non-spec] maxEventSize: a line or event too large to buffer fails the connection, after
        // the complete events before it.
        if (!fits) return {error: new MaxEventSizeError(this.#options.maxEventSize, this.#request.url), isRetryable: false}
        const drained = this.#host.whenDrained()
        if (drained) {
          // A paused reader hears nothing from the server: the watchdog must not count that time.
          watchdog.stop()
          await drained
          watchdog.kick()
        }
      }
    } catch (cause) {
      return this.#networkError(cause, signal)
    } finally {
      signal.removeEventListener('abort', cancel)
      cancel()
    }
  }
}
