// What the server runtimes need (Node, Deno, Bun, workerd): the build under the `default` and
// `workerd` export conditions, which also works in a browser (each step checks what it needs).
// src/core/browser.ts exports the same names for windows and workers; src/core/platform.ts picks one.
import {RequestInitError} from './errors.js'
import {refusedHeader} from './field-value.js'
import {ignore} from './body.js'
import type {EventSourceError} from './errors.js'
import {EventSourceErrorEvent} from './events.js'
import type {FetchLike, NormalizedOptions} from './options.js'
import {canSeeRedirects, fetchFollowingRedirects, isGetOrHead, type RedirectedRequest} from './redirect.js'
import {fetchEventStream} from './request.js'
import {answerChallenge, type UrlCredentials} from './userinfo.js'

export {dispatchHidingHandler as dispatch, isHandlerHidden} from './handlers.js'
export {takeUserinfo} from './userinfo.js'

// [non-spec] Node's console.log shows the fields of an error event that matter instead of Event internals.
Object.defineProperty(EventSourceErrorEvent.prototype, Symbol.for('nodejs.util.inspect.custom'), {
  value(this: EventSourceErrorEvent, _depth: number, options: object, inspect: (value: unknown, options: object) => string): string {
    const {type, error, willReconnect, reconnectDelay} = this
    return `EventSourceErrorEvent ${inspect({type, error, willReconnect, reconnectDelay}, options)}`
  },
  configurable: true,
})

/** [non-spec] The build: "server" here, "browser" in the browser build (on `EventSource[Symbol.for('eventsource-kit.build')]`). */
export const BUILD = 'server'

/**
 * [spec] "Fetch request" for one attempt. [non-spec] A fetch that rejects the `cache` field (workerd
 * before 2024-11-11) gets the request without it; where fetch can show them (not in a window), the
 * redirects of a method that a redirect may change are followed by hand (src/core/redirect.ts), to learn
 * what each did to the request, reported to `onRedirect`; [spec] a 401 to the URL that carried a user
 * and password (`credentials`) is answered once with them (src/core/userinfo.ts).
 */
export async function fetchAttempt(
  fetchImpl: FetchLike,
  isCustomFetch: boolean,
  request: RedirectedRequest,
  init: RequestInit & {headers: Headers},
  onRedirect: (request: RedirectedRequest) => void,
  credentials: UrlCredentials | undefined,
  _source?: {readonly lastEventId: string},
): Promise<Response> {
  const send = (target: string, requestInit: RequestInit): Promise<Response> => fetchEventStream(fetchImpl, target, requestInit)
  let response: Response
  if (isGetOrHead(request.method) || isCustomFetch || !canSeeRedirects()) response = await send(request.url, init)
  else {
    init.redirect = 'manual'
    response = await fetchFollowingRedirects(send, request, init, onRedirect)
  }
  // [spec] a 401 to the URL that carried a user and password is answered once with them.
  return answerChallenge(response, credentials, {request, init, send, onRedirect})
}

/**
 * [non-spec] What a fetch that rejected before any response tells beyond a network error: a header
 * value this runtime's fetch refuses (say, a last event ID with a control character in Node, whose
 * fetch enforces RFC 9110) fails every retry the same way, before a byte is sent.
 * @returns the error that fails the connection, or undefined for a network error
 */
export async function classifyFailure(
  cause: unknown,
  _url: string,
  headers: Headers,
  _fetchImpl: FetchLike,
  _credentials: RequestCredentials,
  _signal: AbortSignal,
): Promise<EventSourceError | undefined> {
  const header = refusedHeader(headers, cause)
  return header ? new RequestInitError(`EventSource: fetch will not send the control characters of ${header}`, cause) : undefined
}

/** [non-spec] The network's state now, for {@link wentOffline} (in the browser build, `offline` events counted). */
export function offlineMark(): number {
  return 0
}

/** [non-spec] Whether the network went away since `mark` (the browser build asks the browser); never here. */
export function wentOffline(_mark: number): boolean {
  return false
}

/** [non-spec] What holds an attempt before it starts (a hidden page, in the browser build): nothing here. */
export function holdAttempt(_options: NormalizedOptions): ((done: () => void) => () => void) | undefined {
  return undefined
}

/**
 * [non-spec] Watches an attempt in flight for what ends it from outside the loop (in the browser
 * build: a page that becomes hidden calls `pause`, `window.stop()` calls `stop`); nothing here.
 * @returns what stops watching
 */
export function watchAttempt(_options: NormalizedOptions, _pause: () => void, _stop: () => void): () => void {
  return ignore
}

/** [non-spec] What ends a reconnection wait early (in the browser build: the network coming back); nothing here. */
export function watchWait(_done: () => void): () => void {
  return ignore
}
