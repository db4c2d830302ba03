// [non-spec] The `URL` of the react-native build, wherever the core parses one (the EventSource URL
// check, origins, the scheme of a failed request). React Native's global `URL` is never used: it
// accepts anything (`new URL('not a url')` does not throw) and resolves relative URLs wrongly
// (`new URL('/x', 'https://h/a/b')` gives `https://h/a/b/x`). This parser follows the URL standard
// for what an event stream needs: absolute http(s) URLs in full (scheme, userinfo, host, port, path,
// query, fragment, with the standard's percent-encoding and dot segments), a relative one against
// an http(s) base, and any other scheme kept as written (its request fails, as fetch would fail it).
// It does not map hosts through the full IDNA table (only lowercasing, then Punycode) and keeps an
// IPv6 address as written (lowercased), not compressed.

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
// [spec] a forbidden domain code point (after percent-decoding the host).
const FORBIDDEN_DOMAIN_CODE_POINT = /[\0-\x20#%/:<>?@[\\\]^|\x7f]/
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

/** [spec] RFC 3492 Punycode "adapt". */
function adapt(delta: number, points: number, isFirst: boolean): number {
  delta = isFirst ? Math.floor(delta / 700) : delta >> 1
  delta += Math.floor(delta / points)
  let k = 0
  for (; delta > 455; k += 36) delta = Math.floor(delta / 35)
  return k + Math.floor((36 * delta) / (delta + 38))
}

const punycodeDigit = (digit: number): string => String.fromCharCode(digit < 26 ? 97 + digit : 22 + digit)

/** [spec] RFC 3492 Punycode encoding of a label with non-ASCII code points, with the `xn--` prefix. */
function toPunycode(label: string): string {
  const codePoints = Array.from(label, (char) => char.codePointAt(0) as number)
  let output = codePoints.filter((codePoint) => codePoint < 0x80).map((codePoint) => String.fromCharCode(codePoint)).join('')
  const basicCount = output.length
  let handled = basicCount
  if (basicCount > 0) output += '-'
  let n = 0x80
  let delta = 0
  let bias = 72
  while (handled < codePoints.length) {
    const next = Math.min(...codePoints.filter((codePoint) => codePoint >= n))
    delta += (next - n) * (handled + 1)
    n = next
    for (const codePoint of codePoints) {
      if (codePoint < n) delta++
      if (codePoint !== n) continue
      let q = delta
      for (let k = 36; ; k += 36) {
        const t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias
        if (q < t) break
        output += punycodeDigit(t + ((q - t) % (36 - t)))
        q = Math.floor((q - t) / (36 - t))
      }
      output += punycodeDigit(q)
      bias = adapt(delta, handled + 1, handled === basicCount)
      delta = 0
      handled++
    }
    delta++
    n++
  }
  return `xn--${output}`
}

/** [spec] "IPv4 number parser": decimal, octal (leading 0) or hexadecimal (0x); NaN on failure. */
function parseIPv4Number(part: string): number {
  if (/^0x[\da-f]*$/i.test(part)) return part.length === 2 ? 0 : Number.parseInt(part.slice(2), 16)
  if (/^0[0-7]+$/.test(part)) return Number.parseInt(part.slice(1), 8)
  return /^\d+$/.test(part) ? Number(part) : Number.NaN
}

/** [spec] "IPv4 parser" and "IPv4 serializer"; throws on failure. */
function parseIPv4(host: string): string {
  const parts = host.split('.')
  if (parts[parts.length - 1] === '' && parts.length > 1) parts.pop()
  const numbers = parts.map(parseIPv4Number)
  const last = numbers.length - 1
  if (numbers.length > 4 || numbers.some((number, i) => Number.isNaN(number) || (i < last && number > 255))) throw new TypeError('Invalid IPv4 address')
  if ((numbers[last] as number) >= 256 ** (5 - numbers.length)) throw new TypeError('Invalid IPv4 address')
  let address = numbers.slice(0, last).reduce((sum, number, i) => sum + number * 256 ** (3 - i), numbers[last] as number)
  const octets: number[] = []
  for (let i = 0; i < 4; i++, address = Math.floor(address / 256)) octets.unshift(address % 256)
  return octets.join('.')
}

/** [spec] "host parser" for a special scheme: an IPv6 literal, an IPv4 address or an ASCII domain; throws on failure. */
function parseHost(input: string): string {
  if (input.startsWith('[')) {
    if (!/^\[[\da-f:.]*:[\da-f:.]*\]$/i.test(input)) throw new TypeError('Invalid IPv6 address')
    return input.toLowerCase()
  }
  let domain: string
  try {
    // [spec] "UTF-8 decode without BOM" of the percent-decoded input (invalid UTF-8 is failure here).
    domain = decodeURIComponent(input)
  } catch {
    throw new TypeError('Invalid host')
  }
  const ascii = domain
    .toLowerCase()
    .split(/[.\u3002\uff0e\uff61]/)
    .map((label) => (/[^\0-\x7f]/.test(label) ? toPunycode(label) : label))
    .join('.')
  if (ascii === '' || FORBIDDEN_DOMAIN_CODE_POINT.test(ascii)) throw new TypeError('Invalid host')
  // [spec] "If asciiDomain ends in a number, then return the result of IPv4 parsing asciiDomain."
  const labels = ascii.split('.')
  const lastLabel = labels[labels.length - 1] === '' && labels.length > 1 ? labels[labels.length - 2] : labels[labels.length - 1]
  return /^(?:\d+|0x[\da-f]*)$/i.test(lastLabel as string) ? parseIPv4(ascii) : ascii
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

  get port(): string {
    return this.#port
  }

  get pathname(): string {
    return this.#protocol in DEFAULT_PORTS ? this.#path : this.#path.replace(/[?#].*$/, '')
  }

  get search(): string {
    return this.#query ? `?${this.#query}` : ''
  }

  get hash(): string {
    return this.#fragment ? `#${this.#fragment}` : ''
  }

  toString(): string {
    return this.href
  }

  toJSON(): string {
    return this.href
  }

  /**
   * `value instanceof URL` in the react-native build (fetch-event-source asks it of its input): true
   * for the URLs of this parser and for the platform's, which the app may hand over.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    const PlatformURL: unknown = globalThis.URL
    if (typeof value !== 'object' || value === null) return false
    return #protocol in value || (typeof PlatformURL === 'function' && PlatformURL !== URL && value instanceof PlatformURL)
  }

  /** [spec] URL.canParse(url, base): whether `new URL(url, base)` would not throw. */
  static canParse(url: string | URL, base?: string | URL): boolean {
    try {
      new URL(url, base)
      return true
    } catch {
      return false
    }
  }
}
