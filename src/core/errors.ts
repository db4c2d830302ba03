/**
 * Base class of every error that eventsource-kit reports on an `error` event.
 *
 * @example
 * ```ts
 * source.onerror = (event) => {
 *   if (event.error instanceof EventSourceError) console.warn(event.error.message)
 * }
 * ```
 */
export class EventSourceError extends Error {
  override name = 'EventSourceError'
}

/**
 * The server answered with a status other than 200, so the connection failed.
 *
 * @example
 * ```ts
 * if (event.error instanceof HttpError && event.error.status === 401) refreshLogin()
 * ```
 */
export class HttpError extends EventSourceError {
  override name = 'HttpError'
  /** The HTTP status code of the response. */
  declare readonly status: number
  /** The HTTP status text of the response (often empty over HTTP/2). */
  declare readonly statusText: string
  /** The response headers. */
  declare readonly headers: Headers
  /** The first 1 KiB of the response body as text, or `undefined` when it could not be read in time. */
  declare readonly body: string | undefined

  constructor(response: Response, url: string, body?: string) {
    super(`Unexpected status ${response.status}${response.statusText ? ` ${response.statusText}` : ''} from ${url}`)
    this.status = response.status
    this.statusText = response.statusText
    this.headers = response.headers
    this.body = body
  }
}

/**
 * The server answered 200 without a `text/event-stream` Content-Type, so the connection failed.
 *
 * @example
 * ```ts
 * if (event.error instanceof ContentTypeError) console.warn(event.error.contentType)
 * ```
 */
export class ContentTypeError extends EventSourceError {
  override name = 'ContentTypeError'
  /** The Content-Type header the server sent, or `null` when it sent none. */
  declare readonly contentType: string | null

  constructor(contentType: string | null, url: string) {
    super(`Expected Content-Type text/event-stream from ${url}, got ${contentType === null ? 'none' : JSON.stringify(contentType)}`)
    this.contentType = contentType
  }
}

// The longest cause description an error message quotes.
const MAX_CAUSE_LENGTH = 160

/**
 * A short description of an error's cause for a message: the first two messages and the first
 * `code` down its cause chain (`fetch failed: connect ECONNREFUSED 127.0.0.1:1`, `terminated:
 * other side closed (UND_ERR_SOCKET)`, `Load failed`), with any `user:password@` of a URL left out.
 */
export function describeCause(cause: unknown): string {
  const messages: string[] = []
  let code = ''
  let error = cause
  for (let depth = 0; depth < 4 && typeof error === 'object' && error !== null; depth++) {
    const {message, code: errorCode} = error as {message?: unknown; code?: unknown}
    if (typeof message === 'string' && message !== '' && messages.length < 2 && !messages.includes(message)) messages.push(message)
    if (!code && (typeof errorCode === 'string' || typeof errorCode === 'number')) code = `${errorCode}`
    error = (error as {cause?: unknown}).cause
  }
  if (typeof cause === 'string' || typeof cause === 'number') messages.push(`${cause}`)
  const joined = messages.join(': ')
  const described = code && !joined.includes(code) ? (joined ? `${joined} (${code})` : code) : joined
  // A URL's userinfo (`//user:password@`) never reaches a message.
  return described.replace(/\/\/[^/?#\s@]*@/g, '//').slice(0, MAX_CAUSE_LENGTH)
}

/**
 * The request could not be made or the response body broke off; the source reconnects. Its message
 * names the cause (`fetch failed: connect ECONNREFUSED 127.0.0.1:1`, `terminated: other side closed`, `Load failed`); `cause` is the error itself.
 *
 * @example
 * ```ts
 * if (event.error instanceof NetworkError) console.warn('offline?', event.error.cause)
 * ```
 */
export class NetworkError extends EventSourceError {
  override name = 'NetworkError'

  constructor(url: string, cause: unknown) {
    const described = describeCause(cause)
    super(`Network error while connecting to or reading from ${url}${described ? `: ${described}` : ''}`, {cause})
  }
}

/**
 * The server answered, but refused the cross-origin request by CORS, so the connection failed (in a
 * page or worker, whose `fetch` enforces CORS). A reconnection sends `Last-Event-ID`, which `fetch`
 * preflights cross-origin: the server must allow that header in its preflight too.
 *
 * @example
 * ```ts
 * if (event.error instanceof CorsError) console.error('add Access-Control-Allow-Origin on the server')
 * ```
 */
export class CorsError extends NetworkError {
  override name = 'CorsError'

  constructor(url: string, cause: unknown) {
    super(url, cause)
    this.message = `CORS refused ${url}: it needs Access-Control-Allow-Origin (and a preflight allowing Last-Event-ID)`
  }
}

/**
 * The request could not be built or sent, so the connection failed: a `headers` or `body` function
 * threw or rejected (or returned a body that cannot be sent), or the platform's `fetch` refused a
 * header value before sending it (Node's and Deno's refuse control characters, which a last event
 * ID may hold).
 *
 * @example
 * ```ts
 * if (event.error instanceof RequestInitError) console.error(event.error.cause)
 * ```
 */
export class RequestInitError extends EventSourceError {
  override name = 'RequestInitError'

  constructor(message: string, cause: unknown) {
    super(message, {cause})
  }
}

/**
 * No byte arrived for `inactivityTimeout` ms (comments count), so the attempt was dropped; the source reconnects.
 *
 * @example
 * ```ts
 * if (event.error instanceof InactivityTimeoutError) console.warn(`silent for ${event.error.timeout} ms`)
 * ```
 */
export class InactivityTimeoutError extends EventSourceError {
  override name = 'InactivityTimeoutError'
  /** The `inactivityTimeout` that passed, in ms. */
  declare readonly timeout: number

  constructor(timeout: number, url: string) {
    super(`No data from ${url} for ${timeout} ms`)
    this.timeout = timeout
  }
}

/**
 * A single line or event grew past `maxEventSize`, so the connection failed.
 *
 * @example
 * ```ts
 * if (event.error instanceof MaxEventSizeError) console.error(`event larger than ${event.error.limit}`)
 * ```
 */
export class MaxEventSizeError extends EventSourceError {
  override name = 'MaxEventSizeError'
  /** The `maxEventSize` that was exceeded. */
  declare readonly limit: number

  constructor(limit: number, url: string) {
    super(`An event or line from ${url} exceeded maxEventSize (${limit})`)
    this.limit = limit
  }
}
