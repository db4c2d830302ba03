import {describe, expect, it} from 'vitest'
import {EventSource, type EventSourceErrorEvent, type EventSourceInit, MaxEventSizeError} from '../src/index.js'
import {bytesOf, next, record, type Split, splitBytes, until} from './helpers.js'
import {FAKE_URL, faultServer, source} from './resilience-helpers.js'

// [non-spec] maxEventSize, and how the source copes with hostile bytes: invalid UTF-8 and a server
// that delivers one byte at a time.

/** A fetch answering once with `chunks` on a stream that then stays open (so only the source can end it). */
function chunkedFetch(chunks: ReadonlyArray<string | Uint8Array>) {
  let isCancelled = false
  const fetch = async (): Promise<Response> => {
    const queue = chunks.map((chunk) => bytesOf(chunk).slice())
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = queue.shift()
        // Out of chunks: stay open, like a server that keeps the stream.
        if (chunk === undefined) return new Promise<void>(() => {})
        controller.enqueue(chunk)
      },
      cancel() {
        isCancelled = true
      },
    })
    return new Response(body, {headers: {'content-type': 'text/event-stream'}})
  }
  return {fetch, cancelled: () => isCancelled}
}

/** A fetch answering with `chunks`, then ending the stream. */
function endingFetch(chunks: readonly Uint8Array[]) {
  return async (): Promise<Response> => {
    const queue = chunks.map((chunk) => chunk.slice())
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = queue.shift()
        if (chunk === undefined) controller.close()
        else controller.enqueue(chunk)
      },
    })
    return new Response(body, {headers: {'content-type': 'text/event-stream'}})
  }
}

function concat(...parts: Array<string | readonly number[]>): Uint8Array {
  const arrays = parts.map((part) => (typeof part === 'string' ? bytesOf(part) : Uint8Array.from(part)))
  const out = new Uint8Array(arrays.reduce((sum, array) => sum + array.byteLength, 0))
  let offset = 0
  for (const array of arrays) {
    out.set(array, offset)
    offset += array.byteLength
  }
  return out
}

describe('[non-spec] maxEventSize', () => {
  it('fails the connection when a buffered line grows past it', async () => {
    const {fetch, cancelled} = chunkedFetch(['data: ' + 'x'.repeat(600), 'x'.repeat(600)])
    const created = source({fetch, maxEventSize: 1000})
    const seen = record(created, ['open', 'message', 'error'])
    const event = (await next(created, 'error')) as EventSourceErrorEvent
    expect(event.error).toBeInstanceOf(MaxEventSizeError)
    expect((event.error as MaxEventSizeError).limit).toBe(1000)
    expect([event.willReconnect, event.reconnectDelay]).toEqual([false, null])
    expect(seen).toEqual([
      {type: 'open', readyState: EventSource.OPEN},
      {type: 'error', readyState: EventSource.CLOSED},
    ])
    await until(cancelled)
    expect(cancelled()).toBe(true)
  })

  it('counts the whole buffered line, field name included: 1000 characters pass, 1001 fail', async () => {
    const fits = source({fetch: chunkedFetch(['data: ' + 'x'.repeat(494), 'x'.repeat(500), '\n\n']).fetch, maxEventSize: 1000})
    const message = (await next(fits, 'message')) as MessageEvent<string>
    expect(message.data).toBe('x'.repeat(994))
    expect(fits.readyState).toBe(EventSource.OPEN)

    const overflows = source({fetch: chunkedFetch(['data: ' + 'x'.repeat(494), 'x'.repeat(501), '\n\n']).fetch, maxEventSize: 1000})
    const error = (await next(overflows, 'error')) as EventSourceErrorEvent
    expect(error.error).toBeInstanceOf(MaxEventSizeError)
    expect(overflows.readyState).toBe(EventSource.CLOSED)
  })

  it('counts the data of an event across its lines: 1202 characters pass, 1203 fail', async () => {
    // Three lines of 400: 400 + 1 + 400 + 1 + 400 = 1202 characters of data.
    const event = 'data: ' + 'a'.repeat(400) + '\n'
    const body = event.repeat(3) + '\n'
    const fits = source({fetch: chunkedFetch([body]).fetch, maxEventSize: 1202})
    expect(((await next(fits, 'message')) as MessageEvent<string>).data).toBe(['a', 'a', 'a'].map((c) => c.repeat(400)).join('\n'))

    const overflows = source({fetch: chunkedFetch([body]).fetch, maxEventSize: 1201})
    const seen = record(overflows, ['message', 'error'])
    const error = (await next(overflows, 'error')) as EventSourceErrorEvent
    expect(error.error).toBeInstanceOf(MaxEventSizeError)
    expect(seen.map((entry) => entry.type)).toEqual(['error'])
  })

  it('applies to each event on its own', async () => {
    const events = Array.from({length: 5}, (_, i) => [`data: ${i}` + 'y'.repeat(450), 'y'.repeat(450) + '\n\n']).flat()
    const created = source({fetch: chunkedFetch(events).fetch, maxEventSize: 1000})
    const data: string[] = []
    created.onmessage = (event) => data.push(event.data)
    await until(() => data.length === 5)
    expect(data.map((item) => [item[0], item.length])).toEqual(Array.from({length: 5}, (_, i) => [`${i}`, 901]))
    expect(created.readyState).toBe(EventSource.OPEN)
  })

  it('does not count comments or unknown fields, which the parser skips', async () => {
    const {fetch} = chunkedFetch([': ' + 'c'.repeat(600), 'c'.repeat(600), '\n', 'foo: ' + 'f'.repeat(600), 'f'.repeat(600), '\n', 'data: ok\n\n'])
    const created = source({fetch, maxEventSize: 1000})
    const seen = record(created, ['message', 'error'])
    await next(created, 'message')
    expect(seen).toEqual([{type: 'message', data: 'ok', lastEventId: '', origin: 'http://127.0.0.1:9', readyState: EventSource.OPEN}])
  })

  it('counts UTF-16 code units of the decoded text, not bytes', async () => {
    // 994 × 'é' is 1988 bytes but 994 code units: with 'data: ' it is exactly 1000.
    const accented = bytesOf('data: ' + 'é'.repeat(994))
    const fits = source({fetch: chunkedFetch([accented.subarray(0, 999), accented.subarray(999), '\n\n']).fetch, maxEventSize: 1000})
    expect(((await next(fits, 'message')) as MessageEvent<string>).data).toBe('é'.repeat(994))

    // 498 × '😀' is 498 characters but 996 code units: 1002 with 'data: '.
    const emoji = bytesOf('data: ' + '😀'.repeat(498))
    const overflows = source({fetch: chunkedFetch([emoji.subarray(0, 1001), emoji.subarray(1001), '\n\n']).fetch, maxEventSize: 1000})
    const error = (await next(overflows, 'error')) as EventSourceErrorEvent
    expect(error.error).toBeInstanceOf(MaxEventSizeError)
  })

  // Bug: eventsource-parser dispatches a one-line event that is followed by a blank line in the same
  // chunk without checking maxBufferSize, so only the LF form gets through; the CRLF form fails.
  it('rejects an oversized one-line event that arrives in one chunk, with LF as with CRLF line endings', async () => {
    for (const newline of ['\r\n', '\n']) {
      const created = source({fetch: chunkedFetch([`data: ${'x'.repeat(2000)}${newline}${newline}`]).fetch, maxEventSize: 1000})
      // The stream stays open: whichever comes first tells.
      const first = await Promise.race([next(created, 'message'), next(created, 'error')])
      expect(first.type, JSON.stringify(newline)).toBe('error')
      expect((first as EventSourceErrorEvent).error).toBeInstanceOf(MaxEventSizeError)
    }
  })

  it('is unlimited for Infinity', async () => {
    const mebibyte = 'z'.repeat(1024 * 1024)
    const chunks = ['data: ', ...Array.from({length: 17}, () => mebibyte), '\n\n']
    const created = source({fetch: chunkedFetch(chunks).fetch, maxEventSize: Number.POSITIVE_INFINITY})
    const message = (await next(created, 'message')) as MessageEvent<string>
    expect(message.data.length).toBe(17 * 1024 * 1024)
  })
})

describe('[non-spec] maxEventSize over HTTP', () => {
  it('fails on a 20 MB line at the default 16 MiB', async () => {
    const server = await faultServer({kind: 'huge-line', totalBytes: 20_000_000, chunkBytes: 64 * 1024, prefix: 'data: '})
    const created = source({reconnectionTime: 5}, server.url)
    const seen = record(created, ['open', 'message', 'error'])
    const event = (await next(created, 'error')) as EventSourceErrorEvent
    expect(event.error).toBeInstanceOf(MaxEventSizeError)
    expect((event.error as MaxEventSizeError).limit).toBe(16 * 1024 * 1024)
    expect(created.readyState).toBe(EventSource.CLOSED)
    expect(seen.map((entry) => [entry.type, entry.readyState])).toEqual([
      ['open', EventSource.OPEN],
      ['error', EventSource.CLOSED],
    ])
    // Socket buffers may swallow the last few MB of the line before the client gives up, so whether
    // the server got to finish is not asserted here (see the next test); it did write past the limit.
    expect(server.log[0]?.bytesWritten).toBeGreaterThan(16 * 1024 * 1024)
    expect(server.requests).toHaveLength(1)
  })

  it('stops the transfer long before the end of the line with a small limit', async () => {
    const server = await faultServer({kind: 'huge-line', totalBytes: 20_000_000, prefix: 'data: '})
    const created = source({maxEventSize: 64 * 1024}, server.url)
    const event = (await next(created, 'error')) as EventSourceErrorEvent
    expect((event.error as MaxEventSizeError).limit).toBe(64 * 1024)
    await until(() => server.log[0]?.clientLeft === true)
    // Socket buffers hold a few MB at most; the rest of the 20 MB is never written.
    expect(server.log[0]?.bytesWritten).toBeLessThan(20_000_000)
    expect(server.log[0]?.finished).toBe(false)
  })
})

describe('[non-spec] validating maxEventSize', () => {
  it.for([
    ['0', 0],
    ['-1', -1],
    ['1.5', 1.5],
    ['NaN', Number.NaN],
    ['"10"', '10'],
    ['null', null],
  ] as const)('throws a TypeError naming "maxEventSize" for %s', ([, maxEventSize]) => {
    const construct = () => new EventSource(FAKE_URL, {maxEventSize} as unknown as EventSourceInit)
    expect(construct).toThrow(TypeError)
    expect(construct).toThrow('option "maxEventSize"')
  })

  it('accepts 1, a whole number and Infinity', () => {
    for (const maxEventSize of [1, 4096, Number.POSITIVE_INFINITY]) {
      const created = new EventSource(FAKE_URL, {maxEventSize, fetch: chunkedFetch([]).fetch})
      created.close()
      expect(created.readyState).toBe(EventSource.CLOSED)
    }
  })
})

// [spec] "Event streams are always decoded as UTF-8" with the UTF-8 decode algorithm: each maximal
// invalid subsequence becomes one U+FFFD, however the bytes are split into chunks.
const INVALID_UTF8: Array<[string, readonly number[], string]> = [
  ['a lone 0xFF', [0x61, 0xff, 0x62], 'a\uFFFDb'],
  ['a truncated three-byte sequence', [0xe2, 0x82, 0x63], '\uFFFDc'],
  ['an overlong encoding', [0xc0, 0xaf], '\uFFFD\uFFFD'],
  ['an encoded surrogate', [0xed, 0xa0, 0x80], '\uFFFD\uFFFD\uFFFD'],
  ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], '\uFFFD\uFFFD\uFFFD\uFFFD'],
  ['a truncated sequence right before the line break', [0x78, 0xf0, 0x9f, 0x98], 'x\uFFFD'],
  ['a valid four-byte character', [0xf0, 0x9f, 0x98, 0x80], '😀'],
]
const SPLITS: Split[] = [{kind: 'whole'}, {kind: 'bytes'}, {kind: 'random', seed: 7}]

describe('invalid UTF-8', () => {
  it.for(INVALID_UTF8)('decodes %s as U+FFFD, split whole, bytewise and randomly', async ([, bytes, expected]) => {
    const stream = concat('data: ', bytes, '\n\nid: i', [0xfe], '\nevent: t', [0xff], '\ndata: after\n\n')
    for (const split of SPLITS) {
      const created = source({fetch: endingFetch(splitBytes(stream, split))})
      const seen = record(created, ['message', 't\uFFFD'])
      await next(created, 'error')
      created.close()
      expect(seen.map(({type, data, lastEventId}) => [type, data, lastEventId]), JSON.stringify(split)).toEqual([
        ['message', expected, ''],
        ['t\uFFFD', 'after', 'i\uFFFD'],
      ])
    }
  })

  it('turns an invalid byte at the start of a line into an unknown field that is ignored', async () => {
    const created = source({fetch: endingFetch([concat([0xff], 'data: hidden\n\ndata: shown\n\n')])})
    const seen = record(created, ['message'])
    await next(created, 'error')
    expect(seen.map((event) => event.data)).toEqual(['shown'])
  })

  it('is decoded the same when a real server writes the bad bytes in separate packets', async () => {
    const chunks = [bytesOf('data: a'), Uint8Array.from([0xff]), Uint8Array.from([0xe2, 0x82]), bytesOf('b\n\n'), Uint8Array.from([0xf0, 0x9f]), Uint8Array.from([0x98, 0x80]), bytesOf('\n'), bytesOf('data: end\n\n')]
    const server = await faultServer({kind: 'bytes', chunks}, {kind: 'open'})
    const created = source({reconnectionTime: 5}, server.url)
    const seen = record(created, ['message', 'error'])
    await next(created, 'error')
    // The "😀" line in between is a field named "😀": unknown, so it is ignored.
    expect(seen.map(({type, data}) => [type, data])).toEqual([
      ['message', 'a\uFFFD\uFFFDb'],
      ['message', 'end'],
      ['error', undefined],
    ])
    expect(server.log[0]?.finished).toBe(true)
  })
})

describe('slow delivery', () => {
  it('parses a stream written one byte per write over HTTP: BOM, CR, CRLF, multi-byte characters', async () => {
    const body = '\uFEFFid: 1\r\nevent: greet\rdata: héllo 日本 😀\r\n\r\n: comment\ndata: line1\ndata: line2\n\n'
    const server = await faultServer({kind: 'slow', body}, {kind: 'open'})
    const created = source({reconnectionTime: 5}, server.url)
    const seen = record(created, ['open', 'greet', 'message', 'error'])
    await until(() => seen.some((event) => event.type === 'error'))
    expect(seen.map(({type, data, lastEventId}) => [type, data, lastEventId])).toEqual([
      ['open', undefined, undefined],
      ['greet', 'héllo 日本 😀', '1'],
      ['message', 'line1\nline2', '1'],
      ['error', undefined, undefined],
    ])
    expect(server.log[0]?.bytesWritten).toBe(Buffer.byteLength(body))
  })

  it('decodes invalid UTF-8 written one byte per write over HTTP', async () => {
    const body = concat('data: ', [0xe2, 0x82], 'x', [0xed, 0xa0, 0x80], [0xf0, 0x9f, 0x98, 0x80], '\n\n')
    const server = await faultServer({kind: 'slow', body}, {kind: 'open'})
    const created = source({reconnectionTime: 5}, server.url)
    const message = (await next(created, 'message')) as MessageEvent<string>
    expect(message.data).toBe('\uFFFDx\uFFFD\uFFFD\uFFFD😀')
  })

  it('stays within maxEventSize when a long line drips in: the line counts, not the chunks', async () => {
    const body = 'data: ' + 'd'.repeat(200) + '\n\n'
    const first = await faultServer({kind: 'slow', body}, {kind: 'open'})
    const fits = source({maxEventSize: 206}, first.url)
    expect(((await next(fits, 'message')) as MessageEvent<string>).data).toBe('d'.repeat(200))
    const second = await faultServer({kind: 'slow', body}, {kind: 'open'})
    const overflows = source({maxEventSize: 205}, second.url)
    const error = (await next(overflows, 'error')) as EventSourceErrorEvent
    expect(error.error).toBeInstanceOf(MaxEventSizeError)
  })
})
