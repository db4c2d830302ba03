/**
 * `eventsource-kit/fetch-event-source`: the `fetchEventSource` function of `@microsoft/fetch-event-source`
 * (same signature, callbacks and meanings) on this library's decoder and request code, with the
 * original's known defects fixed. Migrating is one changed import.
 * @packageDocumentation
 */
import {discard, readSnippet} from '../core/body.js'
import {createEventStreamDecoder} from '../core/decode.js'
// A chunk of its own in dist/, shared with the main entry: `instanceof HttpError` works across both.
import {ContentTypeError, HttpError, MaxEventSizeError} from '../core/errors.js'
import {extractMimeEssence} from '../core/mime.js'
import {DEFAULT_MAX_EVENT_SIZE} from '../core/options.js'
import {createRequestInit, fetchEventStream, type RequestOptions} from '../core/request.js'
import {streamingFetch} from '../core/stream-fetch.js'
import {isHidden, visibilityDocument, watchHidden, whenVisible} from '../core/visibility.js'

/** The Content-Type of an event stream, as the original exports it. */
export const EventStreamContentType = 'text/event-stream'

/**
 * One event, as `onmessage` receives it: the block's own `id` field (`''` without one), its `event`
 * field (`''` for the default type), its data, and its `retry` field when it had one.
 */
export interface EventSourceMessage {
  /** The block's `id` field, or `''` when it had none. */
  id: string
  /** The block's `event` field, or `''` for the default type ("message"). */
  event: string
  /** The data lines, joined with "\n". */
  data: string
  /** The reconnection time in ms set by a `retry` field since the previous event, if any. */
  retry?: number
}

/**
 * The second argument of {@link fetchEventSource}: every `RequestInit` field plus the callbacks.
 *
 * @example
 * ```ts
 * const init: FetchEventSourceInit = {method: 'POST', body: '{}', onmessage: (message) => console.log(message.data)}
 * ```
 */
export interface FetchEventSourceInit extends RequestInit {
  /** Request headers, a plain object (as in the original); `Last-Event-ID` seeds the first request. */
  headers?: Record<string, string>
  /**
   * Called with each response before its body is read; throw to reject it (the error goes to `onerror`).
   * @defaultValue a check that the response is OK and `text/event-stream`
   */
  onopen?: ((response: Response) => Promise<void>) | undefined
  /** Called for every event, whatever its type. */
  onmessage?: ((message: EventSourceMessage) => void) | undefined
  /** Called when the server ends the stream; `fetchEventSource` then resolves (throw to reconnect instead). */
  onclose?: (() => void) | undefined
  /**
   * Called with every error: return a delay in ms (or nothing, for the current reconnection time) to
   * retry, or throw to stop: `fetchEventSource` rejects with what it threw.
   */
  onerror?: ((error: any) => number | null | undefined | void) | undefined // eslint-disable-line @typescript-eslint/no-explicit-any
  /**
   * Keep the stream open while the page is hidden; when false, a GET stream is closed while the page
   * is hidden and reopened (with `Last-Event-ID`) when it is visible again.
   * @defaultValue false
   */
  openWhenHidden?: boolean | undefined
  /**
   * The fetch implementation.
   * @defaultValue globalThis.fetch, looked up at each attempt
   */
  fetch?: typeof fetch | undefined
}

// The original's default reconnection time.
const DEFAULT_RETRY_INTERVAL_MS = 1000
// The abort reason when a hidden page closes the stream.
const PAUSED = Symbol('paused while the page is hidden')

/** Client errors that retrying the same request cannot fix (408 Request Timeout and 429 Too Many Requests can). */
function isFatalStatus(status: number | undefined): boolean {
  return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429
}

function urlOf(input: string | URL | Request): string {
  if (typeof input === 'string') return input
  return input instanceof URL ? input.href : input.url
}

/** The original's `onopen` default, with the status checked too: an error status fails with its body. */
async function defaultOnOpen(response: Response): Promise<void> {
  if (!response.ok) throw new HttpError(response, response.url, await readSnippet(response.body))
  const contentType = response.headers.get('content-type')
  if (extractMimeEssence(contentType) !== EventStreamContentType) {
    discard(response.body)
    throw new ContentTypeError(contentType, response.url)
  }
}

// The longest delay a timer can wait; a longer one would fire at once (and retry in a tight loop).
const MAX_DELAY_MS = 2 ** 31 - 1

/** Resolves after `ms` (at most what a timer can wait; not a number or negative: 0), or at once when `signal` aborts. */
function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    // [fix] a huge `retry:` or onerror delay: the original passed it to setTimeout, which overflows to 1 ms.
    const timer = setTimeout(done, ms >= 0 ? Math.min(ms, MAX_DELAY_MS) : 0)
    signal.addEventListener('abort', done)
  })
}

/** Reads `body` to its end, calling `onmessage` for each event; returns false when stopped first. */
async function readEvents(
  body: ReadableStream<Uint8Array>,
  url: string,
  signal: AbortSignal,
  state: {lastEventId: string; retryIntervalMs: number},
  onmessage: ((message: EventSourceMessage) => void) | undefined,
): Promise<boolean> {
  const queue: EventSourceMessage[] = []
  let retry: number | undefined
  const feed = createEventStreamDecoder(
    DEFAULT_MAX_EVENT_SIZE,
    (type, data, id) => {
      const message: EventSourceMessage = {id: id ?? '', event: type === 'message' ? '' : type, data}
      if (retry !== undefined) message.retry = retry
      retry = undefined
      queue.push(message)
    },
    // [spec] the last event ID string lasts until another id field changes it; an empty one clears it.
    (id) => {
      state.lastEventId = id
    },
    (ms) => {
      state.retryIntervalMs = ms
      retry = ms
    },
  )
  const reader = body.getReader()
  const cancel = (): void => void reader.cancel().catch(() => {})
  signal.addEventListener('abort', cancel)
  try {
    for (;;) {
      const {done, value} = await reader.read()
      if (signal.aborted) return false
      if (done) return true
      const fits = feed(value)
      for (const message of queue) {
        if (signal.aborted) return false
        onmessage?.(message)
      }
      queue.length = 0
      if (!fits) throw new MaxEventSizeError(DEFAULT_MAX_EVENT_SIZE, url)
    }
  } finally {
    signal.removeEventListener('abort', cancel)
    cancel()
  }
}

/**
 * Streams server-sent events from `input` with fetch, exactly as `@microsoft/fetch-event-source` does
 * (same options and callbacks), until the server ends the stream, `signal` aborts, or `onerror` throws.
 *
 * @returns a promise that resolves when the stream ended (`onclose`), on abort, or after a 204, and
 *   rejects with what `onerror` threw, or with the error of a request that cannot succeed (a 4xx other
 *   than 408 and 429) when `onerror` did not return a delay
 * @example
 * ```ts
 * import {fetchEventSource} from 'eventsource-kit/fetch-event-source'
 *
 * await fetchEventSource('/chat', {
 *   method: 'POST',
 *   headers: {'Content-Type': 'application/json'},
 *   body: JSON.stringify({prompt}),
 *   onmessage: (message) => console.log(message.event, message.data),
 * })
 * ```
 */
export function fetchEventSource(input: string | URL | Request, init: FetchEventSourceInit = {}): Promise<void> {
  const {signal, headers, onopen = defaultOnOpen, onmessage, onclose, onerror, openWhenHidden = false, fetch: fetchOption, ...rest} = init
  // [fix] An already-aborted signal: the original sent the request anyway.
  if (signal?.aborted) return Promise.resolve()
  const url = urlOf(input)
  const stop = new AbortController()
  // Header names are case-insensitive: a `Last-Event-ID` given by the caller seeds the first request.
  let userHeaders: Headers
  try {
    userHeaders = new Headers(headers)
  } catch (error) {
    // [fix] A bad header name or value rejects at once: the original retried it every second, forever.
    return Promise.reject(error)
  }
  const state = {lastEventId: userHeaders.get('last-event-id') ?? '', retryIntervalMs: DEFAULT_RETRY_INTERVAL_MS}
  const requestOptions: RequestOptions = {method: rest.method ?? 'GET', headers: userHeaders, body: undefined, credentials: rest.credentials ?? 'same-origin'}
  // [fix] Only a GET (or HEAD) stream closes while the page is hidden: the original re-sent every
  // request, a POST included, each time the page became visible.
  const isSafeMethod = /^(?:GET|HEAD)$/i.test(requestOptions.method)
  const document = !openWhenHidden && isSafeMethod ? visibilityDocument() : undefined
  let attempts = 0

  /** One request: resolves true when done for good (ended or 204), false when paused or stopped. */
  async function attempt(attemptSignal: AbortSignal, status: {value: number | undefined}): Promise<boolean> {
    const base = await createRequestInit(requestOptions, {attempt: ++attempts, lastEventId: state.lastEventId, url, isOriginalOrigin: true}, attemptSignal)
    // The original's init: the caller's RequestInit fields, with headers as a plain object (custom
    // fetch functions spread it) carrying Accept and, [spec] when set, Last-Event-ID.
    const requestInit: RequestInit = {...base, ...rest, headers: Object.fromEntries(base.headers as Headers), signal: attemptSignal}
    // [non-spec] Through fetchEventStream: a fetch that rejects the `cache` field (old workerd) still gets the
    // request. Without a `fetch` option: the global fetch ([non-spec] XMLHttpRequest in the react-native build).
    const response = await fetchEventStream(fetchOption ?? (streamingFetch(state) as typeof fetch), input, requestInit)
    status.value = response.status
    // [fix] [spec] 204 No Content tells the client not to reconnect: the original retried every second forever.
    if (response.status === 204) {
      discard(response.body)
      return true
    }
    await onopen(response)
    if (attemptSignal.aborted) return false
    if (response.body !== null && !(await readEvents(response.body, url, attemptSignal, state, onmessage))) return false
    onclose?.()
    return true
  }

  async function run(): Promise<void> {
    while (!stop.signal.aborted) {
      if (document && isHidden(document)) {
        await whenVisible(document, stop.signal)
        continue
      }
      const controller = new AbortController()
      const abort = (): void => controller.abort(stop.signal.reason)
      stop.signal.addEventListener('abort', abort)
      const stopWatching = document ? watchHidden(document, () => controller.abort(PAUSED)) : undefined
      const status: {value: number | undefined} = {value: undefined}
      try {
        if (await attempt(controller.signal, status)) return
        continue
      } catch (error) {
        if (stop.signal.aborted) return
        if (controller.signal.reason === PAUSED) continue
        // The original: onerror's delay, else the reconnection time; a throw rejects (below).
        const delayMs = onerror?.(error)
        // [fix] A request that cannot succeed fails unless onerror asked for a retry: the original retried a 401 forever.
        if (isFatalStatus(status.value) && (delayMs === undefined || delayMs === null)) throw error
        await wait(delayMs ?? state.retryIntervalMs, stop.signal)
      } finally {
        stopWatching?.()
        stop.signal.removeEventListener('abort', abort)
        controller.abort()
      }
    }
  }

  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      stop.abort(signal?.reason)
      resolve()
    }
    signal?.addEventListener('abort', onAbort)
    run().then(
      () => {
        signal?.removeEventListener('abort', onAbort)
        stop.abort()
        resolve()
      },
      (error: unknown) => {
        signal?.removeEventListener('abort', onAbort)
        stop.abort()
        reject(error)
      },
    )
  })
}
