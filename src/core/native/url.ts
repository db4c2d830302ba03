// [non-spec] The `URL` of the react-native build, wherever the core parses one (the EventSource URL
// check, origins, the scheme of a failed request). React Native's global `URL` is never used: it
// accepts anything (`new URL('not a url')` does not throw) and resolves relative URLs wrongly
// (`new URL('/x', 'https://h/a/b')` gives `https://h/a/b/x`). This parser follows the URL standard
// for what an event stream needs: absolute http(s) URLs in full (scheme, userinfo, host, port, path,
// query, fragment, with the standard's percent-encoding and dot segments), a relative one against
// an http(s) base, and any other scheme kept as written (its request fails, as fetch would fail it).
// Hosts: ./url-host.ts (it does not map hosts through the full IDNA table, only lowercasing then
// Punycode).
import {parseHost} from './url-host.js'

const DEFAULT_PORTS: Record<string, string> = {'http:': '80', 'https:': '443'}
// [spec] a scheme: an ASCII alpha, then ASCII alphanumerics, "+", "-", ".".
const SCHEME = /^([a-zA-Z][a-zA-Z\d+.-]*):/
// [spec] "remove any leading and trailing C0 control or space", "remove all ASCII tab or newline".
const OUTER_C0_OR_SPACE = /^[\0-\x20]+|[\0-\x20]+$/g
const TAB_OR_NEWLINE = /[\t\n\r]/g
const SLASH = /[/\\]/
// [spec] the percent-encode sets (beyond the C0 control percent-encode set, which every set has).
const FRAGMENT_SET = ' "<>`'
const SPECIAL_QUERY_SET = ' "#<>\''
const PATH_SET = ' "#<>?^`{}'
const USERINFO_SET = ' "#<>?^`{}/:;=@[\\]|'
const DOT_SEGMENT = /^(?:\.|%2e)$/i
const DOUBLE_DOT_SEGMENT = /^(?:\.|%2e)(?:\.|%2e)$/i

/** [spec] "UTF-8 percent-encode" each code point of `text` that is in the C0 control set or `set`. */
function percentEncode(text: string, set: string): string {
  let encoded = ''
  for (const char of text) {
    const code = char.charCodeAt(0)
    if (code > 0x20 && code < 0x7f && !set.includes(char)) encoded += char
    else if (code < 0x80) encoded += `%${code.toString(16).toUpperCase().padStart(2, '0')}`
    else {
      try {
        encoded += encodeURIComponent(char)
      } catch {
        // A lone surrogate: a USVString has U+FFFD there.
        encoded += '%EF%BF%BD'
      }
    }
  }
  return encoded
}

/** [spec] the path of a special URL: segments split at "/" or "\", dot segments resolved, each percent-encoded. */
function parsePath(input: string): string {
  const segments: string[] = []
  const parts = input === '' ? [''] : input.slice(1).split(SLASH)
  parts.forEach((part, i) => {
    const isLast = i === parts.length - 1
    if (DOUBLE_DOT_SEGMENT.test(part)) {
      segments.pop()
      if (isLast) segments.push('')
    } else if (DOT_SEGMENT.test(part)) {
      if (isLast) segments.push('')
    } else segments.push(percentEncode(part, PATH_SET))
  })
  return `/${segments.join('/')}`
}

/**
 * [spec] URL standard, "URL parser" and "URL serializer", for what an event stream needs (see the
 * top of this file): throws a TypeError where the standard returns failure, as `new URL()` does.
 */
export class URL {
  #protocol = ''
  #username = ''
  #password = ''
  #hostname = ''
  #port = ''
  // The path of an http(s) URL; for another scheme, everything after the scheme, as written.
  #path = ''
  #query: string | undefined
  #fragment: string | undefined

  constructor(url: string | URL, base?: string | URL) {
    let input = `${url}`.replace(OUTER_C0_OR_SPACE, '').replace(TAB_OR_NEWLINE, '')
    const scheme = SCHEME.exec(input)?.[1]?.toLowerCase()
    const baseURL = base === undefined ? undefined : new URL(base)
    if (baseURL && (scheme === undefined || (scheme === baseURL.#protocol.slice(0, -1) && !SLASH.test(input.charAt(scheme.length + 1))))) {
      if (!(baseURL.#protocol in DEFAULT_PORTS)) throw new TypeError(`Invalid URL: ${input}`)
      input = baseURL.#resolve(scheme === undefined ? input : input.slice(scheme.length + 1))
    } else if (scheme === undefined) throw new TypeError(`Invalid URL: ${input}`)
    this.#parse(input)
  }

  /** The absolute URL string that `reference` (relative, without a scheme) names against this http(s) URL. */
  #resolve(reference: string): string {
    const origin = `${this.#protocol}//${this.#authority()}`
    if (/^[/\\]{2}/.test(reference)) return `${this.#protocol}${reference}`
    if (SLASH.test(reference.charAt(0))) return `${origin}${reference}`
    const query = this.#query === undefined ? '' : `?${this.#query}`
    if (reference === '' || reference.startsWith('#')) return `${origin}${this.#path}${query}${reference}`
    if (reference.startsWith('?')) return `${origin}${this.#path}${reference}`
    return `${origin}${this.#path.replace(/[^/]*$/, '')}${reference}`
  }

  #parse(input: string): void {
    const scheme = (SCHEME.exec(input) as RegExpExecArray)[0]
    this.#protocol = scheme.toLowerCase()
    let rest = input.slice(scheme.length)
    if (!(this.#protocol in DEFAULT_PORTS)) {
      this.#path = rest
      return
    }
    const hash = rest.indexOf('#')
    if (hash >= 0) {
      this.#fragment = percentEncode(rest.slice(hash + 1), FRAGMENT_SET)
      rest = rest.slice(0, hash)
    }
    const question = rest.indexOf('?')
    if (question >= 0) {
      this.#query = percentEncode(rest.slice(question + 1), SPECIAL_QUERY_SET)
      rest = rest.slice(0, question)
    }
    // [spec] "special authority ignore slashes state": any slashes, then the authority up to the path.
    rest = rest.replace(/^[/\\]*/, '')
    const pathStart = rest.search(SLASH)
    const authority = pathStart < 0 ? rest : rest.slice(0, pathStart)
    this.#path = parsePath(pathStart < 0 ? '' : rest.slice(pathStart))
    const at = authority.lastIndexOf('@')
    if (at >= 0) {
      const userinfo = authority.slice(0, at)
      const colon = userinfo.indexOf(':')
      this.#username = percentEncode(colon < 0 ? userinfo : userinfo.slice(0, colon), USERINFO_SET)
      this.#password = colon < 0 ? '' : percentEncode(userinfo.slice(colon + 1), USERINFO_SET)
    }
    const hostAndPort = authority.slice(at + 1)
    const portStart = hostAndPort.startsWith('[') ? hostAndPort.indexOf(']:') + 1 || -1 : hostAndPort.indexOf(':')
    const port = portStart < 0 ? '' : hostAndPort.slice(portStart + 1)
    // [spec] a special URL's host is never empty.
    this.#hostname = parseHost(portStart < 0 ? hostAndPort : hostAndPort.slice(0, portStart))
    if (port !== '') {
      if (!/^\d+$/.test(port) || Number(port) > 65535) throw new TypeError(`Invalid URL port: ${port}`)
      // [spec] the scheme's default port is no port.
      this.#port = `${Number(port)}` === DEFAULT_PORTS[this.#protocol] ? '' : `${Number(port)}`
    }
  }

  #authority(): string {
    const credentials = this.#username !== '' || this.#password !== '' ? `${this.#username}${this.#password === '' ? '' : `:${this.#password}`}@` : ''
    return `${credentials}${this.host}`
  }

  /** [spec] the URL serializer. */
  get href(): string {
    const fragment = this.#fragment === undefined ? '' : `#${this.#fragment}`
    if (!(this.#protocol in DEFAULT_PORTS)) return `${this.#protocol}${this.#path}`
    return `${this.#protocol}//${this.#authority()}${this.#path}${this.#query === undefined ? '' : `?${this.#query}`}${fragment}`
  }

  /** [spec] the serialization of the URL's origin: scheme, host and port for http(s), else "null". */
  get origin(): string {
    return this.#protocol in DEFAULT_PORTS ? `${this.#protocol}//${this.host}` : 'null'
  }

  get protocol(): string {
    return this.#protocol
  }

  get username(): string {
    return this.#username
  }

  set username(value: string) {
    if (this.#hostname !== '') this.#username = percentEncode(value, USERINFO_SET)
  }

  get password(): string {
    return this.#password
  }

  set password(value: string) {
    if (this.#hostname !== '') this.#password = percentEncode(value, USERINFO_SET)
  }

  get host(): string {
    return this.#port === '' ? this.#hostname : `${this.#hostname}:${this.#port}`
  }

  get hostname(): string {
    return this.#hostname
  }

  toString(): string {
    return this.href
  }

  /**
   * `value instanceof URL` in the react-native build (fetch-event-source asks it of its input): true
   * for the URLs of this parser and for the platform's, which the app may hand over. By prototype, not
   * by a private field: Babel's class transform (React Native's preset before Hermes V1) asks
   * `this instanceof URL` in the constructor, before the fields exist.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    const PlatformURL: unknown = globalThis.URL
    if (typeof value !== 'object' || value === null) return false
    return Object.prototype.isPrototypeOf.call(URL.prototype, value) || (typeof PlatformURL === 'function' && PlatformURL !== URL && value instanceof PlatformURL)
  }
}
