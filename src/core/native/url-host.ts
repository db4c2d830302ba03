// [spec] URL standard, "host parser" for the special schemes, as the react-native build's URL
// parser (./url.ts) needs it: an IPv6 literal (checked, kept as written), an IPv4 address (in any of
// the forms the standard accepts, serialized dotted), or a domain, lowercased, each non-ASCII label
// Punycode-encoded (RFC 3492; the full IDNA mapping table is not applied).
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

/** [spec] "host parser" for a special scheme: an IPv6 literal, an IPv4 address or an ASCII domain; throws on failure. */
export function parseHost(input: string): string {
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

