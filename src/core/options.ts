import {DEFAULT_MAX_EVENT_SIZE} from './decode.js'
import type {ReconnectPolicy} from './policy.js'
import {HTTP_TOKEN} from './mime.js'
import {normalizeBody} from './request-body.js'
import {invalidOption, isCount, isMs} from './validate.js'

/** What a `headers` or `body` function receives before each attempt. */
export interface RequestContext {
  /** 1 for the first request, then one more for each reconnection. */
  readonly attempt: number
  /** The last event ID string that this attempt sends as `Last-Event-ID` (empty: none). */
  readonly lastEventId: string
  /** The serialized URL being requested: the source's URL, or where its last redirect led. */
  readonly url: string
  /**
   * Whether `url` has the origin of the URL the source was created with: false after a redirect to
   * another origin, where fetch removes `Authorization` and so do reconnections from static
   * `headers`. What a function returns is sent as returned: check this before adding a token.
   * @defaultValue true until a redirect leads to another origin
   * @example
   * ```ts
   * new EventSource(url, {headers: ({isOriginalOrigin}) => (isOriginalOrigin ? {Authorization: `Bearer ${token}`} : {})})
   * ```
   */
  readonly isOriginalOrigin: boolean
}

// `HeadersInit` and `RequestCredentials` are DOM lib names that `@types/node` does not declare globally:
// derived from globals that both declare, they are the DOM's types in a browser project and
// undici's in a Node project without the DOM lib.

/** What `new Headers(init)` accepts: a `Headers`, a record or a list of name-value pairs. */
type HeadersInit = NonNullable<ConstructorParameters<typeof Headers>[0]>

/** The `credentials` mode of a fetch request: "omit", "same-origin" or "include". */
type RequestCredentials = NonNullable<RequestInit['credentials']>

/** Any function that can stand in for the global `fetch`; called as `fetch(url, init)`. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>

/** Request bodies that can be re-sent on every attempt (streams cannot be replayed). */
export type ReplayableBody = string | URLSearchParams | FormData | Blob | ArrayBuffer | ArrayBufferView

/**
 * A request body, or a function called before every attempt that returns one (for example with a
 * provider's resume cursor taken from `context.lastEventId`).
 *
 * @example
 * ```ts
 * const body: BodyOption = ({lastEventId}) => JSON.stringify({thread, starting_after: lastEventId || undefined})
 * ```
 */
export type BodyOption = ReplayableBody | ((context: RequestContext) => ReplayableBody | null | undefined | Promise<ReplayableBody | null | undefined>)

/** Static headers, or a function called before every attempt (for example to refresh a token). */
export type HeadersOption = HeadersInit | ((context: RequestContext) => HeadersInit | Promise<HeadersInit>)

/**
 * The second argument of `new EventSource(url, init)`: the standard `withCredentials` plus the
 * request options the native EventSource lacks.
 *
 * @example
 * ```ts
 * new EventSource('/chat', {method: 'POST', body: JSON.stringify({prompt}), headers: {'Content-Type': 'application/json'}})
 * ```
 */
export interface EventSourceInit {
  /**
   * Send credentials (cookies, HTTP auth) cross-origin: the `credentials` mode becomes "include".
   * @defaultValue false
   */
  withCredentials?: boolean | undefined
  /**
   * HTTP method of every request.
   * @defaultValue 'GET'
   */
  method?: string | undefined
  /**
   * Extra request headers; a function is called before every attempt. `Accept` may only extend
   * `text/event-stream`; `Last-Event-ID` is always the library's (use `lastEventId` to seed it).
   */
  headers?: HeadersOption | undefined
  /**
   * Request body, re-sent on every attempt; a `ReadableStream` is rejected with a `TypeError`. A
   * function is called before every attempt, like a `headers` function; if it throws or rejects, or
   * returns a stream, the connection fails with a `RequestInitError`. Not allowed for GET and HEAD.
   * Once a redirect turned the request into a GET (see "Redirects" in the README), reconnections
   * send no body, as fetch did.
   */
  body?: BodyOption | null | undefined
  /**
   * The fetch implementation, called as `fetch(url, init)` for every attempt.
   * @defaultValue globalThis.fetch, looked up at each attempt
   */
  fetch?: FetchLike | undefined
  /**
   * Credentials mode; overrides the mapping from `withCredentials`.
   * @defaultValue 'include' when withCredentials, else 'same-origin'
   */
  credentials?: RequestCredentials | undefined
  /**
   * Initial last event ID string, sent as `Last-Event-ID` from the first request on.
   * @defaultValue ''
   */
  lastEventId?: string | undefined
  /** Aborting this signal closes the source, exactly like `close()`. */
  signal?: AbortSignal | undefined
  /**
   * Initial reconnection time in milliseconds, used until the server sends `retry:`.
   * @defaultValue 3000
   */
  reconnectionTime?: number | undefined
  /**
   * [non-spec] How to reconnect beyond the standard: a policy from `eventsource-kit/reconnect`
   * (`backoff()`, `retry()`) or a function of your own; without it the source reconnects after the
   * reconnection time whenever the standard says to.
   * @example
   * ```ts
   * import {backoff} from 'eventsource-kit/reconnect'
   * new EventSource(url, {reconnect: backoff({maxRetries: 10})})
   * ```
   */
  reconnect?: ReconnectPolicy | undefined
  /**
   * Milliseconds without any byte (comments count, so keep-alive comments work) before the attempt is
   * dropped and the source reconnects with an `InactivityTimeoutError`; 0 turns it off.
   * @defaultValue 0
   */
  inactivityTimeout?: number | undefined
  /**
   * Most characters buffered for one line or one event (UTF-16 code units of the decoded text, equal to
   * bytes for ASCII); past it the connection fails with a `MaxEventSizeError`.
   * @defaultValue 16 MiB (16777216)
   */
  maxEventSize?: number | undefined
  /**
   * Browsers only: drop the stream while the page is hidden and reopen it (with `Last-Event-ID`) when
   * it is visible again; nothing is sent while hidden.
   * @defaultValue false
   */
  pauseWhenHidden?: boolean | undefined
}

/** The validated, frozen form of {@link EventSourceInit} that each attempt reads. */
export interface NormalizedOptions {
  readonly withCredentials: boolean
  readonly method: string
  readonly headers: HeadersOption | undefined
  readonly body: BodyOption | undefined
  readonly fetch: FetchLike | undefined
  readonly credentials: RequestCredentials
  readonly lastEventId: string
  readonly signal: AbortSignal | undefined
  readonly reconnectionTime: number
  readonly reconnect: ReconnectPolicy | undefined
  readonly inactivityTimeout: number
  readonly maxEventSize: number
  readonly pauseWhenHidden: boolean
}

/** [spec] "A reconnection time, in milliseconds. This must initially be an implementation-defined value, probably in the region of a few seconds." */
export const DEFAULT_RECONNECTION_TIME_MS = 3000

export {DEFAULT_MAX_EVENT_SIZE}

// [spec] Fetch "forbidden method": CONNECT, TRACE and TRACK, byte-case-insensitive.
const FORBIDDEN_METHOD = /^(?:connect|trace|track)$/i
const CREDENTIALS = new Set(['omit', 'same-origin', 'include'])
// Options of 0.1 that are now eventsource-kit/reconnect's.
const MOVED_OPTIONS = ['backoff', 'maxRetries', 'retryOnStatus', 'shouldReconnect']

function normalizeMethod(value: unknown): string {
  if (value === undefined) return 'GET'
  if (typeof value !== 'string' || !HTTP_TOKEN.test(value)) throw invalidOption('method', 'an HTTP method name', value)
  if (FORBIDDEN_METHOD.test(value)) throw invalidOption('method', 'an HTTP method that fetch allows', value)
  return value
}

function normalizeHeaders(value: unknown): HeadersOption | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'function') return value as HeadersOption
  if (typeof value !== 'object') throw invalidOption('headers', 'a HeadersInit or a function', value)
  try {
    // Copy now: validates names and values, and later mutations of the caller's object do not leak in.
    return new Headers(value as HeadersInit)
  } catch (cause) {
    throw new TypeError(`EventSource: option "headers" is not a valid HeadersInit: ${(cause as Error).message}`, {cause})
  }
}

function normalizeLastEventId(value: unknown): string {
  if (value === undefined) return ''
  if (typeof value !== 'string') throw invalidOption('lastEventId', 'a string', value)
  // [spec] an id containing U+0000 is never a last event ID; CR and LF cannot be sent in a header.
  if (/[\0\r\n]/.test(value)) throw invalidOption('lastEventId', 'a string without NUL, CR or LF', value)
  return value
}

function isAbortSignal(value: unknown): value is AbortSignal {
  const candidate = value as AbortSignal | null
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.aborted === 'boolean' &&
    typeof candidate.addEventListener === 'function'
  )
}

/**
 * Validates the init dictionary once, at construction, and freezes the result.
 * @throws TypeError naming the first bad option
 */
export function normalizeOptions(init: unknown): NormalizedOptions {
  // [spec] WebIDL dictionary conversion: undefined and null are an empty dictionary; other non-objects throw.
  if (init !== undefined && init !== null && typeof init !== 'object' && typeof init !== 'function') {
    throw new TypeError('EventSource: the second argument must be an object')
  }
  const options = (init ?? {}) as Record<keyof EventSourceInit, unknown>
  // [spec] withCredentials is a WebIDL boolean: ToBoolean.
  const withCredentials = Boolean(options.withCredentials)
  const method = normalizeMethod(options.method)
  const fetchOption = options.fetch
  if (fetchOption !== undefined && typeof fetchOption !== 'function') throw invalidOption('fetch', 'a function', fetchOption)
  const credentials = options.credentials ?? (withCredentials ? 'include' : 'same-origin')
  // (Set.has is false for anything but one of the strings.)
  if (!CREDENTIALS.has(credentials as string)) throw invalidOption('credentials', '"omit", "same-origin" or "include"', credentials)
  const signal = options.signal
  if (signal !== undefined && !isAbortSignal(signal)) throw invalidOption('signal', 'an AbortSignal', signal)
  const reconnectionTime = options.reconnectionTime ?? DEFAULT_RECONNECTION_TIME_MS
  if (!isMs(reconnectionTime)) {
    throw invalidOption('reconnectionTime', 'a finite number of milliseconds >= 0', reconnectionTime)
  }
  const {reconnect} = options as EventSourceInit
  if (reconnect !== undefined && typeof reconnect !== 'function') throw invalidOption('reconnect', "a policy from 'eventsource-kit/reconnect'", reconnect)
  // [non-spec] the options that became eventsource-kit/reconnect: a clear error rather than a silent change.
  for (const name of MOVED_OPTIONS) if ((options as Record<string, unknown>)[name] !== undefined) throw new TypeError(`EventSource: option "${name}" moved to eventsource-kit/reconnect`)
  const {inactivityTimeout = 0, maxEventSize = DEFAULT_MAX_EVENT_SIZE, pauseWhenHidden = false} = options as EventSourceInit
  if (!isMs(inactivityTimeout)) throw invalidOption('inactivityTimeout', 'a finite number of milliseconds >= 0', inactivityTimeout)
  if (!isCount(maxEventSize, 1)) throw invalidOption('maxEventSize', 'a whole number > 0 or Infinity', maxEventSize)
  if (typeof pauseWhenHidden !== 'boolean') throw invalidOption('pauseWhenHidden', 'a boolean', pauseWhenHidden)
  return Object.freeze({
    withCredentials,
    method,
    headers: normalizeHeaders(options.headers),
    body: normalizeBody(options.body, method, true),
    fetch: fetchOption as FetchLike | undefined,
    credentials: credentials as RequestCredentials,
    lastEventId: normalizeLastEventId(options.lastEventId),
    signal: signal as AbortSignal | undefined,
    reconnectionTime,
    reconnect,
    inactivityTimeout,
    maxEventSize,
    pauseWhenHidden,
  })
}
