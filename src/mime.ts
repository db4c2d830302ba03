const TOKEN = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+"

/** An HTTP token (RFC 9110): method names, MIME types and subtypes. */
export const HTTP_TOKEN = new RegExp(`^${TOKEN}$`)

// [spec] Fetch "getting, decoding, and splitting": the values of a combined header are separated by
// commas outside quoted strings (a backslash escapes the next character; an unclosed quote runs to
// the end). Empty values are left out: they never parse as a MIME type.
const HEADER_VALUE = /(?:"(?:\\[^]|[^"\\])*"?|[^,"])+/g

// [spec] MIME Sniffing "parse a MIME type", reduced to what the essence needs: leading HTTP
// whitespace is removed; the type is the token before "/"; the subtype is the token after it, up to
// ";" or the end, trailing HTTP whitespace removed.
const MIME_TYPE = new RegExp(`^[\\t\\n\\r ]*(${TOKEN}/${TOKEN})[\\t\\n\\r ]*(?:;|$)`)

/**
 * [spec] Fetch "extract a MIME type", returning only the essence (`type/subtype`, lowercase),
 * or `null` for failure. The last valid value that is not `*\/*` wins.
 */
export function extractMimeEssence(contentType: string | null): string | null {
  let essence: string | null = null
  for (const [value] of contentType?.matchAll(HEADER_VALUE) ?? []) {
    const parsed = MIME_TYPE.exec(value)?.[1]?.toLowerCase()
    if (parsed && parsed !== '*/*') essence = parsed
  }
  return essence
}
