// Routes for e2e/shared.spec.ts: `/shared/ticks?id=<run>` is a replaying feed, one event every
// `tick` ms (default 40) with the sequence number as its id. Every stream of a run follows the same
// sequence, which starts at the run's first request: a request with `Last-Event-ID: n` gets n + 1, n + 2, …
// (what it missed, then live), one without gets the live events from now on. `/shared/stats?id=<run>`
// reports the run's open streams and every request (its Last-Event-ID, whether it is still open).

import {EVENT_STREAM_HEADERS, formatEvent} from '../../dist/server.js'

// A stream ends by itself after this long, so no response outlives a test.
const HOLD_LIMIT_MS = 30_000
// Drop runs nobody asked about for this long.
const RUN_TTL_MS = 10 * 60_000

/** @type {Map<string, {startedAt: number, tickMs: number, open: number, requests: object[], touchedAt: number}>} */
const runs = new Map()

setInterval(() => {
  for (const [id, run] of runs) if (Date.now() - run.touchedAt > RUN_TTL_MS) runs.delete(id)
}, 60_000).unref()

function runFor(id, tickMs) {
  let run = runs.get(id)
  if (!run) {
    run = {startedAt: Date.now(), tickMs, open: 0, requests: [], touchedAt: Date.now()}
    runs.set(id, run)
  }
  run.touchedAt = Date.now()
  return run
}

function ticks(req, res, run, cacheControl) {
  const current = () => Math.floor((Date.now() - run.startedAt) / run.tickMs)
  const header = req.headers['last-event-id']
  const resumeAfter = typeof header === 'string' && /^\d{1,9}$/.test(header) ? Number(header) : undefined
  let next = resumeAfter === undefined ? current() + 1 : resumeAfter + 1
  const entry = {lastEventId: header ?? null, at: Date.now() - run.startedAt, open: true, tab: req.headers['x-tab'] ?? null}
  run.requests.push(entry)
  run.open += 1
  // `?cache=no-cache` (e2e/lifecycle.spec.ts): Chromium keeps no page in its back/forward cache
  // once a script of it received a `no-store` response.
  res.writeHead(200, {...EVENT_STREAM_HEADERS, 'Cache-Control': cacheControl})
  res.write(formatEvent({retry: 50}))
  const flush = () => {
    let chunk = ''
    for (const now = current(); next <= now; next += 1) chunk += formatEvent({id: String(next), data: `tick ${next}`})
    if (chunk) res.write(chunk)
  }
  const timer = setInterval(flush, run.tickMs)
  const limit = setTimeout(() => res.end(), HOLD_LIMIT_MS)
  res.on('close', () => {
    clearInterval(timer)
    clearTimeout(limit)
    entry.open = false
    run.open -= 1
  })
}

/** Handles a request under /shared/; returns false for any other path. */
export function handleSharedRoute(req, res, url) {
  if (!url.pathname.startsWith('/shared/')) return false
  const id = url.searchParams.get('id')
  if (!id) {
    res.writeHead(400, {'Content-Type': 'text/plain'})
    res.end('missing ?id=')
    return true
  }
  const run = runFor(id, Number(url.searchParams.get('tick') ?? 40))
  if (url.pathname === '/shared/ticks') {
    ticks(req, res, run, url.searchParams.get('cache') === 'no-cache' ? 'no-cache' : 'no-store')
  } else if (url.pathname === '/shared/status') {
    // A failing stream: the status and body of ?status=, for the error tests.
    res.writeHead(Number(url.searchParams.get('status') ?? 500), {'Content-Type': 'text/plain', 'X-Reason': 'test'})
    res.end('shared stream refused')
  } else {
    res.writeHead(200, {'Content-Type': 'application/json', 'Cache-Control': 'no-store'})
    res.end(JSON.stringify({open: run.open, requests: run.requests}))
  }
  return true
}
