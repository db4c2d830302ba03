import {discard} from './body.js'
import {fetchFollowingRedirects, type RedirectedRequest} from './redirect.js'

// [spec] HTML lets an EventSource URL carry a user and password (`http://user:pass@host/`), and
// Fetch's "HTTP-network-or-cache fetch" uses them: the request goes without them, and a 401 to the
// URL that carries them is answered once, with the URL "converted to an `Authorization` value".
// fetch() itself refuses such a URL ("Request cannot be constructed from a URL that includes
// credentials"), so the source takes them off and answers the challenge itself.

/** The credentials a URL carried, and the URL (without them and without its fragment) they belong to. */
export interface UrlCredentials {
  /** The URL the credentials were taken from, without userinfo and fragment: no other URL gets them. */
  readonly url: string
  /** [spec] the URL "converted to an `Authorization` value": `Basic base64(user:password)`. */
  readonly authorization: string
}

/** [spec] URL "percent-decode": each `%XX` becomes its byte; the result as a byte string (one code unit per byte). */
function percentDecodeToBytes(value: string): string {
  let bytes = ''
  for (const byte of new TextEncoder().encode(value)) bytes += String.fromCharCode(byte)
  return bytes.replace(/%([0-9A-Fa-f]{2})/g, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
}

export const withoutFragment = (url: string): string => url.replace(/#.*$/, '')

/**
 * Takes the userinfo off `url`: the URL a request may go to, and the credentials it carried
 * (`undefined` when it carried none, or does not parse).
 */
export function takeUserinfo(url: string): {url: string; credentials: UrlCredentials | undefined} {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return {url, credentials: undefined}
  }
  // [spec] URL "includes credentials": a username or a password that is not the empty string.
  if (parsed.username === '' && parsed.password === '') return {url, credentials: undefined}
  // The URL's username and password are percent-encoded UTF-8: decoded to bytes, they are the
  // UTF-8 bytes of `user:password` that Basic authentication sends (RFC 7617 with charset UTF-8).
  const authorization = `Basic ${btoa(`${percentDecodeToBytes(parsed.username)}:${percentDecodeToBytes(parsed.password)}`)}`
  parsed.username = ''
  parsed.password = ''
  return {url: parsed.href, credentials: {url: withoutFragment(parsed.href), authorization}}
}

/** True when a `WWW-Authenticate` value offers the Basic scheme (`Basic realm="x"`, maybe among others). */
function offersBasic(challenge: string | null): boolean {
  return challenge !== null && /(?:^|,)[\t ]*basic(?:[\t ]|,|$)/i.test(challenge)
}

/** What answering a challenge needs from the attempt: its request, its fetch init and how to send it. */
export interface Challenged {
  readonly request: RedirectedRequest
  readonly init: RequestInit & {headers: Headers}
  readonly send: (url: string, init: RequestInit) => Promise<Response>
  /** Reports each redirect the answer followed (see fetchFollowingRedirects). */
  readonly onRedirect: (request: RedirectedRequest) => void
}

/**
 * [spec] Fetch "HTTP-network-or-cache fetch" step 14 for a URL with credentials: a 401 from that
 * URL is answered once more with `Authorization` from them, when the credentials mode allows it,
 * no `Authorization` was set by the caller and the server offers Basic ([non-spec] a challenge of
 * another scheme gets no password). Redirects of the answer are followed by hand, so that only the
 * URL that carried the credentials ever gets them. Resolves with `response` when it is not such a 401.
 */
export async function answerChallenge(response: Response, credentials: UrlCredentials | undefined, attempt: Challenged): Promise<Response> {
  const {request, init} = attempt
  if (
    credentials === undefined ||
    response.status !== 401 ||
    withoutFragment(response.url || request.url) !== credentials.url ||
    init.credentials === 'omit' ||
    init.headers.has('authorization') ||
    !offersBasic(response.headers.get('www-authenticate'))
  ) {
    return response
  }
  discard(response.body)
  init.headers.set('authorization', credentials.authorization)
  init.redirect = 'manual'
  const sendToCredentialedUrlOnly = (url: string, hopInit: RequestInit): Promise<Response> => {
    // Fetch adds the Authorization to one request of the URL, never to a redirect's target.
    if (withoutFragment(url) !== credentials.url) init.headers.delete('authorization')
    return attempt.send(url, hopInit)
  }
  return fetchFollowingRedirects(sendToCredentialedUrlOnly, request, init, attempt.onRedirect)
}
