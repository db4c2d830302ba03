// An HTTP token (RFC 9110) is [\w!#$%&'*+.^`|~-]+ (\w being [0-9A-Za-z_]), spelled out in each
// pattern below: a regular expression literal is free of side effects, so a bundle that does not
// use one leaves it out (a `new RegExp(...)` at module level stays in every bundle).

/** An HTTP token (RFC 9110): method names. */
export const HTTP_TOKEN = /^[\w!#$%&'*+.^`|~-]+$/

// [spec] Fetch "getting, decoding, and splitting" and MIME Sniffing "parse a MIME type", reduced to
// what the essence needs, in one pass over the header. The values of a combined header are separated
// by commas outside quoted strings (a backslash escapes the next character; an unclosed quote runs to
// the end). Of each value, leading HTTP whitespace is removed; the type is the token before "/"; the
// subtype is the token after it, up to ";" or the end of the value, trailing HTTP whitespace removed:
// the group captures it, or nothing when the value is not a MIME type.
const MIME_TYPES = /(?:^|,)[\t\n\r ]*(?:([\w!#$%&'*+.^`|~-]+\/[\w!#$%&'*+.^`|~-]+)(?=[\t\n\r ]*(?:[;,]|$)))?(?:"(?:\\[^]|[^"\\])*"?|[^,"])*/g

/**
 * [spec] Fetch "extract a MIME type", returning only the essence (`type/subtype`, lowercase),
 * or `null` for failure. The last valid value that is not `*\/*` wins.
 */
export function extractMimeEssence(contentType: string | null): string | null {
  let essence: string | null = null
  for (const [, parsed] of contentType?.matchAll(MIME_TYPES) ?? []) {
    if (parsed && parsed !== '*/*') essence = parsed.toLowerCase()
  }
  return essence
}
