// [spec] URL standard, "host parser" for the special schemes, as the react-native build's URL
// parser (./url.ts) needs it: an IPv6 address (serialized as the standard does: compressed), an IPv4
// address (in any of the forms the standard accepts, serialized dotted), or a domain, lowercased,
// each non-ASCII label Punycode-encoded (RFC 3492; the IDNA mapping table in part: NFKC and
// lowercasing; no bidi or joiner rules).
import {FORBIDDEN_DOMAIN_CODE_POINT} from '../host.js'

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

// [spec] "IPv4 in IPv6": four decimal numbers from 0 to 255, without leading zeros.
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)'
const IPV4_IN_IPV6 = new RegExp(`^(?:${OCTET}\\.){3}${OCTET}$`)

/** [spec] "IPv6 parser" of the text between the brackets, then "IPv6 serializer", in brackets; throws on failure. */
function parseIPv6(text: string): string {
  const fail = (): never => {
    throw new TypeError('Invalid IPv6 address')
  }
  const colon = text.lastIndexOf(':')
  if (text.includes('.')) {
    // The last two pieces written as an IPv4 address: as two pieces in hexadecimal.
    const ipv4 = text.slice(colon + 1)
    if (colon < 0 || !IPV4_IN_IPV6.test(ipv4)) fail()
    const [a, b, c, d] = ipv4.split('.').map(Number) as [number, number, number, number]
    text = `${text.slice(0, colon + 1)}${(a * 256 + b).toString(16)}:${(c * 256 + d).toString(16)}`
  }
  // [spec] at most one "::" (compress), each piece one to four hex digits, eight pieces in all.
  const [head = '', tail, ...more] = text.split('::')
  const [before, after] = [head, tail ?? ''].map((half) => (half === '' ? [] : half.split(':'))) as [string[], string[]]
  const count = before.length + after.length
  if (more.length > 0 || [...before, ...after].some((piece) => !/^[\da-f]{1,4}$/i.test(piece)) || (tail === undefined ? count !== 8 : count > 7)) fail()
  const pieces = [...before, ...Array<string>(8 - count).fill('0'), ...after].map((piece) => Number.parseInt(piece, 16))
  // [spec] "compress": the first longest run of two or more zero pieces, written "::".
  let compress = -1
  let longest = 1
  for (let index = 0, run = 0; index < 8; index++) {
    run = pieces[index] === 0 ? run + 1 : 0
    if (run > longest) [compress, longest] = [index - run + 1, run]
  }
  let output = ''
  for (let index = 0; index < 8; index++) {
    if (index === compress) {
      output += index === 0 ? '::' : ':'
      index += longest - 1
    } else output += (pieces[index] as number).toString(16) + (index < 7 ? ':' : '')
  }
  return `[${output}]`
}

/** [spec] "host parser" for a special scheme: an IPv6 address, an IPv4 address or an ASCII domain; throws on failure. */
export function parseHost(input: string): string {
  if (input.startsWith('[')) {
    if (!input.endsWith(']')) throw new TypeError('Invalid IPv6 address')
    return parseIPv6(input.slice(1, -1))
  }
  let domain: string
  try {
    // [spec] "UTF-8 decode without BOM" of the percent-decoded input (invalid UTF-8 is failure here).
    domain = decodeURIComponent(input)
  } catch {
    throw new TypeError('Invalid host')
  }
  // [spec] UTS #46 mapping, in part: compatibility forms (full-width letters, a full-width "%"
  // or an ideographic space, both then forbidden) and case folded by NFKC and lowercasing (the code
  // points it maps to nothing, a soft hyphen say, are kept).
  const ascii = domain
    .normalize('NFKC')
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

