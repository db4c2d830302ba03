import type {FetchLike} from './options.js'
import {isBrowsingScope} from './scope.js'

// [spec] A failed CORS check is a network error, after which the source reestablishes the connection
// "unless the user agent knows that to be futile, in which case the user agent may fail the
// connection" (Chromium's own EventSource fails it). fetch() rejects a CORS refusal with the same
// TypeError as a lost network, so the source asks the server again without CORS: a "no-cors" fetch
// of the same URL resolves (with an opaque response) whenever the server answers at all.

// A probe the server never answers counts as unreachable: the source reconnects.
const PROBE_TIMEOUT_MS = 10_000

/**
 * [non-spec] Whether the rejected fetch of `url` was a CORS refusal: the URL is cross-origin, in a
 * window or worker, and a no-cors probe of it got a response. The probe is a GET of the same URL
 * without custom headers or body (a POST is not repeated), with the same credentials mode, aborted
 * as soon as its response arrives.
 */
export async function isCorsRefusal(url: string, fetchImpl: FetchLike, credentials: RequestCredentials, signal: AbortSignal): Promise<boolean> {
  // The origin whose fetch() enforces CORS: a window's or a worker's. Node, Deno and Bun have none
  // (their fetch has no CORS), and an opaque origin ("null") is never compared.
  const origin = isBrowsingScope() ? (globalThis as {location?: {origin?: unknown}}).location?.origin : undefined
  if (typeof origin !== 'string' || origin === 'null' || new URL(url).origin === origin) return false
  const probe = new AbortController()
  const abort = (): void => probe.abort()
  const timer = setTimeout(abort, PROBE_TIMEOUT_MS)
  signal.addEventListener('abort', abort)
  try {
    await fetchImpl(url, {mode: 'no-cors', cache: 'no-store', credentials, signal: probe.signal})
    return true
  } catch {
    return false
  } finally {
    clearTimeout(timer)
    signal.removeEventListener('abort', abort)
    abort()
  }
}
