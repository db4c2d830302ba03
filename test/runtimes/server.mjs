// The SSE server of the runtime smoke suite: node:http on 127.0.0.1, port 0. scripts/runtimes.mjs
// hosts it in its own Node process and passes its URL to every runtime; smoke.mjs starts it in-process
// when run on its own. Every route is keyed by a `run` query parameter, so runs never share state.
import {Buffer} from 'node:buffer'
import {createServer} from 'node:http'

const SSE_HEADERS = {'content-type': 'text/event-stream', 'cache-control': 'no-store'}
// The close() case's stream ends by itself after this many ticks, whoever forgets to close it.
const MAX_TICKS = 400
const TICK_MS = 25
const DROP_DELAY_MS = 50

/** Reads a request body as UTF-8 text. */
function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** Sends one SSE block and ends the response. */
function sse(res, body) {
  res.writeHead(200, SSE_HEADERS)
  res.end(body)
}

/** The routes, by path; each gets the request, the response, the run id and the server's state. */
const routes = {
  // connect + message: one event, then the stream stays open until the client closes it.
  '/message'(req, res) {
    res.writeHead(200, SSE_HEADERS)
    res.write('data: hello\ndata: world\n\n')
  },
  // Named events between unnamed ones; `data` lines that onmessage must not see; ids on some blocks.
  '/named'(req, res) {
    sse(res, 'event: tick\nid: 7\ndata: 1\n\n: a comment\nevent: tock\ndata: 2\n\nid: 9\ndata: plain\n\nevent: done\ndata: end\n\n')
  },
  // First attempt: an event with an id, then the socket is destroyed mid-stream. Second attempt:
  // echoes the Last-Event-ID it received.
  '/reconnect'(req, res, run, state) {
    const attempt = (state.attempts.get(run) ?? 0) + 1
    state.attempts.set(run, attempt)
    if (attempt === 1) {
      res.writeHead(200, SSE_HEADERS)
      // Bun's node:http calls the write callback before the bytes leave, and a destroy right away
      // loses them: wait a little before cutting the connection.
      res.write('retry: 20\nid: 1\ndata: first\n\ndata: partial', () => setTimeout(() => res.socket?.destroy(), DROP_DELAY_MS))
      return
    }
    const lastEventId = req.headers['last-event-id'] ?? '(none)'
    res.writeHead(200, SSE_HEADERS)
    res.write(`id: 2\ndata: ${JSON.stringify({attempt, lastEventId})}\n\n`)
  },
  // Echoes the request as the server saw it, as one event.
  async '/echo'(req, res) {
    const body = await readBody(req)
    const {accept, 'content-type': contentType, 'x-custom': custom, 'x-attempt': attempt, 'last-event-id': lastEventId} = req.headers
    sse(res, `data: ${JSON.stringify({method: req.method, accept, contentType, custom, attempt, lastEventId, body})}\n\n`)
  },
  // A Basic challenge to a request without Authorization; to one with it, the credentials it
  // carried (UTF-8) and how many requests this run made.
  '/basic-auth'(req, res, run, state) {
    const count = (state.attempts.get(`auth-${run}`) ?? 0) + 1
    state.attempts.set(`auth-${run}`, count)
    const {authorization} = req.headers
    if (authorization === undefined) {
      res.writeHead(401, {'content-type': 'text/plain', 'www-authenticate': 'Basic realm="runtimes"'})
      return res.end('who are you?')
    }
    const credentials = Buffer.from(authorization.replace(/^Basic /, ''), 'base64').toString('utf8')
    sse(res, `data: ${JSON.stringify({credentials, requests: count, url: req.url})}\n\n`)
  },
  '/status-500'(req, res) {
    res.writeHead(500, 'Internal Server Error', {'content-type': 'text/plain'})
    res.end('database is down')
  },
  '/wrong-type'(req, res) {
    res.writeHead(200, {'content-type': 'text/html; charset=utf-8'})
    res.end('<!doctype html><p>not a stream</p>')
  },
  // An endless (but bounded) stream of ticks; records when the client went away.
  '/ticks'(req, res, run, state) {
    state.closed.set(run, false)
    res.writeHead(200, SSE_HEADERS)
    let tick = 0
    const timer = setInterval(() => {
      tick += 1
      res.write(`id: ${tick}\ndata: ${tick}\n\n`)
      if (tick >= MAX_TICKS) res.end()
    }, TICK_MS)
    res.on('close', () => {
      clearInterval(timer)
      state.closed.set(run, true)
    })
  },
  // Whether the /ticks response of this run saw its connection close.
  '/ticks-closed'(req, res, run, state) {
    res.writeHead(200, {'content-type': 'application/json'})
    res.end(JSON.stringify({closed: state.closed.get(run) ?? null}))
  },
  // Redirects to /redirected with 303 or 307 (the request body is left unread).
  '/redirect-303'(req, res, run) {
    req.resume()
    res.writeHead(303, {location: `/redirected?run=${run}`}).end()
  },
  '/redirect-307'(req, res, run) {
    req.resume()
    res.writeHead(307, {location: `/redirected?run=${run}`}).end()
  },
  // Echoes the method, body and Content-Type as one event, then ends: the client reconnects here.
  async '/redirected'(req, res) {
    const body = await readBody(req)
    sse(res, `retry: 20\ndata: ${JSON.stringify({method: req.method, body, contentType: req.headers['content-type'] ?? null})}\n\n`)
  },
  // First attempt: an event whose id holds C0 controls and DEL (valid ids, valid Fetch header bytes).
  // Second attempt: the Last-Event-ID bytes it got, as hex. Node's and Deno's fetch never send them.
  '/control-id'(req, res, run, state) {
    const attempt = (state.attempts.get(`control-id ${run}`) ?? 0) + 1
    state.attempts.set(`control-id ${run}`, attempt)
    if (attempt === 1) return sse(res, 'retry: 20\nid: a\u0001b\u007fc\ndata: first\n\n')
    res.writeHead(200, SSE_HEADERS)
    res.write(`data: ${Buffer.from(req.headers['last-event-id'] ?? '', 'latin1').toString('hex')}\n\n`)
  },
  // How many requests /control-id got in this run.
  '/control-id-attempts'(req, res, run, state) {
    res.writeHead(200, {'content-type': 'application/json'})
    res.end(JSON.stringify(state.attempts.get(`control-id ${run}`) ?? 0))
  },
  // Three events for `for await`; the last one is named "done".
  '/iterate'(req, res) {
    sse(res, 'data: a\n\ndata: b\n\nevent: done\ndata: c\n\n')
  },
}

/**
 * Starts the smoke server on 127.0.0.1, port 0.
 * @returns {Promise<{url: string, close: () => Promise<void>}>} its base URL and a close that also ends open streams
 */
export async function startSmokeServer() {
  const state = {attempts: new Map(), closed: new Map()}
  // Lenient parsing: a client may send a Last-Event-ID with C0 controls (Bun does), which llhttp's
  // strict mode answers with 400.
  const server = createServer({insecureHTTPParser: true}, (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const route = routes[url.pathname]
    if (!route) {
      res.writeHead(404).end()
      return
    }
    Promise.resolve(route(req, res, url.searchParams.get('run') ?? '', state)).catch((error) => {
      if (!res.headersSent) res.writeHead(500)
      res.end(String(error))
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address()
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.()
        server.close(() => resolve())
      }),
  }
}
