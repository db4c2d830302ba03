import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import fc from 'fast-check'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {EventSource, EventSourceErrorEvent, RequestInitError} from '../../src/index.js'
import {interpretEventStream, type TranscriptEvent} from './reference.js'
import {encodeSegments, eventStream, INVALID_UTF8, type Segment} from './streams.js'

// [spec] The last event ID on the wire. "id" sets the last event ID buffer to any field value without
// NUL (CR and LF end the line), and a reconnection sets (`Last-Event-ID`, the last event ID string,
// encoded as UTF-8). Generated ids (every C0 control and DEL, multi-byte characters, invalid UTF-8,
// spaces and tabs at either end) after a generated stream go over real HTTP; the events dispatched
// and the exact Last-Event-ID bytes of the reconnection, read from the raw request head, are checked
// against the reference interpretation (reference.ts). An HTTP recipient strips spaces and tabs
// around a field value (RFC 9110), and fetch's Headers trim them before sending: the expected bytes
// are the UTF-8 of the id without them. Bytes HTTP's field-value excludes (C0 controls but TAB, and
// DEL) are valid in a Fetch header value, but Node's fetch refuses them: then the source fails the
// connection with a RequestInitError and nothing more is sent.

// Every C0 control (CR and LF end lines, so they never reach an id) and DEL.
const CONTROLS = Array.from({length: 0x20}, (_, code) => String.fromCharCode(code))
  .filter((char) => char !== '\r' && char !== '\n')
  .concat('\u007f')
// eslint-disable-next-line no-control-regex -- control characters are what this matches
const NOT_FIELD_VALUE = /[\0-\x08\n-\x1f\x7f]/
const encoder = new TextEncoder()

/** An id value: controls, ASCII, spaces and tabs, multi-byte characters and invalid UTF-8, in any mix. */
const idValue: fc.Arbitrary<Segment[]> = fc.array(
  fc.oneof(
    {weight: 3, arbitrary: fc.constantFrom<Segment>(...CONTROLS)},
    {weight: 3, arbitrary: fc.constantFrom<Segment>('a', 'Z', '0', '-', ':', ' ', '  ', '\t', '"', '\\', '%20')},
    {weight: 3, arbitrary: fc.constantFrom<Segment>('é', '€', '日本', '𝄞', '😀', '\uFEFF', '\uFFFD', '\u2028', '\u00a0', 'ÿ')},
    {weight: 2, arbitrary: fc.constantFrom<Segment>(...INVALID_UTF8)},
  ),
  {maxLength: 8},
)

/**
 * A stream: a generated one (cut off anywhere; a line ending closes its last line), then a short
 * reconnection time, an `id:` line with `id`, an optional data line, and a blank line.
 */
const streamWithId: fc.Arbitrary<Uint8Array> = fc
  .tuple(eventStream({maxLines: 6, withHugeLines: false}), idValue, fc.boolean(), fc.constantFrom('\n', '\r\n', '\r'))
  .map(([head, id, withData, ending]) => encodeSegments([head, ending, 'retry: 1', ending, 'id:', ...id, ending, ...(withData ? ['data: x', ending] : []), ending]))

interface Run {
  readonly bytes: Uint8Array
  /** Whether the first response (the stream) went out. */
  isServed: boolean
  /** The raw Last-Event-ID values of each request after the first (latin1: one char per byte). */
  readonly reconnections: Array<string | null>
}

const runs = new Map<string, Run>()
let server: Server
let origin = ''

beforeAll(async () => {
  server = createServer((req, res) => {
    const run = runs.get(req.url ?? '')
    if (!run) return void res.writeHead(404).end()
    if (!run.isServed) {
      run.isServed = true
      res.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-store'})
      return void res.end(run.bytes)
    }
    // The raw head: names and values as the bytes arrived (latin1), not joined or lower-cased.
    const index = req.rawHeaders.findIndex((name, i) => i % 2 === 0 && name.toLowerCase() === 'last-event-id')
    run.reconnections.push(index === -1 ? null : (req.rawHeaders[index + 1] ?? ''))
    // 204: "fail the connection", so the source stops here.
    res.writeHead(204).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

let next = 0
/** Streams `bytes` as a first response over HTTP; the source then reconnects once and fails on the 204. */
async function overHttp(bytes: Uint8Array) {
  const path = `/run/${next++}`
  const run: Run = {bytes, isServed: false, reconnections: []}
  runs.set(path, run)
  const source = new EventSource(`${origin}${path}`)
  const events: TranscriptEvent[] = []
  const errors: EventSourceErrorEvent[] = []
  const dispatchEvent = source.dispatchEvent.bind(source)
  source.dispatchEvent = (event: Event): boolean => {
    if (event instanceof MessageEvent) events.push({type: event.type, data: event.data as string, lastEventId: event.lastEventId})
    if (event instanceof EventSourceErrorEvent) errors.push(event)
    return dispatchEvent(event)
  }
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the source neither reconnected nor failed')), 5000)
      source.addEventListener('error', () => {
        if (source.readyState !== EventSource.CLOSED) return
        clearTimeout(timer)
        resolve()
      })
    })
  } finally {
    source.close()
    runs.delete(path)
  }
  return {events, errors, reconnections: run.reconnections, lastEventId: source.lastEventId}
}

/** What the wire must carry for a last event ID string: its UTF-8 bytes (latin1), spaces and tabs around it trimmed. */
const wireBytes = (lastEventId: string): string => Buffer.from(encoder.encode(lastEventId)).toString('latin1').replace(/^[\t ]+|[\t ]+$/g, '')

async function checkStream(bytes: Uint8Array): Promise<void> {
  const reference = interpretEventStream(bytes)
  const ours = await overHttp(bytes)
  expect(ours.events).toEqual(reference.events)
  expect(ours.lastEventId).toBe(reference.lastEventId)
  const id = reference.lastEventId
  const [ended, last] = [ours.errors[0], ours.errors.at(-1)]
  // The end of the first stream: reconnect, no error.
  expect([ended?.error, ended?.willReconnect]).toEqual([undefined, true])
  if (NOT_FIELD_VALUE.test(id)) {
    // Node's fetch refuses the header before sending: a failed connection that says why.
    expect(ours.reconnections).toEqual([])
    expect(last?.error).toBeInstanceOf(RequestInitError)
    expect(last?.error?.message).toContain('last-event-id: ')
    expect(ours.errors).toHaveLength(2)
  } else {
    // [spec] no header for an empty last event ID string; otherwise its exact UTF-8 bytes.
    expect(ours.reconnections).toEqual([id === '' ? null : wireBytes(id)])
    expect(last?.error?.name).toBe('HttpError')
  }
}

describe('the Last-Event-ID bytes of a reconnection', () => {
  it('carry each C0 control and DEL as the standard says, or fail the connection where fetch refuses them', async () => {
    for (const control of CONTROLS) {
      const bytes = encoder.encode(`retry: 1\nid: a${control}b\ndata: x\n\n`)
      await checkStream(bytes)
    }
  })

  it('carry multi-byte and invalid UTF-8 ids as the UTF-8 of the decoded id', async () => {
    for (const id of [encoder.encode('é€日本𝄞😀'), ...INVALID_UTF8, encoder.encode('\uFEFFx'), encoder.encode(' \t padded\t ')]) {
      await checkStream(encodeSegments(['retry: 1\nid: ', id, '\ndata: x\n\n']))
    }
  })

  it('match the reference for generated streams and ids', async () => {
    await fc.assert(fc.asyncProperty(streamWithId, checkStream), {numRuns: 150})
  })
})
