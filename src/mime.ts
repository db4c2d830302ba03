/** An HTTP token (RFC 9110): method names, MIME types and subtypes. */
export const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const HTTP_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g

/** [spec] Fetch "getting, decoding, and splitting": split a combined header value on commas outside quoted strings. */
function splitHeaderValue(value: string): string[] {
  const values: string[] = []
  let current = ''
  let isQuoted = false
  for (let i = 0; i < value.length; i++) {
    const char = value[i]
    if (isQuoted && char === '\\' && i + 1 < value.length) {
      current += char + value[++i]
    } else if (char === '"') {
      isQuoted = !isQuoted
      current += char
    } else if (char === ',' && !isQuoted) {
      values.push(current.replace(HTTP_WHITESPACE, ''))
      current = ''
    } else {
      current += char
    }
  }
  values.push(current.replace(HTTP_WHITESPACE, ''))
  return values
}

/** [spec] MIME Sniffing "parse a MIME type", reduced to what the essence needs. */
function parseEssence(value: string): string | null {
  const input = value.replace(HTTP_WHITESPACE, '')
  const slash = input.indexOf('/')
  if (slash === -1) return null
  const type = input.slice(0, slash)
  const semicolon = input.indexOf(';', slash)
  const subtype = input.slice(slash + 1, semicolon === -1 ? undefined : semicolon).replace(HTTP_WHITESPACE, '')
  if (!HTTP_TOKEN.test(type) || !HTTP_TOKEN.test(subtype)) return null
  return `${type}/${subtype}`.toLowerCase()
}

/**
 * [spec] Fetch "extract a MIME type", returning only the essence (`type/subtype`, lowercase),
 * or `null` for failure. The last valid value that is not `*\/*` wins.
 */
export function extractMimeEssence(contentType: string | null): string | null {
  if (contentType === null) return null
  let essence: string | null = null
  for (const value of splitHeaderValue(contentType)) {
    const parsed = parseEssence(value)
    if (parsed !== null && parsed !== '*/*') essence = parsed
  }
  return essence
}
