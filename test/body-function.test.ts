// [non-spec] `body` as a function of the request context, called before every attempt like a
// `headers` function: the request follows the stream (a provider's resume cursor from lastEventId).
import {describe, expect, it} from 'vitest'
import {EventSource, type EventSourceErrorEvent, type RequestContext, RequestInitError} from '../src/index.js'
import {next, sse, until, useCleanups} from './helpers.js'

const {server, defer} = useCleanups()

function open(url: string, init: ConstructorParameters<typeof EventSource>[1]): EventSource {
  const source = new EventSource(url, init)
  defer(() => source.close())
  return source
}

describe('[non-spec] body as a function', () => {
  it('is called before every attempt with the request context, and each attempt sends what it returned', async () => {
    const target = await server((_req, res, index) => {
      if (index === 0) return sse(res, 'retry: 1\nid: msg_1\ndata: a\n\n')
      if (index === 1) return sse(res, 'id: msg_2\ndata: b\n\n')
      sse(res, 'data: done\n\n')
    })
    const contexts: RequestContext[] = []
    const source = open(target.url, {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: (context) => {
        contexts.push(context)
        return JSON.stringify({prompt: 'hi', starting_after: context.lastEventId || undefined})
      },
    })
    const data: string[] = []
    source.onmessage = (event) => {
      data.push(event.data)
      if (event.data === 'done') source.close()
    }
    await until(() => data.includes('done'))
    expect(contexts).toEqual([
      {attempt: 1, lastEventId: '', url: target.url, isOriginalOrigin: true},
      {attempt: 2, lastEventId: 'msg_1', url: target.url, isOriginalOrigin: true},
      {attempt: 3, lastEventId: 'msg_2', url: target.url, isOriginalOrigin: true},
    ])
    expect(target.requests.map((request) => [request.method, request.body, request.headers['last-event-id']])).toEqual([
      ['POST', '{"prompt":"hi"}', undefined],
      ['POST', '{"prompt":"hi","starting_after":"msg_1"}', 'msg_1'],
      ['POST', '{"prompt":"hi","starting_after":"msg_2"}', 'msg_2'],
    ])
  })

  it('may be async and may return any replayable body, or nothing', async () => {
    const target = await server((_req, res) => sse(res, 'data: x\n\n'))
    const bodies: Array<() => unknown> = [
      async () => new URLSearchParams({q: 'a b'}),
      () => new Uint8Array([104, 105]),
      async () => new Blob(['blob']),
      () => null,
      () => undefined,
    ]
    for (const body of bodies) {
      const source = open(target.url, {method: 'POST', body: body as () => string})
      await next(source, 'message')
      source.close()
    }
    expect(target.requests.map((request) => request.body)).toEqual(['q=a+b', 'hi', 'blob', '', ''])
  })

  it('fails the connection with a RequestInitError when it throws, sending nothing', async () => {
    const target = await server((_req, res) => sse(res, 'data: x\n\n'))
    const cause = new Error('no cursor')
    const source = open(target.url, {
      method: 'POST',
      body: () => {
        throw cause
      },
    })
    const event = (await next(source, 'error')) as EventSourceErrorEvent
    expect(event.error).toBeInstanceOf(RequestInitError)
    expect(event.error?.cause).toBe(cause)
    expect([event.willReconnect, source.readyState]).toEqual([false, EventSource.CLOSED])
    expect(target.requests).toEqual([])
  })

  it('fails the connection with a RequestInitError when it rejects', async () => {
    const cause = new Error('storage unavailable')
    const source = open('http://127.0.0.1:9/stream', {method: 'POST', body: () => Promise.reject(cause)})
    const event = (await next(source, 'error')) as EventSourceErrorEvent
    expect(event.error).toBeInstanceOf(RequestInitError)
    expect(event.error?.cause).toBe(cause)
    expect(source.readyState).toBe(EventSource.CLOSED)
  })

  it('fails the connection with a RequestInitError when it returns a stream or another value that cannot be sent', async () => {
    for (const value of [new ReadableStream(), {prompt: 'an object, not JSON'}, () => 'a function']) {
      const source = open('http://127.0.0.1:9/stream', {method: 'POST', body: (() => value) as unknown as () => string})
      const event = (await next(source, 'error')) as EventSourceErrorEvent
      expect(event.error).toBeInstanceOf(RequestInitError)
      expect(event.error?.cause).toBeInstanceOf(TypeError)
      expect(String((event.error?.cause as Error).message)).toMatch(/body/)
    }
  })

  it('sends no body after a 303 made the request a GET, as fetch did, though it is still called', async () => {
    const target = await server((req, res, index) => {
      if (index === 0) {
        res.writeHead(303, {location: '/next'})
        return void res.end()
      }
      if (index === 1) return sse(res, 'retry: 1\nid: a\ndata: first\n\n')
      sse(res, 'data: done\n\n')
    })
    const attempts: number[] = []
    const source = open(target.url, {
      method: 'POST',
      body: ({attempt}) => {
        attempts.push(attempt)
        return `body ${attempt}`
      },
    })
    await until(() => target.requests.length === 3)
    source.close()
    expect(target.requests.map((request) => [request.method, request.url, request.body])).toEqual([
      ['POST', '/stream', 'body 1'],
      ['GET', '/next', ''],
      ['GET', '/next', ''],
    ])
    expect(attempts).toEqual([1, 2])
  })

  it('is a TypeError at construction for GET and HEAD, like a static body', () => {
    expect(() => new EventSource('http://127.0.0.1:9/', {body: () => 'x'})).toThrow(/option "body"/)
    expect(() => new EventSource('http://127.0.0.1:9/', {method: 'head', body: () => 'x'})).toThrow(TypeError)
  })
})
