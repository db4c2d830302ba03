import type {BodyOption, ReplayableBody, RequestContext} from './options.js'
import {isGetOrHead} from './redirect.js'
import {invalidOption} from './validate.js'

// The request body's checks, apart from the other options: the connection runs them on what a body
// function returns before each attempt.

function copyFormData(source: FormData): FormData {
  const copy = new FormData()
  for (const [name, value] of source) copy.append(name, value)
  return copy
}

/**
 * Validates a body and snapshots a mutable one; a function (at construction only) is kept as is.
 * @throws TypeError for a body a GET or HEAD request cannot have, or one that cannot be re-sent
 */
export function normalizeBody(value: unknown, method: string, isFunctionAllowed = false): BodyOption | undefined {
  if (value === undefined || value === null) return undefined
  if (isGetOrHead(method)) throw invalidOption('body', `absent for method ${method.toUpperCase()}`, typeof value)
  if (isFunctionAllowed && typeof value === 'function') return value as BodyOption
  // Snapshot mutable bodies: every attempt must send the bytes the caller passed at construction.
  if (typeof value === 'string') return value
  if (typeof Blob === 'function' && value instanceof Blob) return value
  if (value instanceof URLSearchParams) return new URLSearchParams(value)
  if (typeof FormData === 'function' && value instanceof FormData) return copyFormData(value)
  if (value instanceof ArrayBuffer) return value.slice(0)
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice()
  const kind =
    typeof ReadableStream === 'function' && value instanceof ReadableStream
      ? 'a ReadableStream (it cannot be re-sent on reconnect)'
      : typeof value
  throw invalidOption('body', 'a string, URLSearchParams, FormData, Blob, ArrayBuffer or ArrayBufferView', kind)
}

/**
 * [non-spec] The body of one attempt: a body function is called now, and what it returns is checked
 * like a static body.
 * @throws whatever the function throws, or a TypeError for a body that cannot be sent
 */
export async function bodyForAttempt(body: BodyOption | undefined, method: string, context: RequestContext): Promise<ReplayableBody | undefined> {
  return typeof body === 'function' ? (normalizeBody(await body(context), method) as ReplayableBody | undefined) : body
}
