// Servers for the binding tests: real node:http streams on 127.0.0.1 that record when each request
// ends, so a test can check what the server saw.
import type {ServerResponse} from 'node:http'
import {afterEach} from 'vitest'
import {type Handler, startServer, type TestServer} from '../helpers.js'

/** A test server that also records, in order, each request's arrival and end (`+0`, `-0`, ...). */
export interface StreamServer extends TestServer {
  /** `+n` when request n arrived, `-n` when it ended (the client went away or the server ended it). */
  readonly timeline: string[]
  /** Responses still open. */
  readonly open: Set<ServerResponse>
}

const servers: TestServer[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close()
})

/** Starts a server closed after the test. */
export async function streamServer(handler: Handler): Promise<StreamServer> {
  const timeline: string[] = []
  const open = new Set<ServerResponse>()
  const server = await startServer((req, res, index) => {
    timeline.push(`+${index}`)
    open.add(res)
    res.on('close', () => {
      open.delete(res)
      timeline.push(`-${index}`)
    })
    handler(req, res, index)
  })
  servers.push(server)
  return Object.assign(server, {timeline, open})
}

/** Starts an event stream and writes `body`; the response stays open. */
export function hold(res: ServerResponse, body = ''): void {
  res.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-store'})
  res.write(body)
}

/** Ends the stream after `body` (the source then reconnects). */
export function end(res: ServerResponse, body: string): void {
  res.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-store'})
  res.end(body)
}

/**
 * A drop, then a resumed stream: request 0 sends `id: 41` and ends (retry 10 ms); later requests are
 * answered with `id: 42` only once `resume` resolves, so a test can see `reconnecting` first.
 */
export const dropThenResume =
  (resume: Promise<void>): Handler =>
  (_req, res, index) => {
    if (index === 0) end(res, 'retry: 10\nid: 41\ndata: before\n\n')
    else void resume.then(() => hold(res, 'id: 42\ndata: after\n\n'))
  }

/** Request 0 sends `id: 5` and ends; request 1 is answered `status` (fatal); later ones stream `id: 6`. */
export const fatalAfterDrop =
  (status: number): Handler =>
  (_req, res, index) => {
    if (index === 0) {
      end(res, 'retry: 10\nid: 5\ndata: one\n\n')
    } else if (index === 1) {
      res.writeHead(status, {'content-type': 'text/plain'})
      res.end('no')
    } else {
      hold(res, 'id: 6\ndata: two\n\n')
    }
  }

/**
 * Rooms: `?room=x` streams `id: x-1` / `data: x`, then `late x` every 5 ms until the request ends,
 * so a test can see that an old room never reaches the state after a switch.
 */
export const roomHandler: Handler = (req, res) => {
  const room = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('room')
  hold(res, `id: ${room}-1\ndata: ${room}\n\n`)
  const timer = setInterval(() => res.write(`id: ${room}-late\ndata: late ${room}\n\n`), 5)
  res.on('close', () => clearInterval(timer))
}

/** A fetch that logs `fetch room=x` when called and `abort room=x` when its request is aborted. */
export function roomLoggingFetch(order: string[]): typeof fetch {
  return (input, init) => {
    const room = String(input).slice(String(input).indexOf('room='))
    order.push(`fetch ${room}`)
    init?.signal?.addEventListener('abort', () => order.push(`abort ${room}`))
    return fetch(input, init)
  }
}

/** `count` events `id: i` / `data: i` in one string: a burst the client reads in one chunk. */
export function burst(count: number): string {
  let body = ''
  for (let index = 0; index < count; index++) body += `id: ${index}\ndata: ${index}\n\n`
  return body
}

/** A promise and its resolve function. */
export function deferred(): {promise: Promise<void>; resolve: () => void} {
  let resolve = (): void => {}
  const promise = new Promise<void>((done) => {
    resolve = done
  })
  return {promise, resolve}
}

/** Resolves after the current macrotask (and those queued before it). */
export const nextMacrotask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))
