// [non-spec] parseEventStream (entry eventsource-kit/parse): the EventSource's interpretation of a
// stream the caller already holds, with the same decoder, the same response check and errors.
import {describe, expect, it} from 'vitest'
import {
  ContentTypeError,
  type EventStreamChunk,
  HttpError,
  MaxEventSizeError,
  NetworkError,
  type ParsedEvent,
  parseEventStream,
} from '../src/parse/index.js'
import {bytesOf, SPLITS, splitBytes, streamOf, streamResponse, until, useCleanups} from './helpers.js'

const {server} = useCleanups()

async function collect(iterable: AsyncIterable<ParsedEvent>): Promise<ParsedEvent[]> {
  const events: ParsedEvent[] = []
  for await (const event of iterable) events.push(event)
  return events
}

async function* generate(chunks: readonly EventStreamChunk[]): AsyncGenerator<EventStreamChunk> {
  for (const chunk of chunks) yield chunk
}

/** A stream that records whether it was cancelled; it never closes by itself when `isEndless`. */
function cancellable(chunks: readonly string[], isEndless = true) {
  const state = {isCancelled: false}
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(bytesOf(chunk))
      if (!isEndless) controller.close()
    },
    cancel() {
      state.isCancelled = true
    },
  })
  return {stream, state}
}

const STREAM = '\uFEFFretry: 1500\n: comment\nid: 1\ndata: a\ndata: b\n\nevent: tick\ndata: c\n\nid: x\u0000y\ndata: d\n\nid: 2\n\nunknown: z\ndata: e\r\n\r\ndata: cut'
const EXPECTED: ParsedEvent[] = [
  {type: 'message', data: 'a\nb', lastEventId: '1', id: '1'},
  {type: 'tick', data: 'c', lastEventId: '1', id: undefined},
  // [spec] an id field containing NUL is ignored.
  {type: 'message', data: 'd', lastEventId: '1', id: undefined},
  {type: 'message', data: 'e', lastEventId: '2', id: undefined},
]

describe('[non-spec] parseEventStream', () => {
  it('yields type, data, lastEventId and the block id, as the EventSource interprets them, in any chunking', async () => {
    const bytes = bytesOf(STREAM)
    for (const split of SPLITS) {
      const events = parseEventStream(streamOf(splitBytes(bytes, split)))
      expect(await collect(events), JSON.stringify(split)).toEqual(EXPECTED)
      expect([events.lastEventId, events.reconnectionTime]).toEqual(['2', 1500])
    }
  })

  it('reads a ReadableStream, an async iterable of bytes or of strings, and a Response', async () => {
    const bytes = bytesOf(STREAM)
    const chunks = splitBytes(bytes, {kind: 'random', seed: 7})
    // Strings are text already decoded: cut the text, not the bytes.
    const text = new TextDecoder('utf-8', {ignoreBOM: true}).decode(bytes)
    const texts = [text.slice(0, 1), text.slice(1, 9), text.slice(9, 40), text.slice(40)]
    const sources = {
      'a ReadableStream of bytes': streamOf(chunks),
      'an async iterable of bytes': generate(chunks),
      'an async iterable of strings': generate(texts),
      'a ReadableStream of strings': new ReadableStream<string>({
        start(controller) {
          for (const t of texts) controller.enqueue(t)
          controller.close()
        },
      }),
      'a Response': streamResponse(chunks),
    }
    for (const [name, source] of Object.entries(sources)) {
      const events = parseEventStream(source)
      expect(await collect(events), name).toEqual(EXPECTED)
      expect(events.lastEventId, name).toBe('2')
    }
  })

  it('exposes lastEventId and reconnectionTime while iterating, and an id-only block once the events before it are out', async () => {
    const events = parseEventStream(streamOf([bytesOf('data: 1\n\nid: 9\n\n'), bytesOf('retry: 20\ndata: 2\n\n')]), {lastEventId: 'seed'})
    expect([events.lastEventId, events.reconnectionTime]).toEqual(['seed', undefined])
    const states: Array<[string, string, number | undefined]> = []
    for await (const event of events) states.push([event.lastEventId, events.lastEventId, events.reconnectionTime])
    expect(states).toEqual([
      ['seed', 'seed', undefined],
      ['9', '9', 20],
    ])
    expect([events.lastEventId, events.reconnectionTime]).toEqual(['9', 20])
  })

  it('checks a Response as the EventSource does: HttpError with status, headers and the start of the body', async () => {
    const response = new Response('model overloaded', {status: 529, statusText: 'Overloaded', headers: {'content-type': 'text/plain', 'retry-after': '3'}})
    const thrown = await collect(parseEventStream(response)).catch((error: unknown) => error)
    expect(thrown).toBeInstanceOf(HttpError)
    const error = thrown as HttpError
    expect([error.status, error.statusText, error.headers.get('retry-after'), error.body]).toEqual([529, 'Overloaded', '3', 'model overloaded'])
    const noContent = await collect(parseEventStream(new Response(null, {status: 204}))).catch((caught: unknown) => caught)
    expect((noContent as HttpError).status).toBe(204)
  })

  it('checks the Content-Type essence: ContentTypeError for another type, the body cancelled; parameters and case do not matter', async () => {
    const {stream, state} = cancellable(['data: {"not":"sse"}\n\n'])
    const thrown = await collect(parseEventStream(new Response(stream, {headers: {'content-type': 'application/json'}}))).catch((error: unknown) => error)
    expect(thrown).toBeInstanceOf(ContentTypeError)
    expect((thrown as ContentTypeError).contentType).toBe('application/json')
    await until(() => state.isCancelled)
    const events = await collect(parseEventStream(new Response('data: ok\n\n', {headers: {'content-type': 'Text/Event-Stream; charset=utf-8'}})))
    expect(events.map((event) => event.data)).toEqual(['ok'])
  })

  it('reads any response with validate: false', async () => {
    const response = new Response('data: {"x":1}\n\n', {status: 201, headers: {'content-type': 'application/x-ndjson'}})
    expect((await collect(parseEventStream(response, {validate: false}))).map((event) => event.data)).toEqual(['{"x":1}'])
  })

  it('ends at once for a 200 response without a body', async () => {
    const response = new Response(null, {status: 200, headers: {'content-type': 'text/event-stream'}})
    expect(await collect(parseEventStream(response))).toEqual([])
  })

  it('cancels the request when the loop is left with break: the server sees it end', async () => {
    let hasRequestEnded = false
    const target = await server((_req, res) => {
      res.writeHead(200, {'content-type': 'text/event-stream'})
      res.write('data: first\n\ndata: [DONE]\n\n')
      res.on('close', () => {
        hasRequestEnded = true
      })
    })
    const data: string[] = []
    for await (const event of parseEventStream(await fetch(target.url))) {
      if (event.data === '[DONE]') break
      data.push(event.data)
    }
    expect(data).toEqual(['first'])
    await until(() => hasRequestEnded)
  })

  it('cancels the stream and rejects with the reason when the signal aborts, even while waiting for a chunk', async () => {
    const {stream, state} = cancellable(['data: 1\n\n'])
    const controller = new AbortController()
    const seen: string[] = []
    const thrown = await (async () => {
      try {
        for await (const event of parseEventStream(stream, {signal: controller.signal})) {
          seen.push(event.data)
          setTimeout(() => controller.abort(new Error('user stopped')), 5)
        }
      } catch (error) {
        return error
      }
    })()
    expect(seen).toEqual(['1'])
    expect((thrown as Error).message).toBe('user stopped')
    expect(state.isCancelled).toBe(true)
  })

  it('rejects with the reason of an already aborted signal, and cancels the stream', async () => {
    const {stream, state} = cancellable(['data: 1\n\n'])
    const signal = AbortSignal.abort()
    const thrown = await collect(parseEventStream(stream, {signal})).catch((error: unknown) => error)
    expect((thrown as DOMException).name).toBe('AbortError')
    expect(state.isCancelled).toBe(true)
  })

  it('cancels the server response when the signal aborts', async () => {
    let hasRequestEnded = false
    const target = await server((_req, res) => {
      res.writeHead(200, {'content-type': 'text/event-stream'})
      res.write('data: first\n\n')
      res.on('close', () => {
        hasRequestEnded = true
      })
    })
    const controller = new AbortController()
    const iterator = parseEventStream(await fetch(target.url), {signal: controller.signal})
    expect((await iterator.next()).value?.data).toBe('first')
    const pending = iterator.next()
    controller.abort()
    await expect(pending).rejects.toMatchObject({name: 'AbortError'})
    await until(() => hasRequestEnded)
  })

  it('rejects with a NetworkError carrying the cause when the body errors mid-stream, after the complete events', async () => {
    const failure = new TypeError('terminated')
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytesOf('data: 1\n\ndata: par'))
      },
      pull(controller) {
        controller.error(failure)
      },
    })
    const seen: string[] = []
    const thrown = await (async () => {
      try {
        for await (const event of parseEventStream(stream)) seen.push(event.data)
      } catch (error) {
        return error
      }
    })()
    expect(seen).toEqual(['1'])
    expect(thrown).toBeInstanceOf(NetworkError)
    expect((thrown as NetworkError).cause).toBe(failure)
  })

  it('rejects with a NetworkError when an async iterable throws', async () => {
    const failure = new Error('socket closed')
    async function* broken(): AsyncGenerator<string> {
      yield 'data: a\n\n'
      throw failure
    }
    const thrown = await collect(parseEventStream(broken())).catch((error: unknown) => error)
    expect(thrown).toBeInstanceOf(NetworkError)
    expect((thrown as NetworkError).cause).toBe(failure)
  })

  it('returns the async iterator (a generator, a Node stream) when the loop is left early', async () => {
    let isFinished = false
    async function* endless(): AsyncGenerator<string> {
      try {
        for (;;) yield 'data: x\n\n'
      } finally {
        isFinished = true
      }
    }
    for await (const event of parseEventStream(endless())) {
      expect(event.data).toBe('x')
      break
    }
    await until(() => isFinished)
  })

  it('rejects with a MaxEventSizeError after the complete events when a line outgrows maxEventSize', async () => {
    const seen: string[] = []
    const thrown = await (async () => {
      try {
        for await (const event of parseEventStream(generate(['data: ok\n\n', `data: ${'x'.repeat(100)}`]), {maxEventSize: 64})) seen.push(event.data)
      } catch (error) {
        return error
      }
    })()
    expect(seen).toEqual(['ok'])
    expect(thrown).toBeInstanceOf(MaxEventSizeError)
    expect((thrown as MaxEventSizeError).limit).toBe(64)
  })

  it('throws a TypeError at once for a source that is not a stream, and for a bad maxEventSize', () => {
    for (const bad of [undefined, null, 'data: x\n\n', 42]) {
      expect(() => parseEventStream(bad as unknown as ReadableStream<Uint8Array>)).toThrow(TypeError)
    }
    for (const maxEventSize of [0, -1, 1.5, Number.NaN, '10']) {
      expect(() => parseEventStream(streamOf([]), {maxEventSize: maxEventSize as number})).toThrow(/maxEventSize/)
    }
  })

  it('runs where TextDecoderStream does not exist (Hermes, older engines)', async () => {
    const scope = globalThis as {TextDecoderStream?: unknown}
    const saved = scope.TextDecoderStream
    delete scope.TextDecoderStream
    try {
      const events = await collect(parseEventStream(streamOf(splitBytes(bytesOf(STREAM), {kind: 'bytes'}))))
      expect(events).toEqual(EXPECTED)
    } finally {
      scope.TextDecoderStream = saved
    }
  })
})
