// What React Native needs: the build under the `react-native` export condition (`vite build --mode
// react-native` puts this module in place of src/core/platform.ts). The same names as
// src/core/server.ts and src/core/browser.ts. Without a `fetch` option the stream comes over
// XMLHttpRequest (src/core/native/xhr.ts): React Native's global fetch waits for the end of the
// response and gives no body stream, so it is never used for the stream.
import {ignore} from '../body.js'
import {EventSourceError} from '../errors.js'
import {extractMimeEssence} from '../mime.js'
import type {FetchLike, NormalizedOptions} from '../options.js'
import type {RedirectedRequest} from '../redirect.js'
import {fetchEventStream} from '../request.js'
import {answerChallenge, type UrlCredentials} from '../userinfo.js'
import {isInBackground, watchAppState} from './app-state.js'
import {fetchOverXhr, type LastEventIdSource} from './xhr.js'

// React Native's EventTarget (0.86 and later) does not call `on<type>` properties itself, nor does
// the build's fallback; the handler-hiding dispatch finds that out once, as in the server build.
export {dispatchHidingHandler as dispatch, isHandlerHidden} from '../handlers.js'
// [spec] The user and password of the URL are taken off every request and sent only to answer a 401
// from that URL (see fetchAttempt), as in the server build: React Native's XMLHttpRequest would hand
// them to the native stack, where iOS and Android differ. (The build's URL parser, src/core/native/url.ts, parses them.)
export {takeUserinfo} from '../userinfo.js'

/** [non-spec] The build: "react-native" here, "server" in the default build, "browser" in the browser build. */
export const BUILD = 'react-native'

// The errors fetchAttempt() throws for a `fetch` option whose response cannot be read (see classifyFailure()).
const unreadable = new WeakSet<object>()

/**
 * [spec] "Fetch request" for one attempt. [non-spec] Without a `fetch` option: over XMLHttpRequest,
 * which follows redirects itself, with `source`'s last event ID for the renewal of a long stream; a
 * `fetch` option (`fetch` from `expo/fetch`, say) is called as in the other builds, and its response
 * must have a readable body (anything with `getReader()`, even where `ReadableStream` is not a
 * global). [spec] A 401 to the URL that carried a user and password is answered once with them.
 */
export async function fetchAttempt(
  fetchImpl: FetchLike,
  isCustomFetch: boolean,
  request: RedirectedRequest,
  init: RequestInit & {headers: Headers},
  onRedirect: (request: RedirectedRequest) => void,
  credentials: UrlCredentials | undefined,
  source?: LastEventIdSource,
): Promise<Response> {
  const send = isCustomFetch
    ? (target: string, requestInit: RequestInit): Promise<Response> => fetchEventStream(fetchImpl, target, requestInit).then(readable)
    : (target: string, requestInit: RequestInit): Promise<Response> => fetchOverXhr(target, requestInit as RequestInit & {headers: Headers}, source)
  const response = await send(request.url, init)
  // [spec] a 401 to the URL that carried a user and password is answered once with them.
  return answerChallenge(response, credentials, {request, init, send, onRedirect})
}

/**
 * [non-spec] A response of the `fetch` option that would be read must have a body with
 * `getReader()`; React Native's own fetch gives none (it buffers the whole response), so the
 * connection fails with an error that says which fetch to pass. Any other response is checked by
 * the loop as usual (a status other than 200, another Content-Type), without its body if it has no
 * readable one.
 */
function readable(response: Response): Response {
  const body = response.body as Partial<ReadableStream> | null | undefined
  if (typeof body?.getReader === 'function') return response
  const isStream = response.status === 200 && extractMimeEssence(response.headers.get('content-type')) === 'text/event-stream'
  if (isStream) {
    const error = new EventSourceError(
      "EventSource: the response of the `fetch` option has no readable body (React Native's own fetch buffers the whole response); pass `fetch` from 'expo/fetch', or no `fetch` to read the stream over XMLHttpRequest",
    )
    unreadable.add(error)
    throw error
  }
  const {status, statusText, headers, url, redirected} = response
  return {status, statusText, headers, url, redirected, ok: response.ok, body: null} as Response
}

/**
 * [non-spec] What a request that failed before any response tells beyond a network error: a
 * `fetch` option whose response has no readable body fails every attempt alike.
 * @returns the error that fails the connection, or undefined for a network error
 */
export async function classifyFailure(cause: unknown): Promise<EventSourceError | undefined> {
  return typeof cause === 'object' && cause !== null && unreadable.has(cause) ? (cause as EventSourceError) : undefined
}

/** [non-spec] The network's state now, for {@link wentOffline}: not watched in React Native. */
export function offlineMark(): number {
  return 0
}

/** [non-spec] Whether the network went away since `mark`: never known here. */
export function wentOffline(_mark: number): boolean {
  return false
}

/**
 * What holds an attempt before it starts: [non-spec] with pauseWhenHidden, an app in the background
 * sends nothing; the attempt starts (with Last-Event-ID) once the app is `active` again.
 */
export function holdAttempt(options: NormalizedOptions): ((done: () => void) => () => void) | undefined {
  return options.pauseWhenHidden && isInBackground() ? (done) => watchAppState('active', done) : undefined
}

/**
 * Watches an attempt in flight: [non-spec] with pauseWhenHidden, an app that goes to the background
 * calls `pause`: the stream is paused, not failed (readyState CONNECTING, no error event), and opens
 * again once the app is `active`. Nothing calls `stop` (there is no window.stop()).
 * @returns what stops watching (removes the AppState subscription)
 */
export function watchAttempt(options: NormalizedOptions, pause: () => void, _stop: () => void): () => void {
  return options.pauseWhenHidden ? watchAppState('background', pause) : ignore
}

/** [non-spec] What ends a reconnection wait early: nothing here. */
export function watchWait(_done: () => void): () => void {
  return ignore
}
