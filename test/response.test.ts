import {describe, expect, it} from 'vitest'
import {ContentTypeError, EventSource, EventSourceErrorEvent, HttpError, NetworkError} from '../src/index.js'
import {next, record, sse, useCleanups} from './helpers.js'

const {defer, server} = useCleanups()

function source(url: string): EventSource {
  const created = new EventSource(url)
  defer(() => created.close())
  return created
}

describe('the response', () => {
  const announced = ['text/event-stream', 'text/event-stream; charset=utf-8', 'TEXT/Event-Stream', 'text/event-stream;foo="a,b"', 'text/event-stream ; x=y']
  it.for(announced)('announces the connection for status 200 with Content-Type %s', async (contentType) => {
    const target = await server((_req, res) => {
      res.writeHead(200, {'content-type': contentType})
      res.end('data: ok\n\n')
    })
    const created = source(target.url)
    const seen = record(created, ['open', 'message'])
    await next(created, 'message')
    expect(seen).toEqual([
      {type: 'open', readyState: EventSource.OPEN},
      {type: 'message', data: 'ok', lastEventId: '', origin: target.origin, readyState: EventSource.OPEN},
    ])
  })

  type Failure = [string, number, Record<string, string>, typeof HttpError | typeof ContentTypeError]
  const failures: Failure[] = [
    ['204 No Content', 204, {'content-type': 'text/event-stream'}, HttpError],
    ['201 Created', 201, {'content-type': 'text/event-stream'}, HttpError],
    ['a 302 without Location', 302, {'content-type': 'text/event-stream'}, HttpError],
    ['404 Not Found', 404, {'content-type': 'text/event-stream'}, HttpError],
    ['500 Internal Server Error', 500, {'content-type': 'text/event-stream'}, HttpError],
    ['503 with Retry-After', 503, {'content-type': 'text/event-stream', 'retry-after': '1'}, HttpError],
    ['200 without Content-Type', 200, {}, ContentTypeError],
    ['200 text/plain', 200, {'content-type': 'text/plain'}, ContentTypeError],
    ['200 text/event-streams', 200, {'content-type': 'text/event-streams'}, ContentTypeError],
    ['200 with an unparsable type', 200, {'content-type': 'text/event-stream/x'}, ContentTypeError],
    ['200 where the last type wins', 200, {'content-type': 'text/event-stream, text/html'}, ContentTypeError],
  ]
  it.for(failures)('fails the connection for %s: CLOSED, one error, no reconnect', async ([, status, headers, ErrorClass]) => {
    const target = await server((_req, res) => {
      if (status === 200 && !headers['content-type']) res.removeHeader('content-type')
      res.writeHead(status, headers)
      res.end(status === 204 ? undefined : 'retry: 1\ndata: ignored\n\n')
    })
    const created = source(target.url)
    const seen = record(created, ['open', 'message', 'error'])
    const error = await next(created, 'error')
    expect(created.readyState).toBe(EventSource.CLOSED)
    expect(error).toBeInstanceOf(EventSourceErrorEvent)
    expect([error.bubbles, error.cancelable]).toEqual([false, false])
    const reason = (error as EventSourceErrorEvent).error
    expect(reason).toBeInstanceOf(ErrorClass)
    if (reason instanceof HttpError) expect(reason.status).toBe(status)
    // Long enough for a reconnection with any retry the body might carry.
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(seen).toEqual([{type: 'error', readyState: EventSource.CLOSED}])
    expect(target.requests).toHaveLength(1)
  })

  it.for(['ftp://127.0.0.1/x', 'mailto:someone@127.0.0.1', 'about:blank', 'javascript:void(0)'])(
    'fails the connection for a URL fetch cannot load (%s): retrying would be futile',
    async (url) => {
      const created = source(url)
      const seen = record(created, ['open', 'error'])
      const error = (await next(created, 'error')) as EventSourceErrorEvent
      expect(created.readyState).toBe(EventSource.CLOSED)
      expect(error.error).toBeInstanceOf(NetworkError)
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(seen).toEqual([{type: 'error', readyState: EventSource.CLOSED}])
    },
  )

  it('fails the connection when the fetch is aborted by something other than close()', async () => {
    const created = new EventSource('http://127.0.0.1:9/', {
      reconnectionTime: 1,
      fetch: () => Promise.reject(new DOMException('The user aborted a request.', 'AbortError')),
    })
    defer(() => created.close())
    const error = (await next(created, 'error')) as EventSourceErrorEvent
    expect(created.readyState).toBe(EventSource.CLOSED)
    expect((error.error?.cause as Error).name).toBe('AbortError')
  })

  it('treats a 200 with the right type and no body as a stream that ended', async () => {
    let requests = 0
    const created = new EventSource('http://127.0.0.1:9/', {
      reconnectionTime: 1,
      fetch: async () => {
        requests++
        return new Response(null, {headers: {'content-type': 'text/event-stream'}})
      },
    })
    defer(() => created.close())
    const seen = record(created, ['open', 'error'])
    await next(created, 'error')
    await next(created, 'error')
    expect(seen).toEqual([
      {type: 'open', readyState: 1},
      {type: 'error', readyState: 0},
      {type: 'open', readyState: 1},
      {type: 'error', readyState: 0},
    ])
    expect(requests).toBe(2)
  })

  it('reads a long stream written in many small pieces over HTTP', async () => {
    const target = await server((_req, res) => {
      res.writeHead(200, {'content-type': 'text/event-stream'})
      const bytes = Buffer.from(Array.from({length: 200}, (_, i) => `id: ${i}\r\ndata: é${i}\r\n\r\n`).join(''))
      let offset = 0
      const write = (): void => {
        if (offset >= bytes.length) return void res.end()
        const size = 1 + (offset % 7)
        res.write(bytes.subarray(offset, offset + size))
        offset += size
        setImmediate(write)
      }
      write()
    })
    const created = source(target.url)
    const data: string[] = []
    created.onmessage = (event) => data.push(event.data)
    await next(created, 'error')
    expect(data).toEqual(Array.from({length: 200}, (_, i) => `é${i}`))
    expect(created.lastEventId).toBe('199')
  })

  it('sends ordinary SSE over node:http end to end', async () => {
    const target = await server((_req, res) => sse(res, ': hi\nevent: tick\ndata: 1\n\ndata: 2\n\n'))
    const created = source(target.url)
    const seen = record(created, ['open', 'tick', 'message', 'error'])
    await next(created, 'error')
    expect(seen.map((event) => [event.type, event.data, event.readyState])).toEqual([
      ['open', undefined, 1],
      ['tick', '1', 1],
      ['message', '2', 1],
      ['error', undefined, 0],
    ])
  })
})
