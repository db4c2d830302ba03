import type {ServerResponse} from 'node:http'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startServer, type TestServer} from '../helpers.js'
import {runChild} from './child-process.js'

// [non-spec, resource hygiene] After close() (or the signal, or leaving a for-await loop) and after
// every kind of fatal failure, a Node process with nothing else to do exits by itself, even while
// the server keeps its response open. test/lifetime.test.ts covers close() on an open stream, a
// 500, and staying alive while waiting to reconnect; these are the other ways a source ends.

const SSE = {'content-type': 'text/event-stream'}

/** Responses by path; the open ones stay open until the server closes. */
const ROUTES: Record<string, (res: ServerResponse) => void> = {
  '/one-then-end': (res) => {
    res.writeHead(200, SSE)
    res.end('retry: 60000\ndata: one\n\n')
  },
  '/silent': () => {},
  '/open': (res) => {
    res.writeHead(200, SSE)
    res.write('data: one\n\n')
  },
  '/cycles': (res) => {
    res.writeHead(200, SSE)
    res.end('retry: 0\ndata: x\n\n')
  },
  '/text-plain-open': (res) => {
    res.writeHead(200, {'content-type': 'text/plain'})
    res.write('not an event stream')
  },
  '/long-line-open': (res) => {
    res.writeHead(200, SSE)
    res.write(`data: ${'x'.repeat(4096)}`)
  },
  '/500-open': (res) => {
    res.writeHead(500, {'content-type': 'text/plain'})
    res.write('still writing the error page')
  },
  // No response at all: fetch rejects (an opened stream would reset the maxRetries count).
  '/hang-up': (res) => {
    res.destroy()
  },
  '/stall-after-headers': (res) => {
    res.writeHead(200, SSE)
    res.flushHeaders()
  },
  '/503': (res) => {
    res.writeHead(503, {'retry-after': '0'})
    res.end()
  },
}

const CASES: Array<{mode: string; path: string; last: RegExp}> = [
  {mode: 'close-in-wait', path: '/one-then-end', last: /^closed /},
  {mode: 'close-while-connecting', path: '/silent', last: /^closed /},
  {mode: 'abort-signal', path: '/open', last: /^closed /},
  {mode: 'break-loop', path: '/open', last: /^closed /},
  {mode: 'close-with-watchdog', path: '/open', last: /^closed /},
  {mode: 'close-after-cycles', path: '/cycles', last: /^closed /},
  {mode: 'fatal-content-type', path: '/text-plain-open', last: /^failed ContentTypeError readyState=2 /},
  {mode: 'fatal-max-event-size', path: '/long-line-open', last: /^failed MaxEventSizeError readyState=2 /},
  {mode: 'fatal-http-open-body', path: '/500-open', last: /^failed HttpError readyState=2 /},
  {mode: 'fatal-network', path: '/hang-up', last: /^failed NetworkError readyState=2 /},
  {mode: 'fatal-inactivity', path: '/stall-after-headers', last: /^failed InactivityTimeoutError readyState=2 /},
  {mode: 'fatal-headers', path: '/open', last: /^failed RequestInitError readyState=2 /},
  {mode: 'fatal-retry-on-status', path: '/503', last: /^failed HttpError readyState=2 /},
]

let server: TestServer
beforeAll(async () => {
  server = await startServer((req, res) => ROUTES[new URL(req.url ?? '/', 'http://x').pathname]?.(res))
})
afterAll(() => server.close())

describe('the process exits by itself', () => {
  it.concurrent.for(CASES)('$mode', async ({mode, path, last}) => {
    const result = await runChild('./fixtures/exit-child.ts', [`${server.origin}${path}`, mode], {timeoutMs: 15_000})
    const lines = result.stdout.trim().split('\n')
    const ended = Number(/ at (\d+)$/.exec(lines.at(-2) ?? '')?.[1])
    const exited = Number(/^exit at (\d+)$/.exec(lines.at(-1) ?? '')?.[1])
    console.log(`lifetime, ${mode}: ${lines.at(-2)}; exited ${exited - ended} ms later`)
    expect(result.timedOut, `still running after 15 s:\n${result.stdout}${result.stderr}`).toBe(false)
    expect(result.code).toBe(0)
    expect(result.stderr).toBe('')
    expect(lines.at(-2)).toMatch(last)
    expect(lines.at(-1)).toMatch(/^exit at /)
  })
})
