import {closeOnAbort} from './abort.js'
import {discard, ignore} from './body.js'
import {decideDelay, networkOutcome, wait} from './outcome.js'
import {classifyFailure, fetchAttempt, holdAttempt, offlineMark, takeUserinfo, watchAttempt, wentOffline} from './platform.js'
import {CorsError, describeCause, type EventSourceError, InactivityTimeoutError, MaxEventSizeError, NetworkError, RequestInitError} from './errors.js'
import {EventSourceErrorEvent} from './events.js'
import type {FetchLike, NormalizedOptions} from './options.js'
import type {Outcome} from './policy.js'
import {originOf, type RedirectedRequest, redirect} from './redirect.js'
import {CLOSED, CONNECTING, OPEN} from './ready-state.js'
import {createRequestInit, isSynchronousRefusal, refusalOf} from './request.js'
import {bodyForAttempt} from './request-body.js'
import {checkResponse} from './response.js'
import {isBrowsingScope} from './scope.js'
import {ENDED, RESOLVED, SourceState} from './state.js'
import type {UrlCredentials} from './userinfo.js'

/** An attempt that reached the open event: the body's reader, and the origin of its events. */
type Opened = {reader: ReadableStreamDefaultReader<Uint8Array>; origin: string}

// The abort reason when pauseWhenHidden drops an attempt.
const PAUSED = Symbol('paused while the page is hidden or frozen')

/** The outcome of a request that fetch refused to build: it fails every attempt alike, so the connection fails. */
const refused = (url: string, cause: unknown): Outcome => ({
  error: new RequestInitError(`EventSource: fetch refused to build the request for ${url}: ${describeCause(cause)}`, cause),
  isRetryable: false,
})

/**
 * The connect → read → reconnect loop over the state the spec keeps for an EventSource (see
 * SourceState). The EventSource is the event target; this is the only code that fires its events
 * or touches readyState.
 */
export class Connection extends SourceState {
  // [spec] the EventSource's request as fetch's redirects changed it: its current URL (the last
  // redirect's target), its method, and whether a redirect crossed origins.
  #request: RedirectedRequest
  // The URL the source was created with, for the original origin: the EventSource's own string. (An
  // origin kept instead would keep a copy of the whole URL alive: a URL's `origin` getter builds its
  // string from pieces of its own `href`.)
  readonly #url: string
  // [spec] the user and password of the URL, taken off every request (see src/core/userinfo.ts).
  readonly #credentials: UrlCredentials | undefined
  readonly #options: NormalizedOptions
  #attempts = 0
  // [non-spec] reconnections since the last successful open (for the `reconnect` policy).
  #retries = 0
  // [non-spec] the network's state when the current attempt started: a failure while offline is not counted.
  #offlineMark = 0
  // The current attempt: its controller aborts the fetch, its reader is cancelled with it (a custom
  // fetch may ignore the signal). Fetch implementations keep listeners on the signal they are given
  // until the request is collected, so each attempt gets a fresh controller of its own.
  #controller: AbortController | undefined
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined
  #timer: ReturnType<typeof setTimeout> | undefined
  // Stops what the loop is waiting on besides the fetch: the attempt's visibility watch, or the
  // wait before the next attempt (which it ends at once).
  #stop: (() => void) | undefined
  #detachSignal: (() => void) | undefined
  // EventSource.fromReadableStream(): the reader of the caller's stream, read instead of fetching.
  readonly #streamReader: ReadableStreamDefaultReader<Uint8Array> | undefined

  /**
   * @param target - the EventSource: every event is fired at it
   * @param streamReader - a stream source (`EventSource.fromReadableStream()`): no fetch, no reconnection
   */
  constructor(
    url: string,
    options: NormalizedOptions,
    target: EventTarget,
    streamReader?: ReadableStreamDefaultReader<Uint8Array>,
  ) {
    super(target, options.lastEventId, options.reconnectionTime)
    this.#streamReader = streamReader
    // The request's URL never holds the userinfo: it goes to fetch and into every error message.
    const {url: requestUrl, credentials} = takeUserinfo(url)
    this.#credentials = credentials
    this.#request = {url: requestUrl, method: options.method, hasCrossedOrigin: false}
    this.#url = url
    this.#options = options
    // [non-spec] an aborted `signal` means close().
    this.#detachSignal = closeOnAbort(options.signal, () => this.close())
  }

  /** The decoder's limit: most characters buffered for one line or event. */
  get maxEventSize(): number {
    return this.#options.maxEventSize
  }

  /** [non-spec] maxEventSize: a line or event too large to buffer fails the connection, after the complete events before it. */
  protected tooLarge(): Outcome {
    return {error: new MaxEventSizeError(this.#options.maxEventSize, this.#request.url), isRetryable: false}
  }

  /** [spec] close(): abort the fetch (or the wait) and set readyState to CLOSED; no event fires after it. */
  override close(): void {
    this.readyState = CLOSED
    this.#shutdown(undefined)
  }

  /**
   * Starts the loop: connect, read, and after each attempt reconnect or fail, until the source is
   * closed. Driven by callbacks rather than an async loop, so that an idle source holds one
   * suspended frame (the read), not two.
   */
  start(): void {
    // Start after the constructor returns, so user callbacks (a headers function, a custom fetch)
    // can refer to the source, and a close() right after construction sends nothing.
    void RESOLVED.then(() => this.#connect())
  }

  /** [spec] "announce the connection": "if the readyState attribute is set to a value other than
   * CLOSED, set the readyState attribute to OPEN and fire an event named open at the EventSource object." */
  #announceConnection(): void {
    if (this.isClosed()) return
    this.#retries = 0
    this.readyState = OPEN
    this.fire(new Event('open'))
  }

  /** [spec] "Fetch request" (in parallel), again after each wait, while readyState is not CLOSED. */
  #connect(): void {
    const reader = this.#streamReader
    if (reader) {
      // [non-spec: whatwg/html PR #12272, tests web-platform-tests PR #58550, not yet in the standard]
      // `EventSource.fromReadableStream()`: announce the connection and interpret the stream; when it
      // ends or errors, fail the connection (the complete events first, see #settle). There is no
      // request to repeat, so there is never a reconnection; close() cancels the stream (#release),
      // even one closed before this ran.
      this.#reader = reader
      this.#announceConnection()
      // [spec] an about: URL has an opaque origin, serialized as "null".
      return this.#attempt((this.#controller = new AbortController()).signal, Promise.resolve(this.isClosed() ? ENDED : {reader, origin: 'null'}))
    }
    if (this.isClosed()) return
    // [non-spec] the browser build holds an attempt while the page is hidden (pauseWhenHidden), frozen
    // or in the back/forward cache.
    const hold = holdAttempt(this.#options)
    if (hold) return this.#sleep(hold)
    this.#offlineMark = offlineMark()
    const controller = (this.#controller = new AbortController())
    // The browser build: a hidden (pauseWhenHidden) or frozen page pauses the attempt; [spec]
    // window.stop() aborts the fetch: "If res is an aborted network error, then fail the connection."
    this.#stop = watchAttempt(
      this.#options,
      () => this.#abort(PAUSED),
      () => this.#failConnection(new NetworkError(this.#request.url, new DOMException('window.stop()', 'AbortError'))),
    )
    this.#attempt(controller.signal, this.#open(controller.signal))
  }

  /**
   * One attempt, from the request to how it ended, then what follows it. Two frames one after the
   * other, never both suspended: the response and what came with it are not kept alive while the
   * body is read. Promise callbacks rather than an async function or a chain: an open connection
   * holds its read and the two callbacks below, nothing more.
   */
  #attempt(signal: AbortSignal, opening: Promise<Outcome | Opened>): void {
    const settle = (outcome: Outcome): void => {
      // Everything the attempt holds is released, even if a custom fetch never settles (see close()).
      this.#release()
      this.#settle(outcome, signal)
    }
    // An exception no step expected (a custom fetch whose response has no readable body, say) fails
    // the connection with it, instead of leaving the source CONNECTING or OPEN forever.
    const fail = (cause: unknown): void => settle({error: new NetworkError(this.#request.url, cause), isRetryable: false})
    opening.then((opened) => {
      if ('reader' in opened) this.read(opened.reader, opened.origin, signal, settle)
      else settle(opened)
    }, fail)
  }

  /** What follows an attempt: reconnect after a delay, pause, or fail the connection. */
  #settle(outcome: Outcome, signal: AbortSignal): void {
    if (this.isClosed()) return
    // [non-spec] fromReadableStream(): no request to repeat, so the end of the stream fails the connection.
    if (this.#streamReader) return this.#failConnection(outcome.error)
    // [non-spec] a hidden (pauseWhenHidden) or frozen page pauses a stream that was opening or open, not
    // a failure already decided: readyState CONNECTING, no error event, open again once it reconnects.
    if (signal.reason === PAUSED && (outcome.error === undefined || outcome.error instanceof NetworkError)) {
      this.readyState = CONNECTING
      return this.#connect()
    }
    // [non-spec] an attempt that failed while the browser was offline is no failed attempt for the
    // `reconnect` policy: the server was never asked.
    const attempt = wentOffline(this.#offlineMark) ? Math.max(this.#retries, 1) : ++this.#retries
    const delayMs = decideDelay(this.#options.reconnect, outcome, attempt, this.reconnectionTime, this.serverRetryMs)
    // A reconnection policy may have closed the source.
    if (this.isClosed()) return
    // [spec] "fail the connection" (or [non-spec] the reconnection policy gave up): "set the
    // readyState attribute to CLOSED and fire an event named error at the EventSource object.
    // Once the user agent has failed the connection, it does not attempt to reconnect."
    if (delayMs === undefined) return this.#failConnection(outcome.error)
    // [spec] "reestablish the connection": queue a task that sets readyState to CONNECTING and
    // fires an event named error...
    this.readyState = CONNECTING
    this.fire(new EventSourceErrorEvent(outcome.error, {willReconnect: true, reconnectDelay: delayMs}))
    // [spec] ...wait a delay equal to the reconnection time of the event source ([non-spec] or until
    // the browser reports that the network is back), then, if readyState is still CONNECTING, fetch
    // the request again.
    if (this.isClosed()) return
    this.#sleep(wait(delayMs))
  }

  /**
   * [spec] "fail the connection": "if the readyState attribute is set to a value other than CLOSED,
   * set the readyState attribute to CLOSED and fire an event named error at the EventSource object.
   * Once the user agent has failed the connection, it does not attempt to reconnect."
   */
  #failConnection(error: EventSourceError | undefined): void {
    if (this.isClosed()) return
    this.readyState = CLOSED
    this.failure = error
    this.#shutdown(error)
    this.fire(new EventSourceErrorEvent(error))
  }

  /** One request, up to the open event: the body's reader, or how the attempt ended. */
  async #open(signal: AbortSignal): Promise<Outcome | Opened> {
    const request = this.#request
    const {url} = request
    let init: Awaited<ReturnType<typeof createRequestInit>>
    try {
      const context = {attempt: ++this.#attempts, lastEventId: this.lastEventId, url, isOriginalOrigin: originOf(url) === originOf(this.#url)}
      // [non-spec] a body function is called before every attempt, like a headers function.
      const body = await bodyForAttempt(this.#options.body, this.#options.method, context)
      init = await createRequestInit({...this.#options, body}, context, signal, request)
    } catch (cause) {
      return {error: new RequestInitError(`EventSource: could not build the request for ${url}`, cause), isRetryable: false}
    }
    if (this.isClosed()) return ENDED
    // [non-spec] a browser sends nothing to a URL with credentials (its fetch throws; Chromium's own
    // EventSource fails the connection without a request): fail it, and say why.
    if (this.#credentials && isBrowsingScope()) {
      return {error: new RequestInitError(`EventSource: this browser sends no request to a URL with a user or password (${url})`, undefined), isRetryable: false}
    }
    // [spec] "Fetch request"; the global fetch is looked up now so that late mocks apply.
    const fetchImpl = this.#options.fetch ?? globalThis.fetch
    // A request the platform's fetch will not build fails every attempt alike: fail the connection
    // now, with why, instead of retrying a "network error" that never reached the network.
    const refusal = this.#options.fetch ? undefined : refusalOf(url, init)
    if (refusal !== undefined) return refused(url, refusal)
    let response: Response
    this.kick(true)
    // The server build follows some redirects by hand and [spec] answers a 401 to the URL that
    // carried a user and password once with them (src/core/server.ts); the React Native build's
    // transport reads the current last event ID from `this` when it renews its request.
    const send = (): Promise<Response> =>
      fetchAttempt(fetchImpl, this.#options.fetch !== undefined, request, init, (redirected) => (this.#request = redirected), this.#credentials, this)
    try {
      response = await send()
    } catch (cause) {
      const outcome = await this.#fetchFailed(cause, init.headers, fetchImpl, signal)
      // [non-spec] The probe only shows that the server answers now: a refusal by CORS, or a blip it
      // outlived (a network change, a restart). The request, sent once more at once, tells them apart.
      if (!(outcome.error instanceof CorsError) || signal.aborted) return outcome
      try {
        response = await send()
      } catch {
        return outcome
      }
    }
    const {body} = response
    // [spec] Fetch appends each redirect's target to the request's URL list, so "reestablish the
    // connection" fetches the request again from there, as the redirects left it. fetch does not
    // show the statuses it followed: see redirect() for what is assumed.
    if (response.redirected && response.url) this.#request = redirect(request, response.url)
    // close(), the watchdog or a hidden page gave up on this attempt while a fetch that ignores the
    // signal was pending (after a close() the outcome is not looked at).
    if (signal.aborted) {
      discard(body)
      return this.networkError(signal.reason)
    }
    this.kick(true)
    // [spec] "if res's status is not 200, or if res's `Content-Type` is not `text/event-stream`, then fail the connection."
    const error = await checkResponse(response, url)
    if (error) return {error, isRetryable: false}
    // Locked before the open listener runs, so that a close() there cancels the body.
    const reader = (this.#reader = body?.getReader())
    // [spec] "announce the connection".
    this.#announceConnection()
    // [spec] "...and interpret res's body line by line." A close() in the open listener ends it here.
    if (reader === undefined || this.isClosed()) return ENDED
    // The watchdog or a hidden page dropped the attempt inside the open listener.
    if (signal.aborted) return this.networkError(signal.reason)
    // [spec] MessageEvent origin: "the serialization of the origin of the event stream's final URL (i.e., the URL after redirects)".
    // A slice of the URL where it starts with its origin (http(s) without credentials): the string
    // the URL's origin getter builds keeps a copy of the whole URL alive while the body is read.
    const finalUrl = response.url || url
    const origin = originOf(finalUrl)
    return {reader, origin: finalUrl.indexOf(origin) ? origin : finalUrl.slice(0, origin.length)}
  }

  protected networkError(cause: unknown): Outcome {
    // [non-spec] the watchdog dropped a silent attempt: reconnect.
    const reason: unknown = this.#controller?.signal.reason
    if (reason instanceof InactivityTimeoutError) return {error: reason, isRetryable: true}
    return networkOutcome(this.#request.url, cause)
  }

  /** The outcome of a fetch that rejected before any response: a network error, unless retrying is futile. */
  async #fetchFailed(cause: unknown, headers: Headers, fetchImpl: FetchLike, signal: AbortSignal): Promise<Outcome> {
    // [non-spec] a fetch (your own, say) that threw instead of returning a promise sent nothing.
    if (isSynchronousRefusal(cause)) return refused(this.#request.url, cause)
    const outcome = this.networkError(cause)
    if (!outcome.isRetryable || signal.aborted) return outcome
    // [non-spec] what this runtime tells beyond a network error: a refused header value (server
    // build), a CORS refusal (browser build). Either fails every retry the same way.
    const error = await classifyFailure(cause, this.#request.url, headers, fetchImpl, this.#options.credentials, signal)
    return error ? {error, isRetryable: false} : outcome
  }

  /** [non-spec] inactivityTimeout: (re)starts the countdown that drops a silent attempt, or stops it. */
  protected kick(isRunning: boolean): void {
    const {inactivityTimeout} = this.#options
    if (inactivityTimeout === 0) return
    clearTimeout(this.#timer)
    this.#timer = isRunning ? setTimeout(() => this.#abort(new InactivityTimeoutError(inactivityTimeout, this.#request.url)), inactivityTimeout) : undefined
  }

  /** Aborts the current attempt: its fetch, and its body read even when a custom fetch ignores the signal. */
  #abort(reason?: unknown): void {
    this.#controller?.abort(reason)
    this.#reader?.cancel().catch(ignore)
  }

  /**
   * Connects again once `start`'s callback fires, or at once when close() ends the wait (the
   * connection then stops). `start` returns the function that stops waiting.
   */
  #sleep(start: (done: () => void) => () => void): void {
    let stop = ignore
    const done = (): void => {
      stop()
      this.#stop = undefined
      this.#connect()
    }
    this.#stop = done
    stop = start(done)
  }

  /** Releases what the current attempt holds (at its end, or at close() even if a custom fetch never settles). */
  #release(): void {
    const stop = this.#stop
    this.#stop = undefined
    stop?.()
    this.kick(false)
    this.#abort()
    this.#controller = this.#reader = undefined
  }

  #shutdown(error: EventSourceError | undefined): void {
    this.#release()
    this.#detachSignal?.()
    this.#detachSignal = undefined
    this.endTaps(error)
  }


}
