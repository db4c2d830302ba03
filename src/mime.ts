/** An HTTP token (RFC 9110): method names, MIME types and subtypes. */
export const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

// [spec] Fetch "getting, decoding, and splitting": the values of a combined header are separated by
// commas outside quoted strings (a backslash escapes the next character inside one; an unterminated
// quote runs to the end). Empty values are left out: they never hold a MIME type.
const HEADER_VALUE = /(?:"(?:\\[\s\S]|[^"\\])*"?|[^,"])+/g
// [spec] MIME Sniffing "parse a MIME type", reduced to what the essence needs: leading HTTP
// whitespace, a type token, "/", a subtype token, then HTTP whitespace up to ";" or the end.
const ESSENCE = /^[\t\n\r ]*([!#$%&'*+\-.^_`|~0-9A-Za-z]+\/[!#$%&'*+\-.^_`|~0-9A-Za-z]+)[\t\n\r ]*(?:;|$)/

/**
 * [spec] Fetch "extract a MIME type", returning only the essence (`type/subtype`, lowercase),
 * or `null` for failure. The last valid value that is not `*\/*` wins.
 */
export function extractMimeEssence(contentType: string | null): string | null {
  let essence: string | null = null
  for (const value of contentType?.match(HEADER_VALUE) ?? []) {
    const parsed = ESSENCE.exec(value)?.[1]?.toLowerCase()
    if (parsed !== undefined && parsed !== '*/*') essence = parsed
  }
  return essence
}
