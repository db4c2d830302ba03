import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import {afterEach} from 'vitest'
import {EventSource, type EventSourceInit} from '../src/index.js'

/** One request as the test server saw it. */
export interface SeenRequest {
  readonly method: string
  readonly url: string
  readonly headers: IncomingMessage['headers']
  readonly body: string
}

/** A node:http server on 127.0.0.1, port 0, that records every request. */
export interface TestServer {
  readonly url: string
  readonly origin: string
  readonly requests: SeenRequest[]
  close(): Promise<void>
}

export type Handler = (req: IncomingMessage, res: ServerResponse, index: number) => void

/** Starts a loopback server; `close()` also destroys open keep-alive and streaming sockets. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: SeenRequest[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const index = requests.length
      requests.push({method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8')})
      handler(req, res, index)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  return {
    url: `${origin}/stream`,
    origin,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Answers 200 text/event-stream with `body` and ends the response. */
export function sse(res: ServerResponse, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-store', ...headers})
  res.end(body)
}

const encoder = new TextEncoder()

/** UTF-8 bytes of a string, or the bytes themselves. */
export function bytesOf(input: string | Uint8Array): Uint8Array {
  return typeof input === 'string' ? encoder.encode(input) : input
}

/** A small seeded PRNG (mulberry32), so a failing random split can be replayed from its seed. */
export function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** How to cut a byte stream into chunks. */
export type Split = {kind: 'whole'} | {kind: 'bytes'} | {kind: 'random'; seed: number}

export function splitBytes(bytes: Uint8Array, split: Split): Uint8Array[] {
  if (split.kind === 'whole') return [bytes]
  if (split.kind === 'bytes') return Array.from(bytes, (_, i) => bytes.subarray(i, i + 1))
  const next = random(split.seed)
  const chunks: Uint8Array[] = []
  for (let start = 0; start < bytes.length; ) {
    const size = 1 + Math.floor(next() * 8)
    chunks.push(bytes.subarray(start, start + size))
    start += size
  }
  return chunks
}

/** The splits every parsing case runs with: whole, one byte at a time, and 25 random ones. */
export const SPLITS: Split[] = [{kind: 'whole'}, {kind: 'bytes'}, ...Array.from({length: 25}, (_, i) => ({kind: 'random', seed: i + 1}) as const)]

/** A ReadableStream that yields `chunks` one per pull, then closes. */
export function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0
  return new ReadableStream({
    pull(controller) {
      const chunk = chunks[i++]
      if (chunk === undefined) controller.close()
      else controller.enqueue(chunk.slice())
    },
  })
}

/** A fetch that answers each call with the next response factory (the last one repeats). */
export function fakeFetch(...responses: Array<(url: string, init: RequestInit) => Response | Promise<Response>>) {
  const calls: Array<{url: string; init: RequestInit}> = []
  const fetch = async (url: string, init: RequestInit): Promise<Response> => {
    calls.push({url, init})
    const respond = responses[Math.min(calls.length - 1, responses.length - 1)]
    if (!respond) throw new Error('fakeFetch: no response configured')
    return respond(url, init)
  }
  return {fetch, calls}
}

/** A 200 text/event-stream Response over the given chunks. */
export function streamResponse(chunks: Uint8Array[], init: ResponseInit = {}): Response {
  return new Response(streamOf(chunks), {status: 200, headers: {'content-type': 'text/event-stream'}, ...init})
}

/** What a listener saw of one event. */
export interface Seen {
  type: string
  data?: string
  lastEventId?: string
  origin?: string
  readyState: number
}

/** Records every event of the given types in order, with the readyState at dispatch. */
export function record(source: EventSource, types: readonly string[]): Seen[] {
  const seen: Seen[] = []
  for (const type of types) {
    source.addEventListener(type, (event) => {
      if (event instanceof MessageEvent) {
        seen.push({type, data: event.data as string, lastEventId: event.lastEventId, origin: event.origin, readyState: source.readyState})
      } else {
        seen.push({type, readyState: source.readyState})
      }
    })
  }
  return seen
}

/** Resolves with the next event of `type`. */
export function next(source: EventTarget, type: string): Promise<Event> {
  return new Promise((resolve) => source.addEventListener(type, resolve, {once: true}))
}

/**
 * Resolves once `predicate` holds, polling on the real event loop (setImmediate and performance are
 * never faked by these tests, so it also works under fake timers); rejects after `timeoutMs`.
 */
export async function until(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error('until: condition not met in time')
    await new Promise((resolve) => setImmediate(resolve))
  }
}

/** Opens a source with a custom fetch over `chunks`, collects events until the stream ends, then closes. */
export async function transcribe(chunks: Uint8Array[], types: readonly string[], init: EventSourceInit = {}) {
  const source = new EventSource('http://127.0.0.1:9/stream', {...init, fetch: async () => streamResponse(chunks)})
  const seen = record(source, types)
  await next(source, 'error')
  source.close()
  return {seen, lastEventId: source.lastEventId, reconnectionTime: source.reconnectionTime}
}

/**
 * Per-file cleanup: `defer(fn)` runs `fn` after the current test (last registered first);
 * `server(handler)` starts a loopback server that is closed after the test.
 */
export function useCleanups() {
  const cleanups: Array<() => unknown> = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })
  const defer = (cleanup: () => unknown): void => {
    cleanups.push(cleanup)
  }
  const server = async (handler: Handler): Promise<TestServer> => {
    const started = await startServer(handler)
    defer(() => started.close())
    return started
  }
  return {defer, server}
}
