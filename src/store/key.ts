// The default key of a shared source: what makes two requests the same stream.
import type {EventSourceInit} from 'eventsource-kit'

// Bodies that cannot be read synchronously (Blob, FormData, binary) are keyed by identity.
const bodyIds = new WeakMap<object, number>()
let nextBodyId = 0

function bodyKey(body: EventSourceInit['body']): string {
  if (body === undefined || body === null) return ''
  if (typeof body === 'string') return `s${body}`
  if (body instanceof URLSearchParams) return `u${body}`
  let id = bodyIds.get(body)
  if (id === undefined) bodyIds.set(body, (id = ++nextBodyId))
  return `#${id}`
}

/**
 * The default key of a source: the method, the absolute URL and the body. A URL that does not parse
 * keys as written (the EventSource constructor then throws its SyntaxError when it connects).
 */
export function sourceKey(url: string | URL, init: EventSourceInit): string {
  let href = `${url}`
  // The base URL relative URLs resolve against, as in the EventSource constructor; none on a server.
  const scope = globalThis as {document?: {baseURI?: string}; location?: {href?: string}}
  try {
    href = new URL(href, scope.document?.baseURI ?? scope.location?.href).href
  } catch {
    // Keyed as written (also where reading `location` throws: Deno without --location).
  }
  return `${(init.method ?? 'GET').toUpperCase()} ${href} ${bodyKey(init.body)}`
}
