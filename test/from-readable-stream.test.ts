// [non-spec] EventSource.fromReadableStream(), from the proposal whatwg/html PR #12272 and its tests
// (web-platform-tests PR #58550): an EventSource over a stream of bytes, with no request and no
// reconnection. The cases follow the proposal's text; check the PRs when the standard moves.
import {iterate} from '../src/iterate/index.js'
import {afterEach, describe, expect, it, vi} from 'vitest'
import {EventSource, EventSourceErrorEvent, MaxEventSizeError, NetworkError} from '../src/index.js'
import {bytesOf, next, record, SPLITS, splitBytes, streamOf, until, useCleanups} from './helpers.js'

const {server} = useCleanups()

afterEach(() => {
  vi.restoreAllMocks()
})

/** A stream of `chunks` (strings are UTF-8 encoded) that records whether and why it was cancelled. */
function recordedStream(chunks: Array<string | Uint8Array>, {close = true} = {}) {
  const state = {isCancelled: false, reason: undefined as unknown}
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(bytesOf(chunk))
      if (close) controller.close()
    },
    cancel(reason) {
      state.isCancelled = true
      state.reason = reason
    },
  })
  return {stream, state}
}

/** Runs a stream source to its error event and returns what it dispatched. */
async function transcribeStream(stream: ReadableStream<Uint8Array>, types: readonly string[] = ['open', 'message', 'error']) {
  const source = EventSource.fromReadableStream(stream)
  const seen = record(source, types)
  const error = (await next(source, 'error')) as EventSourceErrorEvent
  return {source, seen, error}
}

describe('[non-spec] EventSource.fromReadableStream (whatwg/html PR #12272)', () => {
  it('returns an EventSource in CONNECTING with url about:event-stream, no credentials, no last event ID and a positive reconnection time', () => {
    const source = EventSource.fromReadableStream(streamOf([]))
    expect(source).toBeInstanceOf(EventSource)
    expect(source.readyState).toBe(EventSource.CONNECTING)
    expect(source.url).toBe('about:event-stream')
    expect(source.withCredentials).toBe(false)
    expect(source.lastEventId).toBe('')
    expect(source.reconnectionTime).toBeGreaterThan(0)
    source.close()
  })

  it('is an enumerable static of the interface, like the other WebIDL members', () => {
    expect(Object.getOwnPropertyDescriptor(EventSource, 'fromReadableStream')?.enumerable).toBe(true)
    expect(EventSource.fromReadableStream.length).toBe(1)
  })

  it('throws a TypeError for a locked stream, and for anything that is not a ReadableStream', () => {
    const locked = streamOf([])
    locked.getReader()
    expect(() => EventSource.fromReadableStream(locked)).toThrow(TypeError)
    for (const bad of [undefined, null, 'data: x\n\n', {}, new Uint8Array(1)]) {
      expect(() => EventSource.fromReadableStream(bad as unknown as ReadableStream<Uint8Array>)).toThrow(TypeError)
    }
  })

  it('locks the stream at once, so nothing else can read from it', () => {
    const stream = streamOf([bytesOf('data: x\n\n')])
    const source = EventSource.fromReadableStream(stream)
    expect(stream.locked).toBe(true)
    source.close()
  })

  it('fires open, then a MessageEvent per event with origin "null", then one error event, and is CLOSED', async () => {
    const {stream} = recordedStream([': a comment\nunknown: field\ndata: hello\ndata: world\n\nevent: custom\ndata: named\n\n'])
    const {source, seen, error} = await transcribeStream(stream, ['open', 'message', 'custom', 'error'])
    expect(seen).toEqual([
      {type: 'open', readyState: EventSource.OPEN},
      {type: 'message', data: 'hello\nworld', lastEventId: '', origin: 'null', readyState: EventSource.OPEN},
      {type: 'custom', data: 'named', lastEventId: '', origin: 'null', readyState: EventSource.OPEN},
      {type: 'error', readyState: EventSource.CLOSED},
    ])
    expect(error).toBeInstanceOf(EventSourceErrorEvent)
    expect(error.error).toBeUndefined()
    expect([error.willReconnect, error.reconnectDelay]).toEqual([false, null])
    expect(source.readyState).toBe(EventSource.CLOSED)
  })

  it('fires open and error for an empty stream', async () => {
    const {seen} = await transcribeStream(streamOf([]))
    expect(seen).toEqual([
      {type: 'open', readyState: EventSource.OPEN},
      {type: 'error', readyState: EventSource.CLOSED},
    ])
  })

  it('interprets CR, LF and CRLF, strips one BOM, and drops the incomplete last event, whatever the chunks', async () => {
    const bytes = bytesOf('\uFEFFdata: cr\r\rdata: lf\n\ndata: crlf\r\n\r\nid: é€𝄞\ndata: \uFEFFbom stays\n\ndata: incomplete')
    const expected = [
      {type: 'message', data: 'cr', lastEventId: '', origin: 'null', readyState: EventSource.OPEN},
      {type: 'message', data: 'lf', lastEventId: '', origin: 'null', readyState: EventSource.OPEN},
      {type: 'message', data: 'crlf', lastEventId: '', origin: 'null', readyState: EventSource.OPEN},
      {type: 'message', data: '\uFEFFbom stays', lastEventId: 'é€𝄞', origin: 'null', readyState: EventSource.OPEN},
    ]
    for (const split of SPLITS) {
      const {seen} = await transcribeStream(streamOf(splitBytes(bytes, split)), ['message'])
      expect(seen, JSON.stringify(split)).toEqual(expected)
    }
  })

  it('updates lastEventId and reconnectionTime from id and retry fields, and ignores a retry that is not all digits', async () => {
    // One chunk each: a chunk's fields are parsed before its events are dispatched.
    const {stream} = recordedStream(['retry: bogus\ndata: a\n\n', 'id: 42\nretry: 5000\ndata: b\n\n', 'retry: 1.5\nid\n\n'])
    const source = EventSource.fromReadableStream(stream)
    const initial = source.reconnectionTime
    const states: Array<[string, number]> = []
    source.onmessage = () => states.push([source.lastEventId, source.reconnectionTime])
    await next(source, 'error')
    expect(states).toEqual([
      ['', initial],
      ['42', 5000],
    ])
    // An id field without a value sets the last event ID to "".
    expect([source.lastEventId, source.reconnectionTime]).toEqual(['', 5000])
  })

  it('never reconnects: no request is made, before or after the error event', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch')
    const {source} = await transcribeStream(streamOf([bytesOf('data: x\n\n')]))
    let errors = 1
    source.addEventListener('error', () => errors++)
    // A reconnection would take a task or more: let several pass.
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve))
    expect(errors).toBe(1)
    expect(source.readyState).toBe(EventSource.CLOSED)
    expect(fetchSpy).not.toHaveBeenCalled()
  })

  it('dispatches the complete events, then fails with a NetworkError carrying the cause when the stream errors', async () => {
    const failure = new Error('socket hang up')
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytesOf('data: one\n\ndata: cut'))
      },
      pull(controller) {
        controller.error(failure)
      },
    })
    const {seen, error, source} = await transcribeStream(stream)
    expect(seen.map((entry) => entry.type + (entry.data === undefined ? '' : `:${entry.data}`))).toEqual(['open', 'message:one', 'error'])
    expect(error.error).toBeInstanceOf(NetworkError)
    expect(error.error?.cause).toBe(failure)
    expect(source.readyState).toBe(EventSource.CLOSED)
  })

  it('fails with a NetworkError when a chunk is not bytes', async () => {
    const stream = new ReadableStream<unknown>({
      start(controller) {
        controller.enqueue(bytesOf('data: ok\n\n'))
        controller.enqueue(42)
      },
    }) as ReadableStream<Uint8Array>
    const {seen, error} = await transcribeStream(stream)
    expect(seen.map((entry) => entry.type)).toEqual(['open', 'message', 'error'])
    expect(error.error).toBeInstanceOf(NetworkError)
    expect(error.error?.cause).toBeInstanceOf(TypeError)
  })

  it('fails with a MaxEventSizeError for a line too long to buffer, after the events before it', async () => {
    const huge = 'x'.repeat(17 * 1024 * 1024)
    const {seen, error} = await transcribeStream(streamOf([bytesOf('data: small\n\n'), bytesOf(`data: ${huge}`)]))
    expect(seen.map((entry) => entry.type)).toEqual(['open', 'message', 'error'])
    expect(error.error).toBeInstanceOf(MaxEventSizeError)
  })

  it('cancels the stream on close(), also right after construction, and fires nothing after it', async () => {
    const early = recordedStream(['data: never\n\n'], {close: false})
    const closedAtOnce = EventSource.fromReadableStream(early.stream)
    const heard = record(closedAtOnce, ['open', 'message', 'error'])
    closedAtOnce.close()
    await until(() => early.state.isCancelled)
    expect(heard).toEqual([])

    const later = recordedStream(['data: 1\n\ndata: 2\n\n'], {close: false})
    const source = EventSource.fromReadableStream(later.stream)
    const seen = record(source, ['message', 'error'])
    source.onmessage = () => source.close()
    await until(() => later.state.isCancelled)
    // The recording listener runs before onmessage closes the source: one event, then nothing.
    expect(seen).toEqual([{type: 'message', data: '1', lastEventId: '', origin: 'null', readyState: EventSource.OPEN}])
    expect(source.readyState).toBe(EventSource.CLOSED)
  })

  it('keeps lastEventId and reconnectionTime across responses piped through one TransformStream (the proposal pattern)', async () => {
    const pipe = new TransformStream<Uint8Array, Uint8Array>()
    const source = EventSource.fromReadableStream(pipe.readable)
    const seen = record(source, ['message', 'error'])
    const states: Array<[string, number]> = []
    source.addEventListener('message', () => states.push([source.lastEventId, source.reconnectionTime]))
    await streamOf([bytesOf('id: 42\nretry: 1234\ndata: first\n\n')]).pipeTo(pipe.writable, {preventClose: true})
    await until(() => seen.length === 1)
    expect([source.lastEventId, source.reconnectionTime]).toEqual(['42', 1234])
    // The caller "reconnects" by hand: a second response through the same pipe, then the end.
    await streamOf([bytesOf('data: after-reconnect\n\n')]).pipeTo(pipe.writable)
    await until(() => seen.length === 3)
    expect(seen.map((entry) => [entry.type, entry.data, entry.lastEventId])).toEqual([
      ['message', 'first', '42'],
      ['message', 'after-reconnect', '42'],
      ['error', undefined, undefined],
    ])
    expect(states).toEqual([
      ['42', 1234],
      ['42', 1234],
    ])
  })

  it('works with for await: every event, then the loop ends when the stream does', async () => {
    const source = EventSource.fromReadableStream(streamOf([bytesOf('data: a\n\nevent: b\ndata: b\n\n')]))
    const events: string[] = []
    for await (const event of iterate(source)) events.push(`${event.type}:${event.data}`)
    expect(events).toEqual(['message:a', 'b:b'])
    expect(source.readyState).toBe(EventSource.CLOSED)
  })

  it('makes the for await loop throw the NetworkError of a stream that errors', async () => {
    const failure = new Error('broken')
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytesOf('data: a\n\n'))
      },
      pull(controller) {
        controller.error(failure)
      },
    })
    const data: string[] = []
    const thrown = await (async () => {
      try {
        for await (const event of iterate(EventSource.fromReadableStream(stream))) data.push(event.data)
      } catch (error) {
        return error
      }
    })()
    expect(data).toEqual(['a'])
    expect(thrown).toBeInstanceOf(NetworkError)
    expect((thrown as NetworkError).cause).toBe(failure)
  })

  it('reads a fetch response body, and close() ends the request the server sees', async () => {
    let hasRequestEnded = false
    const target = await server((req, res) => {
      res.writeHead(200, {'content-type': 'text/event-stream'})
      res.write('id: 1\nretry: 250\ndata: hello\n\n')
      res.on('close', () => {
        hasRequestEnded = true
      })
    })
    const response = await fetch(target.url)
    const source = EventSource.fromReadableStream(response.body as ReadableStream<Uint8Array>)
    const event = (await next(source, 'message')) as MessageEvent<string>
    expect([event.data, event.origin, source.lastEventId, source.reconnectionTime]).toEqual(['hello', 'null', '1', 250])
    source.close()
    await until(() => hasRequestEnded)
  })

  it('reports a listener exception and carries on with the next event', async () => {
    const reported: unknown[] = []
    const onError = (error: unknown): void => {
      reported.push(error)
    }
    process.on('uncaughtException', onError)
    try {
      const source = EventSource.fromReadableStream(streamOf([bytesOf('data: 1\n\ndata: 2\n\n')]))
      const data: string[] = []
      source.onmessage = (event) => {
        data.push(event.data)
        if (event.data === '1') throw new Error('listener bug')
      }
      await next(source, 'error')
      await until(() => reported.length === 1)
      expect(data).toEqual(['1', '2'])
    } finally {
      process.off('uncaughtException', onError)
    }
  })
})
