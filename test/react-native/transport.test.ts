// The React Native build's transport without a `fetch` option: XMLHttpRequest (a fake with React
// Native's semantics over a loopback node:http server), on the sources with src/core/native/platform.ts in place.
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'
import {ContentTypeError, EventSource, type EventSourceErrorEvent, HttpError, NetworkError} from '../../src/index.js'
import {next, record, sse, until, useCleanups} from '../helpers.js'
import {FakeXMLHttpRequest, installFakeXhr, randomSplit} from './fake-xhr.js'


const {defer, server} = useCleanups()

beforeEach(() => defer(installFakeXhr()))

function source(url: string, init?: ConstructorParameters<typeof EventSource>[1]): EventSource {
  const created = new EventSource(url, init)
  defer(() => created.close())
  return created
}

const STREAM = 'retry: 5\r\n: comment\r\nid: 1\r\ndata: é€😀\r\n\r\nevent: tick\rdata: a\rdata: b\r\rid: 2\ndata: two\n\n'
const EXPECTED = [
  {type: 'message', data: 'é€😀', lastEventId: '1'},
  {type: 'tick', data: 'a\nb', lastEventId: '1'},
  {type: 'message', data: 'two', lastEventId: '2'},
]

afterEach(() => vi.useRealTimers())

describe('[non-spec] the react-native build over XMLHttpRequest', () => {
  it('is the react-native build', () => {
    expect((EventSource as unknown as Record<symbol, unknown>)[Symbol.for('eventsource-kit.build')]).toBe('react-native')
  })

  it('reads the stream as it arrives (handlers set before send) and never calls the global fetch', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch')
    defer(() => fetchSpy.mockRestore())
    const target = await server((_req, res) => {
      res.writeHead(200, {'content-type': 'text/event-stream'})
      res.write('id: 1\ndata: first\n\n')
      // The response stays open: the event must arrive before its end.
    })
    const created = source(target.url)
    const message = (await next(created, 'message')) as MessageEvent
    expect(message.data).toBe('first')
    expect(message.origin).toBe(target.origin)
    expect(created.readyState).toBe(EventSource.OPEN)
    expect(fetchSpy).not.toHaveBeenCalled()
    const [sent] = FakeXMLHttpRequest.records
    expect(sent?.isIncremental).toBe(true)
    expect(sent?.headers).toMatchObject({accept: 'text/event-stream', 'cache-control': 'no-cache', pragma: 'no-cache'})
  })

  for (const [name, split] of [
    ['as the chunks came', (text: string) => [text]],
    ['one code unit at a time', (text: string) => [...text.split('')]],
    ...Array.from({length: 10}, (_, index) => [`split at random (seed ${index + 1})`, randomSplit(index + 1)] as const),
  ] as const) {
    it(`parses every event and field with CR, LF and CRLF, read ${name}`, async () => {
      FakeXMLHttpRequest.split = split
      const target = await server((_req, res) => sse(res, STREAM))
      const created = source(target.url)
      const seen = record(created, ['open', 'message', 'tick', 'error'])
      await until(() => seen.some((event) => event.type === 'error'))
      created.close()
      expect(seen.filter((event) => event.type !== 'open' && event.type !== 'error').map(({type, data, lastEventId}) => ({type, data, lastEventId}))).toEqual(EXPECTED)
      expect(created.reconnectionTime).toBe(5)
    })
  }

  it('decodes a UTF-8 character split across TCP chunks once (the native side decodes; the transport takes text)', async () => {
    const bytes = Buffer.from('data: 😀€\n\n', 'utf8')
    const target = await server((_req, res) => {
      res.writeHead(200, {'content-type': 'text/event-stream'})
      let index = 0
      const timer = setInterval(() => {
        if (index >= bytes.length) {
          clearInterval(timer)
          return res.end()
        }
        res.write(bytes.subarray(index, ++index))
      }, 1)
    })
    const created = source(target.url)
    const message = (await next(created, 'message')) as MessageEvent
    expect(message.data).toBe('😀€')
  })

  it('fails the connection on a status other than 200, with the start of the body as HttpError.body', async () => {
    const target = await server((_req, res) => {
      res.writeHead(503, {'content-type': 'text/plain', 'retry-after': '7'})
      res.end('down for maintenance')
    })
    const created = source(target.url)
    const event = (await next(created, 'error')) as EventSourceErrorEvent
    expect(created.readyState).toBe(EventSource.CLOSED)
    expect(event.error).toBeInstanceOf(HttpError)
    const error = event.error as HttpError
    expect(error.status).toBe(503)
    expect(error.body).toBe('down for maintenance')
    expect(error.headers.get('retry-after')).toBe('7')
    expect(target.requests).toHaveLength(1)
    await until(() => FakeXMLHttpRequest.live() === 0)
  })

  it('fails the connection on another Content-Type and aborts the request', async () => {
    const target = await server((_req, res) => {
      res.writeHead(200, {'content-type': 'application/json'})
      res.write('{')
    })
    const created = source(target.url)
    const event = (await next(created, 'error')) as EventSourceErrorEvent
    expect(created.readyState).toBe(EventSource.CLOSED)
    expect(event.error).toBeInstanceOf(ContentTypeError)
    await until(() => FakeXMLHttpRequest.live() === 0)
  })

  it('reconnects after a network error with Last-Event-ID, like fetch\'s TypeError', async () => {
    const target = await server((req, res, index) => {
      res.writeHead(200, {'content-type': 'text/event-stream'})
      if (index === 0) {
        res.write('retry: 1\nid: 7\ndata: before\n\n')
        setTimeout(() => req.socket.destroy(), 10)
      } else res.write(`data: after ${req.headers['last-event-id']}\n\n`)
    })
    const created = source(target.url)
    const seen = record(created, ['open', 'message', 'error'])
    await until(() => seen.filter((event) => event.type === 'message').length === 2)
    expect(seen.map((event) => event.type)).toEqual(['open', 'message', 'error', 'open', 'message'])
    expect(seen[4]?.data).toBe('after 7')
    expect(target.requests[1]?.headers['last-event-id']).toBe('7')
  })

  it('dispatches the events that arrived with a network error in one batch of native events, then reconnects', async () => {
    // React Native's XMLHttpRequest replaces `responseText` with the error message at the failure:
    // text delivered in the same turn must be read at its progress event, not at the next read.
    FakeXMLHttpRequest.isBatched = true
    const target = await server((req, res, index) => {
      res.writeHead(200, {'content-type': 'text/event-stream'})
      if (index === 0) {
        res.write('retry: 1\nid: 7\ndata: before\n\n')
        setTimeout(() => req.socket.destroy(), 10)
      } else res.end(`data: after ${req.headers['last-event-id'] ?? 'none'}\n\n`)
    })
    const created = source(target.url)
    const seen = record(created, ['open', 'message', 'error'])
    await until(() => seen.filter((event) => event.type === 'message').length === 2)
    expect(seen.filter((event) => event.type === 'message').map((event) => event.data)).toEqual(['before', 'after 7'])
    expect(seen.slice(0, 3).map((event) => event.type)).toEqual(['open', 'message', 'error'])
  })

  it('reconnects when the server cannot be reached, with a NetworkError whose cause is a TypeError "Network request failed"', async () => {
    const target = await server((_req, res) => sse(res, ''))
    const url = target.url
    await target.close()
    const created = source(url, {reconnect: () => undefined})
    const event = (await next(created, 'error')) as EventSourceErrorEvent
    expect(event.error).toBeInstanceOf(NetworkError)
    expect(event.error?.cause).toBeInstanceOf(TypeError)
    expect((event.error?.cause as Error).message).toBe('Network request failed')
    expect(event.error?.message).toMatch(/Network request failed: .*ECONNREFUSED/)
  })

  it('sends the method, body, headers and credentials mode as React Native\'s fetch would', async () => {
    const target = await server((_req, res) => sse(res, 'data: ok\n\n'))
    const created = source(target.url, {method: 'POST', body: 'hello', headers: {'x-token': 'abc'}, withCredentials: true})
    await next(created, 'message')
    created.close()
    const [sent] = FakeXMLHttpRequest.records
    expect(sent).toMatchObject({method: 'POST', body: 'hello', withCredentials: true})
    expect(sent?.headers).toMatchObject({'x-token': 'abc', 'content-type': 'text/plain;charset=UTF-8'})
    expect(target.requests[0]?.body).toBe('hello')
  })

  it('leaves withCredentials at the platform\'s default for "same-origin" (as React Native\'s fetch does)', async () => {
    const target = await server((_req, res) => sse(res, 'data: ok\n\n'))
    const created = source(target.url)
    await next(created, 'message')
    expect(FakeXMLHttpRequest.records[0]?.withCredentials).toBe(true)
  })

  it('sees a redirect the native side followed: the events\' origin is the final URL\'s, and a reconnection goes there', async () => {
    const final = await server((_req, res) => sse(res, 'retry: 1\ndata: moved\n\n'))
    const first = await server((_req, res) => {
      res.writeHead(307, {location: final.url})
      res.end()
    })
    const created = source(first.url)
    const messages: MessageEvent[] = []
    created.addEventListener('message', (event) => messages.push(event as MessageEvent))
    await until(() => messages.length === 2)
    expect(messages[0]?.origin).toBe(final.origin)
    expect(first.requests).toHaveLength(1)
    expect(final.requests).toHaveLength(2)
  })

  it('takes a URL the native side serializes otherwise (dot segments, a fragment) for no redirect: a POST stays a POST', async () => {
    const target = await server((req, res, index) => {
      res.writeHead(200, {'content-type': 'text/event-stream'})
      res.write(`retry: 1\ndata: ${req.method} ${index}\n\n`)
      if (index === 0) setTimeout(() => req.socket.destroy(), 5)
    })
    const created = source(`${target.origin}/a/../stream#part`, {method: 'POST', body: 'again'})
    const messages: string[] = []
    created.addEventListener('message', (event) => messages.push((event as MessageEvent<string>).data))
    await until(() => messages.length === 2)
    expect(messages).toEqual(['POST 0', 'POST 1'])
    expect(target.requests.map((request) => request.body)).toEqual(['again', 'again'])
  })

  it('close() aborts the request: no XMLHttpRequest stays open and no timer is left', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval']})
    const target = await server((req, res) => {
      res.writeHead(200, {'content-type': 'text/event-stream'})
      res.write('data: hi\n\n')
      req.socket.on('close', () => closed++)
    })
    let closed = 0
    const created = source(target.url, {inactivityTimeout: 60_000})
    await next(created, 'message')
    expect(FakeXMLHttpRequest.live()).toBe(1)
    created.close()
    expect(FakeXMLHttpRequest.live()).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
    await until(() => closed === 1)
  })

  it('close() while the headers are awaited aborts the request', async () => {
    const target = await server(() => {
      // Never answers.
    })
    const created = source(target.url)
    await until(() => FakeXMLHttpRequest.live() === 1)
    created.close()
    expect(FakeXMLHttpRequest.live()).toBe(0)
    expect(created.readyState).toBe(EventSource.CLOSED)
  })
})
