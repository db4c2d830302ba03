import {discard} from './body.js'
import {isBrowsingScope} from './scope.js'

/**
 * What fetch's redirects made of the EventSource's request. The spec's "reestablish the connection"
 * fetches the same request again, and Fetch's "HTTP-redirect fetch" changes that request in place:
 * its current URL, its method and body, and its header list. A reconnection must be that request.
 */
export interface RedirectedRequest {
  /** [spec] the request's current URL: the last redirect's target. */
  readonly url: string
  /** The method after the redirects: the source's own, or `GET` once a redirect changed it. */
  readonly method: string
  /** True once a redirect went to another origin: the headers fetch removed then stay removed. */
  readonly hasCrossedOrigin: boolean
}

// [spec] Fetch "request-body-header name": removed when a redirect drops the body.
const REQUEST_BODY_HEADER_NAMES = ['content-encoding', 'content-language', 'content-location', 'content-type']
// [spec] Fetch "CORS non-wildcard request-header name" (`Authorization`), removed on a redirect to
// another origin; server runtimes' fetch (undici) also removes the credentials a browser never lets
// code set: `Proxy-Authorization` and `Cookie`.
const CROSS_ORIGIN_REMOVED_NAMES = ['authorization', 'proxy-authorization', 'cookie']

/** The serialized origin of a URL; 'null' for a URL that has none (or does not parse). */
export function originOf(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return 'null'
  }
}

/** True for a method that no redirect changes: GET and HEAD (methods compare case-insensitively here). */
export function isGetOrHead(method: string): boolean {
  return /^(?:get|head)$/i.test(method)
}

/** Removes the headers that a redirect to GET, or to another origin, takes off the request. */
export function removeRedirectedHeaders(headers: Headers, isBodyDropped: boolean, hasCrossedOrigin: boolean): void {
  if (isBodyDropped) for (const name of REQUEST_BODY_HEADER_NAMES) headers.delete(name)
  if (hasCrossedOrigin) for (const name of CROSS_ORIGIN_REMOVED_NAMES) headers.delete(name)
}

/**
 * [spec] Fetch "HTTP-redirect fetch" steps 12 and 13, for a redirect to `url` with `status`, or
 * with an unknown status (`undefined`: fetch followed it out of sight). An unknown redirect of a
 * method other than GET or HEAD counts as one that turned it into GET: a body is never re-sent to a
 * URL that may have asked for a GET.
 */
export function redirect(request: RedirectedRequest, url: string, status?: number): RedirectedRequest {
  const {method} = request
  // `status < 303`: 301 or 302, the only redirect statuses below 303.
  const isToGet = !isGetOrHead(method) && (status === undefined || status === 303 || (status < 303 && /^post$/i.test(method)))
  return {
    url,
    method: isToGet ? 'GET' : method,
    hasCrossedOrigin: request.hasCrossedOrigin || originOf(url) !== originOf(request.url),
  }
}

/**
 * [non-spec] True where `redirect: 'manual'` shows the redirect response itself (Node, Deno, Bun and
 * other server runtimes): there the loop follows redirects and sees every status. Windows and
 * workers answer with an opaque response instead.
 */
export function canSeeRedirects(): boolean {
  return !isBrowsingScope()
}

/**
 * [spec] Fetch "HTTP-redirect fetch", done by hand for an init with `redirect: 'manual'`: follows up
 * to 20 redirects, changing `init` as fetch would and reporting each changed request to
 * `onRedirect` (fetch changes the request itself, so a network error further on leaves it changed).
 * Resolves with the final response; rejects with a TypeError where fetch returns a network error.
 */
export async function fetchFollowingRedirects(
  fetchImpl: (url: string, init: RequestInit) => Promise<Response>,
  request: RedirectedRequest,
  init: RequestInit & {headers: Headers},
  onRedirect: (request: RedirectedRequest) => void,
): Promise<Response> {
  for (let redirectCount = 0; ; redirectCount++) {
    const response = await fetchImpl(request.url, init)
    const {status} = response
    const location = response.headers.get('location')
    // [spec] only a "redirect status" (301, 302, 303, 307, 308) with a `Location` is followed.
    if (![301, 302, 303, 307, 308].includes(status) || location === null) return response
    discard(response.body)
    // [spec] "If request's redirect count is 20, then return a network error."
    if (redirectCount === 20) throw new TypeError('redirect count exceeded')
    // [spec] a Location that does not parse, or whose scheme is not HTTP(S), is a network error.
    const locationURL = new URL(location, request.url)
    if (!/^https?:$/.test(locationURL.protocol)) throw new TypeError('redirect to a URL that is not HTTP(S)')
    const next = redirect(request, locationURL.href, status)
    const isToGet = next.method !== request.method
    removeRedirectedHeaders(init.headers, isToGet, next.hasCrossedOrigin)
    if (isToGet) {
      init.method = 'GET'
      delete init.body
    }
    request = next
    onRedirect(next)
  }
}
