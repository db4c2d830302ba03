import type {NormalizedOptions, RequestContext} from './options.js'
import {type RedirectedRequest, removeRedirectedHeaders} from './redirect.js'

const ACCEPTS_EVENT_STREAM = /(?:^|,)[\t ]*text\/event-stream[\t ]*(?:[;,]|$)/i

/** Header values are byte strings: encode the ID as UTF-8 and carry each byte in one code unit. */
export function toUtf8ByteString(value: string): string {
  let bytes = ''
  for (const byte of new TextEncoder().encode(value)) bytes += String.fromCharCode(byte)
  return bytes
}

/** Builds the standard `Accept` value, letting a user-set `Accept` extend it but never drop it. */
function acceptValue(userAccept: string | null): string {
  if (!userAccept) return 'text/event-stream'
  return ACCEPTS_EVENT_STREAM.test(userAccept) ? userAccept : `text/event-stream, ${userAccept}`
}

/** The options one request is built from. */
export type RequestOptions = Pick<NormalizedOptions, 'method' | 'headers' | 'body' | 'credentials'>

/**
 * Builds the fetch init for one attempt: user headers (a function is called now), then the
 * standard headers on top, and a fresh copy of every other field; `request` is the source's
 * request as redirects left it (by default: as the options say).
 */
export async function createRequestInit(
  options: RequestOptions,
  context: RequestContext,
  signal: AbortSignal,
  request: Pick<RedirectedRequest, 'method' | 'hasCrossedOrigin'> = {method: options.method, hasCrossedOrigin: false},
): Promise<RequestInit & {headers: Headers}> {
  const userHeaders = typeof options.headers === 'function' ? await options.headers(context) : options.headers
  const headers = new Headers(userHeaders)
  const {method} = request
  const hasBody = method === options.method
  // [spec] the request fetched again is the one redirects changed: without the body's headers once
  // a redirect made it a GET, and without the headers a redirect to another origin removed. A
  // headers function decides for itself: it knows context.url and context.isOriginalOrigin.
  removeRedirectedHeaders(headers, !hasBody, request.hasCrossedOrigin && typeof options.headers !== 'function')
  // [spec] "User agents may set (`Accept`, `text/event-stream`) in request's header list."
  headers.set('accept', acceptValue(headers.get('accept')))
  // [spec] "If the EventSource object's last event ID string is not the empty string, set
  // (`Last-Event-ID`, last event ID string, encoded as UTF-8) in request's header list."
  headers.delete('last-event-id')
  if (context.lastEventId !== '') headers.set('last-event-id', toUtf8ByteString(context.lastEventId))
  const init: RequestInit & {headers: Headers} = {
    method,
    headers,
    // [spec] "Set request's cache mode to "no-store"."
    cache: 'no-store',
    // [spec] potential-CORS request: mode "cors"; credentials "include" for Use Credentials, else "same-origin".
    mode: 'cors',
    credentials: options.credentials,
    redirect: 'follow',
    signal,
  }
  // [non-spec] a request body, re-sent as-is on every attempt until a redirect drops it
  if (options.body !== undefined && hasBody) init.body = options.body as BodyInit
  return init
}

/**
 * Why the platform's fetch would refuse to build a request from `url` and `init` before sending
 * anything (the TypeError of its `Request` constructor: a body on a GET, a bad method, a URL with
 * credentials...), or `undefined` when it would build it. Such a request fails the same way on
 * every attempt, so it is no network error to retry.
 */
export function refusalOf(url: string, init: RequestInit): unknown {
  if (typeof Request !== 'function') return undefined
  try {
    // Without the signal: a Request follows its signal for as long as it lives.
    new Request(url, {...init, signal: null})
    return undefined
  } catch (error) {
    // A fetch that rejects the `cache` field gets the request without it (fetchEventStream).
    return /'cache' field/.test(error as string) ? undefined : error
  }
}

// The errors a fetch threw synchronously (see isSynchronousRefusal()).
const thrownSynchronously = new WeakSet<object>()

/** True for an error that a fetch threw instead of returning a promise: it refused the request before any network activity. */
export function isSynchronousRefusal(error: unknown): boolean {
  return typeof error === 'object' && error !== null && thrownSynchronously.has(error)
}

// [non-spec] The fetch implementations seen to reject the `cache` field: workerd before compatibility
// date 2024-11-11 ("The 'cache' field on 'RequestInitializerDict' is not implemented"; a rejected
// promise, or a synchronous throw at the oldest dates).
const rejectsCacheField = new WeakSet<object>()

/**
 * Calls `fetchImpl` with `init`. A fetch that rejects the standard `cache` field is remembered and
 * called again without it: once for this request, and never with the field again.
 */
export async function fetchEventStream<Input>(fetchImpl: (input: Input, init: RequestInit) => Promise<Response>, input: Input, init: RequestInit): Promise<Response> {
  if (rejectsCacheField.has(fetchImpl)) delete init.cache
  try {
    let pending: Promise<Response>
    try {
      pending = fetchImpl(input, init)
    } catch (error) {
      // A fetch that throws instead of returning a promise refused the request before sending it.
      if (typeof error === 'object' && error !== null) thrownSynchronously.add(error)
      throw error
    }
    return await pending
  } catch (error) {
    // (test() reads the error as a string: "Error: The 'cache' field on ...".)
    if (!init.cache || !/'cache' field/.test(error as string)) throw error
    rejectsCacheField.add(fetchImpl)
    return fetchEventStream(fetchImpl, input, init)
  }
}
