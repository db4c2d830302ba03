// A Fetch header value may hold any byte but NUL, CR and LF (and no leading or trailing space or
// tab), so a last event ID with a C0 control or DEL is one: Chromium and Bun send it. The fetch of
// Node (undici) and Deno enforce RFC 9110's stricter field-value instead and reject the request
// before a byte is sent ("invalid last-event-id header", "failed to parse header value"): every
// retry would fail the same way.

// Bytes outside RFC 9110 field-value (VCHAR, obs-text, SP, HTAB) that a Fetch header value may hold.
// eslint-disable-next-line no-control-regex -- control characters are what this matches
const NOT_FIELD_VALUE = /[\0-\x08\n-\x1f\x7f]/

function mentionsHeader(error: unknown): boolean {
  for (let depth = 0; depth < 3 && error instanceof Error; depth++, error = error.cause) if (/header/i.test(error.message)) return true
  return false
}

/**
 * The header (`name: "value"`) the rejected fetch refused to send, or `undefined` when the rejection
 * is not about a header value (it then is a network error: offline, or a CORS refusal).
 */
export function refusedHeader(headers: Headers, cause: unknown): string | undefined {
  if (!mentionsHeader(cause)) return undefined
  for (const [name, value] of headers) if (NOT_FIELD_VALUE.test(value)) return `${name}: ${JSON.stringify(value)}`
  return undefined
}
