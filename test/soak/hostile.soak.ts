import type {ServerResponse} from 'node:http'
import {afterEach, describe, expect, it} from 'vitest'
import {random, startServer, type TestServer} from '../helpers.js'
import {type ChildResult, lastJsonLine, runChild} from './child-process.js'

// [non-spec, robustness] Hostile servers against a client in its own process: a 1 GiB line without a
// newline, a 256 MiB comment line, a burst of a million events (to a listener, and to a slow async
// iterator), 32 MiB of random bytes and 8 MiB of event-stream-like garbage. The client's peak RSS stays under 256 MB, it ends with the
// documented error (MaxEventSizeError for the huge data line; none for the rest, whose streams end), and nothing escapes
// to the event loop: the child exits non-zero on an unhandled rejection or an uncaught exception.

const MB = 1024 * 1024
const GiB = 1024 * MB
const RSS_BOUND_MB = 256
const DEFAULT_MAX_EVENT_SIZE = 16 * MB

interface Outcome {
  mode: string
  events: number
  lastData: string
  error?: string
  limit?: number
  readyState: number
  maxRssMB: number
  liveHeapMB: number
  durationMs: number
}

/** What the server did: bytes handed to the socket, waits for 'drain', and whether the client left first. */
interface Pump {
  bytes: number
  drainWaits: number
  clientLeft: boolean
  finished: boolean
}

const servers: TestServer[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close()
})

/**
 * A server whose every response is 200 text/event-stream followed by the chunks `next()` returns
 * (until it returns undefined, then the response ends), written as fast as the client reads them:
 * it waits for 'drain' when the socket is full and stops as soon as the client goes away.
 */
async function pumpingServer(prefix: string, next: () => Uint8Array | string | undefined): Promise<{url: string; pump: Pump}> {
  const pump: Pump = {bytes: 0, drainWaits: 0, clientLeft: false, finished: false}
  const server = await startServer((_req, res: ServerResponse) => {
    res.writeHead(200, {'content-type': 'text/event-stream'})
    res.on('close', () => {
      if (!pump.finished) pump.clientLeft = true
    })
    res.write(prefix)
    const write = (): void => {
      while (!pump.clientLeft && !res.destroyed) {
        const chunk = next()
        if (chunk === undefined) {
          pump.finished = true
          return void res.end()
        }
        pump.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength
        if (!res.write(chunk)) {
          pump.drainWaits++
          return void res.once('drain', write)
        }
      }
    }
    write()
  })
  servers.push(server)
  return {url: server.url, pump}
}

// V8 sizes its young generation by the machine's memory (semispaces of up to 64 MB on a large one),
// which alone can add 100+ MB of RSS under a high allocation rate. Pinning it makes the RSS bound
// measure what the client keeps, and the same on every machine.
const NODE_ARGS = ['--max-semi-space-size=16', '--expose-gc']

async function client(url: string, mode: string): Promise<{result: ChildResult; outcome: Outcome}> {
  const result = await runChild('./fixtures/hostile-child.ts', [url, mode], {nodeArgs: NODE_ARGS, timeoutMs: 120_000})
  const outcome = lastJsonLine<Outcome>(result)
  return {result, outcome}
}

/** `total` bytes of `unit` repeated, in chunks of `chunkBytes`. */
function repeated(unit: string, total: number, chunkBytes = 64 * 1024): () => Uint8Array | undefined {
  const chunk = Buffer.alloc(chunkBytes, unit)
  let left = total
  return () => {
    if (left <= 0) return undefined
    const part = left >= chunk.byteLength ? chunk : chunk.subarray(0, left)
    left -= part.byteLength
    return part
  }
}

function expectClean(result: ChildResult, outcome: Outcome): void {
  expect(result.stderr, 'no unhandled rejection, no uncaught exception').toBe('')
  expect(result.code).toBe(0)
  expect(result.timedOut).toBe(false)
  expect(outcome.maxRssMB).toBeLessThan(RSS_BOUND_MB)
}

/** A server that sends `data: 1` … `data: total` in batches of 1,000 events, then ends. */
function burstServer(total: number): ReturnType<typeof pumpingServer> {
  let sent = 0
  return pumpingServer('', () => {
    if (sent >= total) return undefined
    const batch: string[] = []
    for (const end = Math.min(total, sent + 1000); sent < end; ) batch.push(`data: ${++sent}\n\n`)
    return batch.join('')
  })
}

describe('a hostile server', () => {
  it('a 1 GiB line without a newline: MaxEventSizeError at the default limit, the server stopped early, RSS bounded', async () => {
    const {url, pump} = await pumpingServer('data: ', repeated('x', GiB))
    const {result, outcome} = await client(url, 'listen')
    console.log(`hostile, 1 GiB data line: ${JSON.stringify(outcome)}; server wrote ${(pump.bytes / MB).toFixed(1)} MiB before the client left`)
    expectClean(result, outcome)
    expect(outcome).toMatchObject({error: 'MaxEventSizeError', limit: DEFAULT_MAX_EVENT_SIZE, events: 0, readyState: 2})
    expect(pump.clientLeft).toBe(true)
    expect(pump.bytes).toBeLessThan(64 * MB)
  })

  it('a 256 MiB comment line: skipped in bounded memory, the event after it arrives', async () => {
    let sent = false
    const comment = repeated('c', 256 * MB)
    const {url, pump} = await pumpingServer(':', () => {
      const chunk = comment()
      if (chunk !== undefined || sent) return chunk
      sent = true
      return '\ndata: after the comment\n\n'
    })
    const {result, outcome} = await client(url, 'listen')
    console.log(`hostile, 256 MiB comment line: ${JSON.stringify(outcome)}; server wrote ${(pump.bytes / MB).toFixed(1)} MiB`)
    expectClean(result, outcome)
    expect(outcome).toMatchObject({events: 1, lastData: 'after the comment', readyState: 2})
    expect(outcome.error).toBeUndefined()
    expect(pump.finished).toBe(true)
  })

  it('a burst of a million events to a listener: every one arrives, RSS bounded', async () => {
    const total = 1_000_000
    const {url, pump} = await burstServer(total)
    const {result, outcome} = await client(url, 'listen')
    console.log(`hostile, burst of ${total} events to a listener: ${JSON.stringify(outcome)}; server wrote ${(pump.bytes / MB).toFixed(1)} MiB, waited for drain ${pump.drainWaits} times`)
    expectClean(result, outcome)
    expect(outcome).toMatchObject({events: total, lastData: String(total), readyState: 2})
    expect(outcome.error).toBeUndefined()
  })

  it('a burst of a million events to a slow async iterator: every one arrives, RSS bounded', async () => {
    const total = 1_000_000
    const {url, pump} = await burstServer(total)
    const {result, outcome} = await client(url, 'iterate')
    console.log(`hostile, burst of ${total} events to a slow iterator: ${JSON.stringify(outcome)}; server wrote ${(pump.bytes / MB).toFixed(1)} MiB, waited for drain ${pump.drainWaits} times`)
    expectClean(result, outcome)
    expect(outcome).toMatchObject({events: total, lastData: String(total), readyState: 2})
    expect(outcome.error).toBeUndefined()
  })

  it('32 MiB of random bytes: no crash, RSS bounded', async () => {
    const next = random(20_240_601)
    let left = 32 * MB
    const {url, pump} = await pumpingServer('', () => {
      if (left <= 0) return undefined
      const chunk = new Uint8Array(64 * 1024)
      const words = new Uint32Array(chunk.buffer)
      for (let i = 0; i < words.length; i++) words[i] = Math.floor(next() * 2 ** 32)
      left -= chunk.byteLength
      return chunk
    })
    const {result, outcome} = await client(url, 'listen')
    console.log(`hostile, 32 MiB random bytes: ${JSON.stringify(outcome)}; server wrote ${(pump.bytes / MB).toFixed(1)} MiB`)
    expectClean(result, outcome)
    expect(outcome.readyState).toBe(2)
    expect(outcome.error).toBeUndefined()
    expect(pump.finished).toBe(true)
  })

  // 8 MiB: eventsource-parser builds a ParseError (stack trace included) for every unknown field or
  // bad retry line, so this input parses at only a few MB/s.
  it('8 MiB of event-stream-like garbage (fields, line endings, invalid UTF-8, NUL): no crash, RSS bounded', async () => {
    const next = random(7)
    const tokens = ['data:', 'data: ', 'id:', 'id: 1', 'event:', 'event: x', 'retry:', 'retry: 12', ':', '\n', '\n', '\r', '\r\n', '\n\n', 'x', 'é', '𝄞', '\u0000', '\uFEFF']
    const invalid = Buffer.from([0xff, 0xc3, 0xe2, 0x82, 0xf0, 0x9f, 0x80])
    let left = 8 * MB
    const {url, pump} = await pumpingServer('', () => {
      if (left <= 0) return undefined
      const parts: Buffer[] = []
      for (let i = 0; i < 8192; i++) parts.push(next() < 0.05 ? invalid.subarray(Math.floor(next() * invalid.length)) : Buffer.from(tokens[Math.floor(next() * tokens.length)] as string))
      const chunk = Buffer.concat(parts)
      left -= chunk.byteLength
      return chunk
    })
    const {result, outcome} = await client(url, 'listen')
    console.log(`hostile, 8 MiB event-stream garbage: ${JSON.stringify(outcome)}; server wrote ${(pump.bytes / MB).toFixed(1)} MiB`)
    expectClean(result, outcome)
    expect(outcome.readyState).toBe(2)
    expect(outcome.error).toBeUndefined()
    expect(outcome.events).toBeGreaterThan(1000)
  })
})
