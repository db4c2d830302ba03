// [spec] URL standard, host parser of a special URL: "Let domain be the result of running UTF-8
// decode without BOM on the percent-decoding of input", then domain to ASCII, which fails if the
// result contains a forbidden domain code point (whatwg/url#459, #589, #685; WPT urltestdata
// "Encoded forbidden host codepoints in special URLs"). Node's, Deno's and Bun's URL fail there;
// Chromium's lets some through percent-encoded (`http://a b/` becomes `http://a%20b/`), so the host
// the platform parsed is checked again, the same way in every runtime.

// [spec] "A forbidden domain code point is a forbidden host code point, a C0 control, U+0025 (%), or
// U+007F DELETE"; forbidden host code points: NUL, TAB, LF, CR, space, # / : < > ? @ [ \ ] ^ |.
export const FORBIDDEN_DOMAIN_CODE_POINT = /[\0-\x20#%/:<>?@[\\\]^|\x7f]/
// [spec] the special schemes, whose host is a domain or an IP address (or empty, for "file").
const SPECIAL_SCHEME = /^(?:https?|wss?|ftp|file):$/

/** Whether the host of `url` (already parsed by the platform) is failure by the URL standard. */
export function hasForbiddenHost({protocol, hostname}: URL): boolean {
  // An IPv6 literal was checked by the IPv6 parser; an opaque host (other schemes) allows `%`.
  if (!SPECIAL_SCHEME.test(protocol) || hostname.startsWith('[')) return false
  try {
    // [spec] "Let domain be the result of running UTF-8 decode without BOM on the percent-decoding of input."
    return FORBIDDEN_DOMAIN_CODE_POINT.test(decodeURIComponent(hostname))
  } catch {
    // A malformed escape leaves a `%` in the domain, invalid UTF-8 is failure: either way, failure.
    return true
  }
}
