// What windows and workers need: the build under the `browser` export condition. The same names as
// src/core/server.ts, which has what the server runtimes need instead.
import {ignore} from './body.js'
import {isCorsRefusal} from './cors.js'
import {CorsError, type EventSourceError} from './errors.js'
import type {FetchLike, NormalizedOptions} from './options.js'
import type {RedirectedRequest} from './redirect.js'
import type {UrlCredentials} from './userinfo.js'
import {isSuspended, watchSuspend, whenResumed} from './lifecycle.js'
import {isHidden, visibilityDocument, watchVisibility} from './visibility.js'
import {watchWindowStop} from './window-stop.js'

/** [non-spec] The build: "browser" here, "server" in the default build. */
export const BUILD = 'browser'

/** Dispatches `event` at `target` (a browser's EventTarget never calls `on<type>` properties itself). */
export function dispatch(target: EventTarget, event: Event): void {
  target.dispatchEvent(event)
}

/** Never: only workerd's EventTarget reads `on<type>` itself (see src/core/handlers.ts). */
export function isHandlerHidden(_target: EventTarget, _type: string): boolean {
  return false
}

/**
 * Takes the userinfo off `url` (see src/core/userinfo.ts). A browser sends no request to a URL with
 * a user or password (the connection fails first), so there is no challenge to answer with them.
 */
export function takeUserinfo(url: string): {url: string; credentials: UrlCredentials | undefined} {
  try {
    const parsed = new URL(url)
    if (parsed.username !== '' || parsed.password !== '') {
      parsed.username = parsed.password = ''
      return {url: parsed.href, credentials: {url: parsed.href, authorization: ''}}
    }
  } catch {
    // Not a URL: nothing to take off.
  }
  return {url, credentials: undefined}
}

/** [spec] "Fetch request" for one attempt: the browser's fetch follows redirects itself. */
export function fetchAttempt(fetchImpl: FetchLike, _isCustomFetch: boolean, request: RedirectedRequest, init: RequestInit): Promise<Response> {
  return fetchImpl(request.url, init)
}

/**
 * [spec] "...unless the user agent knows that to be futile, in which case the user agent may fail
 * the connection": a server that answers but refuses CORS (fetch rejects that with a TypeError).
 * @returns a CorsError, or undefined for a network error
 */
export async function classifyFailure(
  cause: unknown,
  url: string,
  _headers: Headers,
  fetchImpl: FetchLike,
  credentials: RequestCredentials,
  signal: AbortSignal,
): Promise<EventSourceError | undefined> {
  return cause instanceof TypeError && (await isCorsRefusal(url, fetchImpl, credentials, signal)) ? new CorsError(url, cause) : undefined
}

export {offlineMark, wentOffline} from './lifecycle.js'

/**
 * What holds an attempt before it starts: [non-spec] pauseWhenHidden sends nothing while the page is
 * hidden, the attempt starts once it is visible; a frozen page, or one in the back/forward cache,
 * holds no connection: it connects again (with Last-Event-ID) once it is resumed or shown
 * (src/core/lifecycle.ts).
 */
export function holdAttempt(options: NormalizedOptions): ((done: () => void) => () => void) | undefined {
  const document = options.pauseWhenHidden ? visibilityDocument() : undefined
  if (document && isHidden(document)) return (done) => watchVisibility(document, false, done)
  return isSuspended() ? whenResumed : undefined
}

/**
 * Watches an attempt in flight: [non-spec] pauseWhenHidden calls `pause` when the page becomes
 * hidden, and so does a page that freezes or enters the back/forward cache (src/core/lifecycle.ts):
 * the stream is paused, not failed, and opens again once it reconnects; [spec] window.stop() aborts
 * the fetch ("If res is an aborted network error, then fail the connection"), which calls `stop`.
 * @returns what stops watching
 */
export function watchAttempt(options: NormalizedOptions, pause: () => void, stop: () => void): () => void {
  const document = options.pauseWhenHidden ? visibilityDocument() : undefined
  const stopWatchingVisibility = document ? watchVisibility(document, true, pause) : ignore
  const stopWatchingLifecycle = watchSuspend(pause)
  const stopWatchingWindow = watchWindowStop(stop)
  return () => {
    stopWatchingVisibility()
    stopWatchingLifecycle()
    stopWatchingWindow()
  }
}

/** [non-spec] The network coming back (`online`) ends a reconnection wait at once. */
export function watchWait(done: () => void): () => void {
  const scope = globalThis as Partial<EventTarget>
  scope.addEventListener?.('online', done)
  return () => scope.removeEventListener?.('online', done)
}
