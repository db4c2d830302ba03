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
