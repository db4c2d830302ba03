import {describe, expect, it} from 'vitest'
import {EventSource, type RequestContext} from '../src/index.js'
import {fakeFetch, next, type SeenRequest, sse, type TestServer, until, useCleanups} from './helpers.js'

const {defer, server} = useCleanups()

function source(url: string, init?: ConstructorParameters<typeof EventSource>[1]): EventSource {
  const created = new EventSource(url, init)
  defer(() => created.close())
  return created
}

/** Serves `id: <n>` + `data` + `retry: 5`, then ends, so the client reconnects quickly. */
function numbered(req: unknown, res: Parameters<typeof sse>[0], index: number): void {
  sse(res, `retry: 5\nid: ${index + 1}\ndata: ${index + 1}\n\n`)
}

async function requestsAfter(target: TestServer, count: number): Promise<SeenRequest[]> {
  await until(() => target.requests.length >= count)
  return target.requests
}

describe('the request', () => {
  it('is a GET with Accept: text/event-stream and no Last-Event-ID at first', async () => {
    const target = await server(numbered)
    source(target.url)
    const [first] = await requestsAfter(target, 1)
    expect(first?.method).toBe('GET')
    expect(first?.url).toBe('/stream')
    expect(first?.headers.accept).toBe('text/event-stream')
    expect(first?.headers['last-event-id']).toBeUndefined()
    expect(first?.body).toBe('')
  })

  it('reaches the wire as Cache-Control: no-cache through the cache mode (the fetch adds it, as Fetch says for no-store)', async () => {
    const target = await server(numbered)
    source(target.url)
    const [first] = await requestsAfter(target, 1)
    expect(first?.headers['cache-control']).toBe('no-cache')
  })

  it('uses cache mode no-store, mode cors and follows redirects', async () => {
    const {fetch, calls} = fakeFetch(() => new Response(null, {status: 204}))
    const created = source('http://127.0.0.1:9/x', {fetch})
    await next(created, 'error')
    expect(calls[0]?.url).toBe('http://127.0.0.1:9/x')
    expect(calls[0]?.init).toMatchObject({method: 'GET', cache: 'no-store', mode: 'cors', redirect: 'follow', credentials: 'same-origin'})
    expect(calls[0]?.init.signal).toBeInstanceOf(AbortSignal)
  })

  it('uses credentials include with withCredentials, and the credentials option over both', async () => {
    const {fetch, calls} = fakeFetch(() => new Response(null, {status: 204}))
    await next(source('http://127.0.0.1:9/', {fetch, withCredentials: true}), 'error')
    await next(source('http://127.0.0.1:9/', {fetch, withCredentials: true, credentials: 'omit'}), 'error')
    await next(source('http://127.0.0.1:9/', {fetch, credentials: 'include'}), 'error')
    expect(calls.map((call) => call.init.credentials)).toEqual(['include', 'omit', 'include'])
  })

  it('sends Last-Event-ID on reconnect, encoded as UTF-8', async () => {
    const target = await server((_req, res, index) => sse(res, `retry: 5\nid: é-${index}-日本\ndata: x\n\n`))
    source(target.url)
    const requests = await requestsAfter(target, 3)
    // node:http exposes header bytes as Latin-1: re-encode to read the UTF-8 that was sent.
    const sent = requests.slice(0, 3).map((request) => {
      const value = request.headers['last-event-id']
      return value === undefined ? undefined : Buffer.from(String(value), 'latin1').toString('utf8')
    })
    expect(sent).toEqual([undefined, 'é-0-日本', 'é-1-日本'])
  })

  it('keeps the last event ID across reconnections until the server changes it', async () => {
    const bodies = ['retry: 5\nid: 1\ndata: a\n\n', 'retry: 5\ndata: b\n\n', 'retry: 5\nid\ndata: c\n\n', 'retry: 5\ndata: d\n\n']
    const target = await server((_req, res, index) => sse(res, bodies[Math.min(index, 3)] as string))
    const created = source(target.url)
    const ids: string[] = []
    created.onmessage = (event) => ids.push(event.lastEventId)
    const requests = await requestsAfter(target, 4)
    expect(requests.slice(0, 4).map((request) => request.headers['last-event-id'])).toEqual([undefined, '1', '1', undefined])
    await until(() => ids.length >= 3)
    expect(ids.slice(0, 3)).toEqual(['1', '1', ''])
  })

  it('does not commit the id of an event cut off by the end of the stream', async () => {
    const target = await server((_req, res, index) => sse(res, index === 0 ? 'retry: 5\nid: 1\ndata: a\n\nid: 2\ndata: b\n' : 'data: c\n\n'))
    source(target.url)
    const requests = await requestsAfter(target, 2)
    expect(requests[1]?.headers['last-event-id']).toBe('1')
  })

  it('follows redirects and reports the final origin', async () => {
    const final = await server((_req, res) => sse(res, 'data: moved\n\n'))
    const start = await server((_req, res) => {
      res.writeHead(307, {location: final.url.replace('127.0.0.1', 'localhost')})
      res.end()
    })
    const created = source(start.url)
    const message = (await next(created, 'message')) as MessageEvent
    expect(message.data).toBe('moved')
    expect(message.origin).toBe(final.origin.replace('127.0.0.1', 'localhost'))
    expect(created.url).toBe(start.url)
  })

  it('reconnects to where the last redirect led, with the last event ID', async () => {
    // [spec] "reestablish the connection" fetches the EventSource's request again, whose current URL
    // is the last one of its URL list: the redirect's target (whatwg/html#503; Chromium does this).
    const final = await server((_req, res) => sse(res, 'retry: 1\nid: r1\ndata: moved\n\n'))
    const start = await server((_req, res) => {
      res.writeHead(301, {location: `${final.origin}/target`})
      res.end()
    })
    const contexts: RequestContext[] = []
    const created = source(start.url, {headers: (context) => (contexts.push(context), {})})
    await until(() => final.requests.length >= 2)
    created.close()
    expect(start.requests).toHaveLength(1)
    expect(final.requests.map((request) => [request.url, request.headers['last-event-id']])).toEqual([
      ['/target', undefined],
      ['/target', 'r1'],
    ])
    expect(contexts.map((context) => context.url)).toEqual([start.url, `${final.origin}/target`])
    expect(created.url).toBe(start.url)
  })
})

describe('[non-spec] request options', () => {
  it('sends the method and body on every attempt', async () => {
    const target = await server(numbered)
    source(target.url, {method: 'POST', body: JSON.stringify({prompt: 'hi'}), headers: {'content-type': 'application/json'}})
    const requests = await requestsAfter(target, 3)
    for (const request of requests.slice(0, 3)) {
      expect(request.method).toBe('POST')
      expect(request.body).toBe('{"prompt":"hi"}')
      expect(request.headers['content-type']).toBe('application/json')
    }
  })

  it('re-sends binary, URLSearchParams, Blob and FormData bodies as they were at construction', async () => {
    const target = await server(numbered)
    const bytes = new Uint8Array([104, 105])
    const params = new URLSearchParams({a: '1'})
    const form = new FormData()
    form.append('field', 'value')
    source(target.url, {method: 'POST', body: bytes})
    source(`${target.url}?params`, {method: 'POST', body: params})
    source(`${target.url}?blob`, {method: 'PUT', body: new Blob(['blob!'])})
    source(`${target.url}?form`, {method: 'POST', body: form})
    bytes[0] = 0
    params.set('a', 'changed')
    form.set('field', 'changed')
    await until(() => ['/stream', '/stream?params', '/stream?blob', '/stream?form'].every((url) => target.requests.filter((r) => r.url === url).length >= 2))
    const bodiesOf = (url: string) => target.requests.filter((request) => request.url === url).map((request) => request.body)
    expect(new Set(bodiesOf('/stream'))).toEqual(new Set(['hi']))
    expect(new Set(bodiesOf('/stream?params'))).toEqual(new Set(['a=1']))
    expect(new Set(bodiesOf('/stream?blob'))).toEqual(new Set(['blob!']))
    for (const body of bodiesOf('/stream?form')) expect(body).toMatch(/name="field"\r\n\r\nvalue\r\n/)
  })

  it('merges user headers under the standard ones', async () => {
    const target = await server(numbered)
    source(target.url, {headers: {'x-token': 'abc', 'last-event-id': 'user', accept: 'application/json'}})
    source(`${target.url}?keep`, {headers: {accept: 'text/event-stream;q=1, */*;q=0.1'}})
    const requests = await requestsAfter(target, 4)
    const first = requests.find((request) => request.url === '/stream')
    expect(first?.headers['x-token']).toBe('abc')
    expect(first?.headers.accept).toBe('text/event-stream, application/json')
    expect(first?.headers['last-event-id']).toBeUndefined()
    const second = requests.filter((request) => request.url === '/stream')[1]
    expect(second?.headers['last-event-id']).toBe('1')
    expect(requests.find((request) => request.url === '/stream?keep')?.headers.accept).toBe('text/event-stream;q=1, */*;q=0.1')
  })

  it('calls a headers function before every attempt with the attempt number and last event ID', async () => {
    const target = await server(numbered)
    const contexts: RequestContext[] = []
    source(target.url, {
      headers: async (context) => {
        contexts.push(context)
        return {authorization: `Bearer token-${context.attempt}`}
      },
    })
    const requests = await requestsAfter(target, 3)
    expect(requests.slice(0, 3).map((request) => request.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2', 'Bearer token-3'])
    expect(contexts.slice(0, 3)).toEqual([
      {attempt: 1, lastEventId: '', url: target.url, isOriginalOrigin: true},
      {attempt: 2, lastEventId: '1', url: target.url, isOriginalOrigin: true},
      {attempt: 3, lastEventId: '2', url: target.url, isOriginalOrigin: true},
    ])
  })

  it('sends the lastEventId option as Last-Event-ID from the first request on', async () => {
    const target = await server(numbered)
    source(target.url, {lastEventId: 'resume-from-41'})
    const [first] = await requestsAfter(target, 1)
    expect(first?.headers['last-event-id']).toBe('resume-from-41')
  })

  it('calls a custom fetch as fetch(url, init) with the serialized URL', async () => {
    const target = await server(numbered)
    const urls: string[] = []
    const created = source(`${target.url}?q=a b#frag`, {
      fetch: (url, init) => {
        urls.push(url)
        return globalThis.fetch(url, init)
      },
    })
    expect(((await next(created, 'message')) as MessageEvent).data).toBe('1')
    expect(urls[0]).toBe(`${target.url}?q=a%20b#frag`)
  })

  it('looks up the global fetch at each attempt', async () => {
    const original = globalThis.fetch
    const seen: string[] = []
    globalThis.fetch = async (input, init) => {
      seen.push(String(input))
      return original(input, init)
    }
    defer(() => {
      globalThis.fetch = original
    })
    const target = await server(numbered)
    await next(source(target.url), 'message')
    expect(seen).toEqual([target.url])
  })
})
