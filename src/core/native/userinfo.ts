// [spec] The user and password of an EventSource URL (`http://user:pass@host/`), in React Native:
// taken off the request and sent only to answer a 401 from that URL, as the server build does (see
// src/core/userinfo.ts). React Native's XMLHttpRequest would hand them to the native stack, where
// iOS and Android differ; and its `URL` cannot take them off (its getters are regular expressions,
// it has no setters), so they are found in the string: the URL's authority up to its last `@`.
import {percentDecodeToBytes, type UrlCredentials, withoutFragment} from '../userinfo.js'

// An absolute URL's scheme and `//`, then its authority (up to `/`, `?`, `#`, or `\`, which special schemes read as `/`).
const AUTHORITY = /^([a-z][a-z\d+.-]*:\/\/)([^/?#\\]*)/i

/**
 * Takes the userinfo off `url`: the URL a request may go to, and the credentials it carried
 * (`undefined` when it carried none, or is not an absolute URL).
 */
export function takeUserinfo(url: string): {url: string; credentials: UrlCredentials | undefined} {
  const match = AUTHORITY.exec(url)
  const authority = match?.[2] ?? ''
  const at = authority.lastIndexOf('@')
  if (match === null || at < 0) return {url, credentials: undefined}
  const bare = `${match[1]}${authority.slice(at + 1)}${url.slice(match[0].length)}`
  const userinfo = authority.slice(0, at)
  const colon = userinfo.indexOf(':')
  const username = colon < 0 ? userinfo : userinfo.slice(0, colon)
  const password = colon < 0 ? '' : userinfo.slice(colon + 1)
  // [spec] URL "includes credentials": a username or a password that is not the empty string.
  if (username === '' && password === '') return {url: bare, credentials: undefined}
  // The bytes of `user:password` as the URL parser would percent-encode them, decoded (RFC 7617, UTF-8).
  const authorization = `Basic ${btoa(`${percentDecodeToBytes(username)}:${percentDecodeToBytes(password)}`)}`
  return {url: bare, credentials: {url: withoutFragment(bare), authorization}}
}
