// Serves `/sse/<scenario>/<step>?id=<run id>` from the scenario table, and `/log?id=<run id>`: every
// request one run made, in arrival order. State is keyed by the run id, so parallel tests never see
// each other's requests or attempt counts.
import {Buffer} from 'node:buffer'
import {scenarios} from './scenarios.mjs'

// A held stream ends by itself after this long, so no response outlives a test run.
const HOLD_LIMIT_MS = 30_000
// Drop runs nobody asked about for this long: the server may serve many local runs (reuseExistingServer).
const RUN_TTL_MS = 10 * 60_000

/** @type {Map<string, {requests: object[], attempts: Map<string, number>, touchedAt: number}>} */
const runs = new Map()

function runFor(id) {
  let run = runs.get(id)
  if (!run) {
    run = {requests: [], attempts: new Map(), touchedAt: Date.now()}
    runs.set(id, run)
  }
  run.touchedAt = Date.now()
  return run
}

setInterval(() => {
  for (const [id, run] of runs) if (Date.now() - run.touchedAt > RUN_TTL_MS) runs.delete(id)
}, 60_000).unref()

/** Header values arrive as Latin-1 strings of bytes; Last-Event-ID carries UTF-8. */
const fromUtf8Bytes = (value) => (value === undefined ? null : Buffer.from(value, 'latin1').toString('utf8'))

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', () => resolve(''))
  })
}

/** The CORS response headers for `mode`, or none for a same-origin request (no Origin header). */
function corsHeaders(mode, req) {
  const origin = req.headers.origin
  if (!mode || origin === undefined) return {}
  if (mode === 'wildcard') return {'Access-Control-Allow-Origin': '*'}
  // Refusals: an origin that is not the page's, or an empty one.
  if (mode === 'wrong-origin') return {'Access-Control-Allow-Origin': 'http://127.0.0.1:1'}
  if (mode === 'empty') return {'Access-Control-Allow-Origin': ''}
  const headers = {'Access-Control-Allow-Origin': origin, Vary: 'Origin'}
  if (mode === 'credentials') headers['Access-Control-Allow-Credentials'] = 'true'
  return headers
}

function preflight(mode, req, res) {
  // 'no-preflight' allows simple requests only: its preflights get no CORS headers.
  const allowed = mode && mode !== 'no-preflight'
    ? {
        ...corsHeaders(mode, req),
        'Access-Control-Allow-Methods': 'GET, POST, PUT',
        'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '',
        // No caching: every preflight reaches the log.
        'Access-Control-Max-Age': '0',
      }
    : {}
  res.writeHead(204, allowed)
  res.end()
}

async function writeReply(reply, cors, req, res) {
  const {status = 200, type = 'text/event-stream', headers = {}, body = '', hold = false, holdHeaders = false, breakAfterMs} = reply
  const stop = () => {
    clearTimeout(limit)
    if (!res.writableEnded) res.end()
  }
  const limit = setTimeout(stop, HOLD_LIMIT_MS)
  res.on('close', stop)
  if (holdHeaders) return
  res.writeHead(status, {
    ...(type === null ? {} : {'Content-Type': type}),
    'Cache-Control': 'no-store',
    ...corsHeaders(cors, req),
    ...headers,
  })
  const chunks = Array.isArray(body) ? body : [body]
  for (const [index, chunk] of chunks.entries()) {
    if (res.destroyed) return
    // A pause between chunks so that they reach the client as separate reads (not relied upon).
    if (index > 0) await new Promise((resolve) => setTimeout(resolve, 20))
    res.write(chunk)
  }
  if (breakAfterMs !== undefined) {
    // A broken connection: the chunked body never gets its last chunk. A FIN, not a reset, so that
    // the client's TCP stack keeps the bytes it already has.
    setTimeout(() => res.socket?.end(), breakAfterMs)
    return
  }
  if (!hold) stop()
}

/** Handles a request under /sse/ or /log; returns false for any other path. */
export async function handleScenarioRoute(req, res, server, origins) {
  const url = new URL(req.url ?? '/', origins[server])
  const id = url.searchParams.get('id')
  if (url.pathname === '/log') {
    res.writeHead(200, {'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': '*'})
    res.end(JSON.stringify(id ? (runs.get(id)?.requests ?? []) : []))
    return true
  }
  const match = /^\/sse\/([^/]+)(?:\/([^/]+))?$/.exec(url.pathname)
  if (!match) return false
  const [, name, step = 'start'] = match
  const scenario = Object.hasOwn(scenarios, name) ? scenarios[name] : undefined
  if (!scenario || !id) {
    res.writeHead(404, {'Content-Type': 'text/plain'})
    res.end(scenario ? 'missing ?id=' : `no scenario ${name}`)
    return true
  }
  const run = runFor(id)
  const body = await readBody(req)
  const entry = {method: req.method, server, path: `/sse/${name}/${step}`, headers: {...req.headers}, body, aborted: false}
  run.requests.push(entry)
  res.on('close', () => {
    if (!res.writableFinished) entry.aborted = true
  })
  if (req.method === 'OPTIONS') {
    preflight(scenario.cors, req, res)
    return true
  }
  const key = `${name}/${step}`
  const attempt = (run.attempts.get(key) ?? 0) + 1
  run.attempts.set(key, attempt)
  const ctx = {
    attempt,
    step,
    server,
    method: req.method,
    body,
    headers: req.headers,
    lastEventId: fromUtf8Bytes(req.headers['last-event-id']),
    url: (target, on = server) => `${origins[on]}/sse/${name}/${target}?id=${encodeURIComponent(id)}`,
  }
  await writeReply(scenario.reply(ctx), scenario.cors, req, res)
  return true
}
