import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import {connect} from 'node:net'
import type {AddressInfo} from 'node:net'
import {afterEach, describe, expect, it} from 'vitest'
import {EventSource} from '../../src/index.js'
import {writeEventStream, type NodeServerResponse} from '../../src/server/index.js'

// A real ServerResponse is what the writer takes.
type _ServerResponseFits = ServerResponse extends NodeServerResponse ? true : never
const _fits: _ServerResponseFits = true
void _fits

const servers: {close(): void; closeAllConnections(): void}[] = []
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    server.close()
  }
})

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
}

/** Resolves once `predicate` holds, checking every 5 ms; rejects after `limit` checks. */
async function until(predicate: () => boolean, label: string, limit = 1000): Promise<void> {
  for (let i = 0; !predicate(); i++) {
    if (i >= limit) throw new Error(`timed out waiting for ${label}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

describe('[non-spec] writeEventStream', () => {
  it('writes the headers at once and each event as it comes, then ends the response', async () => {
    let release: (() => void) | undefined
    let written: Promise<void> | undefined
    const url = await serve((_, res) => {
      written = writeEventStream(
        res,
        (async function* () {
          yield {id: '1', data: 'first'}
          // The second event waits until the client has the first: it must have been flushed.
          await new Promise<void>((resolve) => (release = resolve))
          yield 'second'
        })(),
        {heartbeatMs: 0, retry: 10},
      )
    })
    const response = await fetch(url)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform')
    expect(response.headers.get('x-accel-buffering')).toBe('no')
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
    let text = ''
    while (!text.includes('data: first\n\n')) text += (await reader.read()).value ?? ''
    expect(text).toBe('retry: 10\n\nid: 1\ndata: first\n\n')
    release?.()
    for (let result = await reader.read(); !result.done; result = await reader.read()) text += result.value
    expect(text).toBe('retry: 10\n\nid: 1\ndata: first\n\ndata: second\n\n')
    await expect(written).resolves.toBeUndefined()
  })

  it("hands the request's Last-Event-ID to a generator function, and our EventSource resumes with it", async () => {
    const seen: string[] = []
    const url = await serve((_, res) => {
      void writeEventStream(
        res,
        async function* ({lastEventId}) {
          seen.push(lastEventId)
          const start = Number(lastEventId) || 0
          yield {id: String(start + 1), data: `after ${lastEventId || 'nothing'}`}
        },
        {heartbeatMs: 0, retry: 5},
      )
    })
    const source = new EventSource(url)
    const data: string[] = []
    await new Promise<void>((resolve) => {
      source.onmessage = (event) => {
        data.push(event.data)
        if (data.length === 3) resolve()
      }
    })
    source.close()
    expect(data).toEqual(['after nothing', 'after 1', 'after 2'])
    expect(seen).toEqual(['', '1', '2'])
  })

  it("stops on 'close' when the client goes away: the generator's finally runs and the promise resolves", async () => {
    let isFinallyRun = false
    let written: Promise<void> | undefined
    const url = await serve((_, res) => {
      written = writeEventStream(
        res,
        async function* ({signal}) {
          try {
            yield 'hello'
            // Waits for the client to leave.
            await new Promise((resolve) => signal.addEventListener('abort', resolve))
          } finally {
            isFinallyRun = true
          }
        },
        {heartbeatMs: 50},
      )
    })
    const controller = new AbortController()
    const response = await fetch(url, {signal: controller.signal})
    const reader = response.body!.getReader()
    await reader.read()
    controller.abort()
    await until(() => written !== undefined && isFinallyRun, "the generator's finally")
    await expect(written).resolves.toBeUndefined()
  })

  it('waits for drain when the socket is full: a client that does not read keeps the generator paused', async () => {
    let produced = 0
    let isFinallyRun = false
    let written: Promise<void> | undefined
    const url = await serve((_, res) => {
      written = writeEventStream(
        res,
        (async function* () {
          try {
            for (;;) {
              produced++
              yield {data: 'x'.repeat(64 * 1024)}
            }
          } finally {
            isFinallyRun = true
          }
        })(),
        {heartbeatMs: 0},
      )
    })
    const {port} = new URL(url)
    const socket = connect(Number(port), '127.0.0.1')
    socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`)
    // Read the head, then stop reading.
    await new Promise((resolve) => socket.once('data', resolve))
    socket.pause()
    // The count stops growing once the socket buffers are full.
    let last = -1
    let stableChecks = 0
    await until(
      () => {
        stableChecks = produced === last ? stableChecks + 1 : 0
        last = produced
        return stableChecks >= 20
      },
      'the writer to stop',
      2000,
    )
    // Without backpressure the generator would run on forever; with it, it waits for the socket
    // (whose buffers hold a few MB at most on loopback).
    console.log(`backpressure: ${produced} events of 64 KiB made before the writer waited`)
    expect(produced).toBeLessThan(1000)
    socket.destroy()
    await until(() => isFinallyRun, "the generator's finally")
    await expect(written).resolves.toBeUndefined()
  })

  it('destroys the response and rejects with what the generator throws', async () => {
    const failure = new Error('database is down')
    let written: Promise<void> | undefined
    const url = await serve((_, res) => {
      written = writeEventStream(
        res,
        (async function* () {
          yield 'a'
          throw failure
        })(),
        {heartbeatMs: 0},
      )
      written.catch(() => {})
    })
    const response = await fetch(url)
    await expect(response.text()).rejects.toThrow()
    await expect(written).rejects.toBe(failure)
  })

  it('keeps headers that were already sent, and adds headers of its options otherwise', async () => {
    const url = await serve((req, res) => {
      if (req.url === '/sent') {
        res.writeHead(200, {'content-type': 'text/event-stream', 'x-mine': 'yes'})
        void writeEventStream(res, ['a'], {heartbeatMs: 0})
      } else {
        void writeEventStream(res, ['b'], {heartbeatMs: 0, headers: {'Access-Control-Allow-Origin': '*'}})
      }
    })
    const sent = await fetch(new URL('/sent', url))
    expect([sent.headers.get('content-type'), sent.headers.get('x-mine'), await sent.text()]).toEqual(['text/event-stream', 'yes', 'data: a\n\n'])
    const added = await fetch(url)
    expect([added.headers.get('access-control-allow-origin'), added.headers.get('content-type'), await added.text()]).toEqual(['*', 'text/event-stream; charset=utf-8', 'data: b\n\n'])
  })
})
