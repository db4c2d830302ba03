// Fault injection for the connection panel: POST /api/fault?client=<id>&kind=<kind> breaks that
// client's stream the way real servers and proxies do, so the page can show the source recovering.
import {requestUrl, sendJson} from './http.mjs'

/** Seconds the 503 answer asks the client to wait (Retry-After). */
const RETRY_AFTER_SECONDS = 3

/**
 * What each kind does:
 * - drop: destroy the live stream's socket mid-body (the client sees a NetworkError and reconnects);
 * - stall: keep the live stream open but send nothing more (the client's inactivityTimeout fires);
 * - 503 / 401: end the live stream and answer the client's next request with that status.
 */
const KINDS = new Set(['drop', 'stall', '503', '401'])

/** Creates the fault registry for `feed`; `route` serves /api/fault, `answer` applies pending faults. */
export function createFaults(feed) {
  /** client → the status its next /api/ticks request gets */
  const pending = new Map()

  return {
    /** POST /api/fault?client=<id>&kind=drop|stall|503|401 */
    route(req, res) {
      const url = requestUrl(req)
      const client = url.searchParams.get('client') ?? ''
      const kind = url.searchParams.get('kind') ?? ''
      if (req.method !== 'POST') return sendJson(res, 405, {error: 'use POST'}, {Allow: 'POST'})
      if (!client || !KINDS.has(kind)) return sendJson(res, 400, {error: `client and kind (${[...KINDS].join(', ')}) are required`})
      const live = feed.streamsOf(client)
      if (kind === '503' || kind === '401') {
        pending.set(client, Number(kind))
        for (const stream of live) stream.res.end()
        return sendJson(res, 202, {kind, applied: 'next request', endedStreams: live.length})
      }
      if (live.length === 0) return sendJson(res, 409, {error: 'no live stream for this client'})
      for (const stream of live) {
        if (kind === 'drop') stream.res.destroy()
        else stream.stalled = true
      }
      return sendJson(res, 202, {kind, applied: 'live stream', streams: live.length})
    },
    /** Answers the request with a pending fault for `client` and returns true, or returns false. */
    answer(client, res) {
      const status = pending.get(client)
      if (status === undefined) return false
      pending.delete(client)
      if (status === 503) {
        sendJson(res, 503, {error: 'Service restarting, try again shortly'}, {'Retry-After': String(RETRY_AFTER_SECONDS)})
      } else {
        sendJson(res, 401, {error: 'Token expired'}, {'WWW-Authenticate': 'Bearer'})
      }
      return true
    },
  }
}
