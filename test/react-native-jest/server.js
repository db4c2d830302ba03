// The loopback server of the cases: a node:http server on 127.0.0.1 port 0 that records every
// request (method, headers, body, whether the client went away) and answers with the case's handler.
import http from 'node:http'

/** Resolves after `ms` milliseconds. */
export const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Waits until `predicate()` is true, checking every 5 ms, for at most `limitMs`; throws a message
 * naming what was awaited otherwise.
 */
export async function until(predicate, what, limitMs = 5_000) {
  for (let waited = 0; waited <= limitMs; waited += 5) {
    if (predicate()) return
    await pause(5)
  }
  throw new Error(`timed out after ${limitMs} ms waiting for ${what}`)
}

/** Starts an event stream response: 200 and text/event-stream unless told otherwise, head sent at once. */
export function startStream(response, {status = 200, contentType = 'text/event-stream', headers = {}} = {}) {
  response.socket?.setNoDelay(true)
  response.writeHead(status, {'content-type': contentType, 'cache-control': 'no-store', ...headers})
  response.flushHeaders()
}

/** Writes each piece with a short pause after it, so that each reaches the client as a chunk of its own. */
export async function writeEach(response, pieces, pauseMs = 2) {
  for (const piece of pieces) {
    if (response.destroyed) return
    response.write(piece)
    await pause(pauseMs)
  }
}

/**
 * Starts a server whose handler answers request number `index` (from 0). The handler may be async;
 * a request whose handler returns without ending the response stays open until the client leaves
 * or the server stops.
 * @param {(request: object, response: http.ServerResponse, index: number) => unknown} handle
 */
export async function startServer(handle) {
  const requests = []
  const sockets = new Set()
  const server = http.createServer((incoming, response) => {
    const request = {method: incoming.method, path: incoming.url, headers: incoming.headers, body: '', closed: false, ended: false}
    const index = requests.push(request) - 1
    incoming.setEncoding('utf8')
    incoming.on('data', (text) => {
      request.body += text
    })
    response.on('finish', () => {
      request.ended = true
    })
    response.on('close', () => {
      request.closed = true
    })
    incoming.on('end', () => {
      Promise.resolve(handle(request, response, index)).catch((error) => {
        request.error = error
        response.destroy()
      })
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address()
  return {
    url: `http://127.0.0.1:${port}/stream`,
    requests,
    /** Stops the server and drops every connection still open. */
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
