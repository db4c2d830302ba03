// The conformance cases run side by side on eventsource-kit and react-native-sse. Each case starts
// its own loopback server, drives a source opened with `open` and returns what the source got
// wrong against the standard (WHATWG HTML, server-sent events), one short sentence per problem.
import {compareEvents} from './clients.js'
import {pause, startServer, startStream, until, writeEach} from './server.js'

// A reconnection delay small enough for the cases, set alike on both (before any `retry:`).
const RETRY_MS = 20
// How long a case watches for something that must not happen (a reconnection, an event after close).
const QUIET_MS = 400

/** A deterministic generator (mulberry32), so that a failing split can be replayed from its seed. */
export function randomFrom(seed) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let value = state
    value = Math.imul(value ^ (value >>> 15), value | 1)
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61)
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296
  }
}

/** Splits bytes at random places (every split point equally likely, also inside a UTF-8 character). */
function splitRandomly(bytes, random) {
  const pieces = []
  let start = 0
  while (start < bytes.length) {
    const size = 1 + Math.floor(random() * 12)
    pieces.push(bytes.subarray(start, start + size))
    start += size
  }
  return pieces
}

// Fields, comments, multi-line data, a named event with an id, and characters of 2, 3 and 4 bytes.
const PARSING_STREAM =
  ': a comment\n' +
  'data: héllo wörld 😀\n' +
  'data:  two spaces\n' +
  '\n' +
  'event: update\n' +
  'data: 日本語\n' +
  'id: 42\n' +
  '\n' +
  'data:no space\n' +
  '\n'
const PARSING_EVENTS = [
  {type: 'message', data: 'héllo wörld 😀\n two spaces'},
  {type: 'update', data: '日本語', lastEventId: '42'},
  {type: 'message', data: 'no space', lastEventId: '42'},
]

/** A case whose server sends `text` (in pieces from `split`) and keeps the stream open; compares the events. */
function streamCase(text, expected, {split = (bytes) => [bytes], types = []} = {}) {
  return async (open) => {
    const server = await startServer(async (_request, response) => {
      startStream(response)
      await writeEach(response, split(Buffer.from(text, 'utf8')))
    })
    try {
      const client = await open(server.url, {types})
      await until(() => client.log.events.length >= expected.length, `${expected.length} events`, 2_000).catch(() => {})
      await pause(50)
      client.close()
      return compareEvents(client.log.events, expected)
    } finally {
      await server.close()
    }
  }
}

const seed = Number(process.env.RN_SEED ?? Date.now() % 1_000_000)

/** @type {{name: string, right: string, detail?: string, run: (open: Function) => Promise<string[]>}[]} */
export const CASES = [
  {
    name: 'parses a stream in one chunk',
    right: 'fields, comments, multi-line data, named events, ids, one leading space removed',
    run: streamCase(PARSING_STREAM, PARSING_EVENTS, {types: ['update']}),
  },
  {
    name: 'parses a stream split at random places, inside UTF-8 characters too',
    detail: `seed ${seed}, RN_SEED=${seed} replays it`,
    right: 'the same events whatever the chunking',
    run: streamCase(PARSING_STREAM, PARSING_EVENTS, {types: ['update'], split: (bytes) => splitRandomly(bytes, randomFrom(seed))}),
  },
  {
    name: 'parses a stream sent one byte at a time',
    right: 'the same events whatever the chunking',
    run: streamCase(PARSING_STREAM, PARSING_EVENTS, {types: ['update'], split: (bytes) => [...bytes].map((byte) => Uint8Array.of(byte))}),
  },
  {
    name: 'gives lastEventId "" before any id',
    right: 'an event before any `id:` has lastEventId "" (the empty string); `id:` with no value resets it to ""',
    run: streamCase('data: a\n\nid: 5\ndata: b\n\nid\ndata: c\n\n', [
      {type: 'message', data: 'a', lastEventId: ''},
      {type: 'message', data: 'b', lastEventId: '5'},
      {type: 'message', data: 'c', lastEventId: ''},
    ]),
  },
  {
    name: 'is an EventTarget',
    right: 'the source is an EventTarget (addEventListener with options, dispatchEvent) with on… handler properties',
    run: async (open) => {
      const server = await startServer(async (_request, response) => {
        startStream(response)
        await writeEach(response, ['data: a\n\n', 'data: b\n\n'])
      })
      try {
        const client = await open(server.url)
        const {source} = client
        const problems = []
        // Where the platform has an EventTarget (React Native 0.86+), the source must be one; before, it must act as one.
        const hasMethods = ['addEventListener', 'removeEventListener', 'dispatchEvent'].every((name) => typeof source[name] === 'function')
        const isInstance = typeof globalThis.EventTarget !== 'function' || source instanceof globalThis.EventTarget
        if (!hasMethods || !isInstance) problems.push(`not an EventTarget${hasMethods ? '' : ' (no dispatchEvent())'}`)
        const once = []
        source.addEventListener?.('message', (event) => once.push(event.data), {once: true})
        const handled = []
        source.onmessage = (event) => handled.push(event.data)
        await until(() => client.log.events.length >= 2, '2 events', 2_000).catch(() => problems.push('not 2 events'))
        client.close()
        if (once.join() !== 'a') problems.push(`a {once: true} listener got ${JSON.stringify(once)}`)
        if (handled.join() !== 'a,b') problems.push(`onmessage got ${JSON.stringify(handled)}`)
        return problems
      } finally {
        await server.close()
      }
    },
  },
  {
    name: 'dispatches named events to their listeners',
    right: '`event:` sets the type; a listener for that type gets it, `message` listeners do not',
    run: streamCase('event: ping\ndata: 1\n\ndata: 2\n\n', [
      {type: 'ping', data: '1'},
      {type: 'message', data: '2'},
    ], {types: ['ping']}),
  },
  {
    name: 'ignores comments',
    right: 'a line starting with a colon is ignored, even between the lines of an event',
    run: streamCase(': first\n\n:\ndata: a\n: inside\ndata: b\n\n', [{type: 'message', data: 'a\nb'}]),
  },
  {
    name: 'matches field names exactly',
    right: 'unknown fields (`eventually`, `identity`, `datum`) are ignored, not read as `event`, `id`, `data`',
    run: streamCase('eventually: x\nidentity: 9\ndata: a\ndatum: b\n\n', [{type: 'message', data: 'a'}]),
  },
  {
    name: 'keeps spaces in values',
    right: 'only one space after the colon is removed; the rest of the value is kept as sent',
    run: streamCase('data:   three\ndata: trailing  \n\n', [{type: 'message', data: '  three\ntrailing  '}]),
  },
  {
    name: 'skips one leading BOM only',
    right: 'a BOM at the start of the stream is skipped; one later is part of a field name',
    run: streamCase('\uFEFFdata: a\n\n\uFEFFdata: b\n\ndata: c\n\n', [
      {type: 'message', data: 'a'},
      {type: 'message', data: 'c'},
    ]),
  },
  {
    name: 'parses CRLF line endings',
    right: 'CRLF ends a line',
    run: streamCase('data: a\r\n\r\nid: 3\r\ndata: b\r\n\r\n', [
      {type: 'message', data: 'a'},
      {type: 'message', data: 'b', lastEventId: '3'},
    ]),
  },
  {
    name: 'parses CR, LF and CRLF mixed in one stream',
    right: 'CR, LF and CRLF all end a line, mixed in one stream',
    run: streamCase('data: a\r\n\r\ndata: b\n\ndata: c\r\rdata: d\n\n', [
      {type: 'message', data: 'a'},
      {type: 'message', data: 'b'},
      {type: 'message', data: 'c'},
      {type: 'message', data: 'd'},
    ]),
  },
  {
    name: 'sends custom headers and Accept: text/event-stream',
    right: 'the request carries the headers given and `Accept: text/event-stream`',
    run: async (open) => {
      const server = await startServer((_request, response) => startStream(response))
      try {
        const client = await open(server.url, {headers: {Authorization: 'Bearer token', 'X-Trace': 'abc'}})
        await until(() => server.requests.length > 0, 'the request')
        client.close()
        const {headers} = server.requests[0]
        const problems = []
        if (headers.authorization !== 'Bearer token') problems.push(`Authorization ${JSON.stringify(headers.authorization)}`)
        if (headers['x-trace'] !== 'abc') problems.push(`X-Trace ${JSON.stringify(headers['x-trace'])}`)
        if (headers.accept !== 'text/event-stream') problems.push(`Accept ${JSON.stringify(headers.accept)}`)
        return problems
      } finally {
        await server.close()
      }
    },
  },
  {
    name: 'sends a POST with a body',
    right: 'the method and body given reach the server',
    run: async (open) => {
      const server = await startServer((_request, response) => startStream(response))
      try {
        const client = await open(server.url, {method: 'POST', body: '{"q":1}', headers: {'Content-Type': 'application/json'}})
        await until(() => server.requests.length > 0, 'the request')
        client.close()
        const {method, body} = server.requests[0]
        const problems = []
        if (method !== 'POST') problems.push(`method ${method}`)
        if (body !== '{"q":1}') problems.push(`body ${JSON.stringify(body)}`)
        return problems
      } finally {
        await server.close()
      }
    },
  },
  {
    name: 'follows `retry:` when it reconnects',
    right: 'after the stream ends, the next request comes after the `retry:` delay (50 ms here), not the default',
    run: async (open) => {
      const server = await startServer((_request, response, index) => {
        startStream(response)
        if (index === 0) response.end('retry: 50\ndata: a\n\n')
      })
      try {
        const client = await open(server.url)
        const problems = []
        await until(() => server.requests.length >= 2, 'a second request', 2_000).catch(() => problems.push('no reconnection within 2 s of a `retry: 50`'))
        client.close()
        return problems
      } finally {
        await server.close()
      }
    },
  },
  {
    name: 'sends Last-Event-ID when it reconnects',
    right: 'the first request has no Last-Event-ID; the one after `id: 7` has `Last-Event-ID: 7`',
    run: async (open) => {
      const server = await startServer((_request, response, index) => {
        startStream(response)
        if (index === 0) response.end('id: 7\ndata: a\n\n')
      })
      try {
        const client = await open(server.url, {retryMs: RETRY_MS})
        const problems = []
        await until(() => server.requests.length >= 2, 'a second request', 2_000).catch(() => problems.push('no reconnection'))
        client.close()
        if (server.requests[0].headers['last-event-id'] !== undefined) problems.push(`first request Last-Event-ID ${JSON.stringify(server.requests[0].headers['last-event-id'])}`)
        const resumed = server.requests[1]?.headers['last-event-id']
        if (server.requests.length >= 2 && resumed !== '7') problems.push(`Last-Event-ID ${JSON.stringify(resumed)} on reconnection`)
        return problems
      } finally {
        await server.close()
      }
    },
  },
  {
    name: 'fails the connection on an HTTP error status',
    right: 'a 500 fires error and closes (readyState CLOSED), no reconnection',
    run: failureCase({status: 500}, 'HttpError'),
  },
  {
    name: 'fails the connection on a wrong Content-Type',
    right: 'a 200 that is not text/event-stream fires error and closes, no event, no reconnection',
    run: failureCase({contentType: 'text/plain'}, 'ContentTypeError'),
  },
  {
    name: 'close() aborts the request and nothing fires after it',
    right: 'close() ends the request at the server; no event after it; readyState CLOSED',
    run: async (open) => {
      const server = await startServer(async (_request, response) => {
        startStream(response)
        for (let index = 0; index < 200 && !response.destroyed; index++) {
          response.write(`data: ${index}\n\n`)
          await pause(10)
        }
        response.end()
      })
      try {
        const client = await open(server.url, {retryMs: RETRY_MS})
        await until(() => client.log.events.length > 0, 'a first event')
        client.close()
        const seen = client.log.events.length
        const problems = []
        await until(() => server.requests[0].closed, 'the request to end at the server', 2_000).catch(() => problems.push('the request stayed open at the server'))
        await pause(QUIET_MS / 2)
        if (client.log.events.length !== seen) problems.push(`${client.log.events.length - seen} events after close()`)
        if (client.readyState() !== 'closed') problems.push(`readyState ${client.readyState()} after close()`)
        if (server.requests.length !== 1) problems.push(`${server.requests.length - 1} requests after close()`)
        return problems
      } finally {
        await server.close()
      }
    },
  },
  {
    name: 'reconnects after the server drops the connection mid-stream',
    right: 'a dropped connection fires error, reconnects with Last-Event-ID and goes on',
    run: async (open) => {
      const server = await startServer(async (request, response, index) => {
        startStream(response)
        if (index === 0) {
          response.write('id: 1\ndata: a\n\n')
          await pause(30)
          response.socket.destroy()
        } else response.write(`data: b after ${request.headers['last-event-id']}\n\n`)
      })
      try {
        const client = await open(server.url, {retryMs: RETRY_MS})
        const problems = []
        await until(() => client.log.events.length >= 2, 'the event after the reconnection', 2_000).catch(() => problems.push('no event after the connection dropped'))
        client.close()
        if (client.log.errors.length === 0) problems.push('no error event')
        return [...problems, ...compareEvents(client.log.events, [{type: 'message', data: 'a', lastEventId: '1'}, {type: 'message', data: 'b after 1', lastEventId: '1'}])]
      } finally {
        await server.close()
      }
    },
  },
  {
    name: 'reconnects after a network error before any response',
    right: 'a connection reset before the response fires error and reconnects',
    run: async (open) => {
      const server = await startServer((request, response, index) => {
        if (index === 0) response.socket.destroy()
        else {
          startStream(response)
          response.write('data: back\n\n')
        }
      })
      try {
        const client = await open(server.url, {retryMs: RETRY_MS})
        const problems = []
        await until(() => client.log.events.length >= 1, 'an event after the network error', 2_000).catch(() => problems.push('gave up: no reconnection after the network error'))
        client.close()
        if (client.log.errors.length === 0) problems.push('no error event')
        return problems
      } finally {
        await server.close()
      }
    },
  },
  {
    name: 'bounds responseText over a 20 MiB stream',
    right: 'not in the standard (browsers free what they parsed): on XHR responseText stays under 8 MiB, every event once, no error, OPEN throughout',
    run: longStream,
  },
]

// The long stream: about 20 MiB of 1 KiB events, each with an id; a request with Last-Event-ID
// resumes after it (the server side of a renewal).
const LONG_EVENTS = 20 * 1024
const LONG_PAYLOAD = 'x'.repeat(1000)
const MIB = 1024 * 1024

/** Serves the long stream from after the request's Last-Event-ID, in batches, waiting on backpressure. */
async function serveLongStream(request, response) {
  startStream(response)
  let next = Number(request.headers['last-event-id'] ?? 0) + 1
  while (next <= LONG_EVENTS && !response.destroyed) {
    let batch = ''
    for (const last = Math.min(next + 63, LONG_EVENTS); next <= last; next++) batch += `id: ${next}\ndata: ${next} ${LONG_PAYLOAD}\n\n`
    if (!response.write(batch))
      await new Promise((resolve) => {
        const done = () => {
          response.off('drain', done)
          response.off('close', done)
          resolve()
        }
        response.on('drain', done)
        response.on('close', done)
      })
  }
}

/** The long-stream case: every event once, in order, no error, OPEN throughout, responseText under 8 MiB. */
async function longStream(open) {
  const server = await startServer(serveLongStream)
  globalThis.__fakeNetworkingStats.largestResponseText = 0
  try {
    const client = await open(server.url, {keep: (data, lastEventId) => data === `${lastEventId} ${LONG_PAYLOAD}`})
    const problems = []
    await until(() => client.log.events.length >= LONG_EVENTS || client.log.errors.length > 0, `${LONG_EVENTS} events`, 120_000).catch(() => problems.push(`${client.log.events.length} events of ${LONG_EVENTS} after 120 s`))
    await pause(50)
    const state = client.readyState()
    client.close()
    const {events, errors, opens} = client.log
    const wrong = events.findIndex((event, index) => event.lastEventId !== String(index + 1) || event.data !== true)
    if (wrong !== -1) problems.push(`event ${wrong + 1} is id ${events[wrong].lastEventId}: events lost or repeated`)
    else if (events.length > LONG_EVENTS) problems.push(`${events.length - LONG_EVENTS} events more than sent`)
    if (errors.length > 0) problems.push(`${errors.length} error events`)
    if (opens !== 1) problems.push(`${opens} open events`)
    if (state !== 'open' || events.some((event) => event.readyState !== 'open')) problems.push('readyState left OPEN')
    if (globalThis.__fakeNetworkingStats.largestResponseText >= 8 * MIB) problems.push('responseText passed 8 MiB')
    return problems
  } finally {
    await server.close()
  }
}

/** A case where the first response must fail the connection: error, CLOSED, no event, no second request. */
function failureCase(answer, errorName) {
  return async (open) => {
    const server = await startServer((_request, response) => {
      startStream(response, answer)
      response.end('data: should not be seen\n\n')
    })
    try {
      const client = await open(server.url, {retryMs: RETRY_MS})
      const problems = []
      await until(() => client.log.errors.length > 0, 'an error event', 2_000).catch(() => problems.push('no error event'))
      await pause(QUIET_MS)
      const state = client.readyState()
      client.close()
      if (state !== 'closed') problems.push('readyState not CLOSED after the failure')
      if (client.log.events.length > 0) problems.push('fired the events of the failed response')
      if (server.requests.length > 1) problems.push('reconnected')
      const error = client.log.errors[0]
      // eventsource-kit's error events carry `error` (react-native-sse's have no such field).
      if (error && 'error' in error && error.name !== errorName) problems.push(`error ${error.name}, not ${errorName}`)
      return problems
    } finally {
      await server.close()
    }
  }
}
