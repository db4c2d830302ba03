import type {ServerResponse} from 'node:http'
import {describe, expect, it, vi} from 'vitest'
import {describeCause} from '../src/core/errors.js'
import {EventSource, type EventSourceErrorEvent, type EventSourceInit, HttpError, NetworkError, RequestInitError} from '../src/index.js'
import {next, sse, type TestServer, until, useCleanups} from './helpers.js'

const {defer, server} = useCleanups()

// base64 of the UTF-8 bytes of `usér:p@ss wörd`: the URL's user and password, percent-decoded.
const USER_PASS = Buffer.from('usér:p@ss wörd', 'utf8').toString('base64')
const BASIC = `Basic ${USER_PASS}`

function source(url: string, init?: EventSourceInit): EventSource {
  const created = new EventSource(url, init)
  defer(() => created.close())
  return created
}

/** The server's URL with `us%C3%A9r:p%40ss%20w%C3%B6rd@` (usér, p@ss wörd) in it. */
const withUserinfo = (url: string): string => url.replace('http://', 'http://us%C3%A9r:p%40ss%20w%C3%B6rd@')

function challenge(res: ServerResponse, scheme = 'Basic realm="events"'): void {
  res.writeHead(401, {'www-authenticate': scheme, 'content-type': 'text/plain'})
  res.end('who are you?')
}

/** A server that challenges every request without the right Basic credentials, and streams to those with them. */
function guarded(body = 'retry: 1\nid: a1\ndata: welcome\n\n'): Promise<TestServer> {
  return server((req, res) => (req.headers.authorization === BASIC ? sse(res, body) : challenge(res)))
}

describe('[spec] a URL with a user and password in server runtimes', () => {
  it('connects: the request goes without the userinfo, a Basic challenge is answered once with it, and the url attribute keeps it', async () => {
    const target = await guarded()
    const url = withUserinfo(target.url)
    const created = source(url)
    const message = (await next(created, 'message')) as MessageEvent
    expect(message.data).toBe('welcome')
    expect(message.origin).toBe(target.origin)
    expect(created.url).toBe(url)
    const [first, answer] = target.requests
    expect(first?.url).toBe('/stream')
    expect(first?.headers.authorization).toBeUndefined()
    expect(answer?.headers.authorization).toBe(BASIC)
    expect(answer?.headers.host).toBe(first?.headers.host)
  })

  it('answers the challenge again on every reconnection, with the Last-Event-ID', async () => {
    const target = await guarded()
    const created = source(withUserinfo(target.url))
    await until(() => target.requests.length >= 4)
    created.close()
    expect(target.requests.slice(0, 4).map((request) => [request.headers.authorization ?? '-', request.headers['last-event-id'] ?? '-'])).toEqual([
      ['-', '-'],
      [BASIC, '-'],
      ['-', 'a1'],
      [BASIC, 'a1'],
    ])
  })

  it('fails the connection with the HttpError of a second 401, without the userinfo in its message', async () => {
    const target = await server((_req, res) => challenge(res))
    const created = source(withUserinfo(target.url))
    const event = (await next(created, 'error')) as EventSourceErrorEvent
    expect(created.readyState).toBe(EventSource.CLOSED)
    expect(event.error).toBeInstanceOf(HttpError)
    expect((event.error as HttpError).status).toBe(401)
    expect(event.error?.message).toBe(`Unexpected status 401 Unauthorized from ${target.url}`)
    expect(target.requests.map((request) => request.headers.authorization ?? '-')).toEqual(['-', BASIC])
  })

  it('[non-spec] sends no password to a challenge of another scheme, nor with credentials "omit", nor over a caller\'s Authorization', async () => {
    const bearer = await server((_req, res) => challenge(res, 'Bearer realm="api"'))
    const omitted = await guarded()
    const own = await guarded()
    const sources = [source(withUserinfo(bearer.url)), source(withUserinfo(omitted.url), {credentials: 'omit'}), source(withUserinfo(own.url), {headers: {Authorization: 'Bearer mine'}})]
    await Promise.all(sources.map((created) => next(created, 'error')))
    expect([bearer, omitted, own].map((target) => target.requests.map((request) => request.headers.authorization ?? '-'))).toEqual([['-'], ['-'], ['Bearer mine']])
  })

  it('a user without a password (and a password without a user) is sent as such', async () => {
    const expected = [`Basic ${btoa('token:')}`, `Basic ${btoa(':secret')}`]
    const target = await server((req, res) => (expected.includes(req.headers.authorization ?? '') ? sse(res, 'data: in\n\n') : challenge(res)))
    for (const userinfo of ['token@', ':secret@']) {
      const created = source(target.url.replace('http://', `http://${userinfo}`))
      expect(((await next(created, 'message')) as MessageEvent).data).toBe('in')
      created.close()
    }
  })

  it('never gives the credentials to a redirect\'s target, of another origin or of the same one', async () => {
    const other = await server((req, res) => (req.headers.authorization ? sse(res, 'data: leaked\n\n') : challenge(res)))
    const target = await server((req, res) => {
      if (req.url === '/elsewhere') return challenge(res)
      if (req.headers.authorization !== BASIC) return challenge(res)
      res.writeHead(307, {location: req.url === '/stream' ? `${other.origin.replace('127.0.0.1', 'localhost')}/stream` : '/elsewhere'})
      res.end()
    })
    const crossOrigin = source(withUserinfo(target.url))
    await next(crossOrigin, 'error')
    const sameOrigin = source(withUserinfo(`${target.origin}/same`))
    await next(sameOrigin, 'error')
    expect(other.requests.map((request) => request.headers.authorization ?? '-')).toEqual(['-'])
    expect(target.requests.map((request) => `${request.url} ${request.headers.authorization === BASIC ? 'basic' : (request.headers.authorization ?? '-')}`)).toEqual([
      '/stream -',
      '/stream basic',
      '/same -',
      '/same basic',
      '/elsewhere -',
    ])
  })

  it('keeps the userinfo out of every error message and out of the headers function\'s context', async () => {
    const urls: string[] = []
    const created = source('http://user:hunter2@127.0.0.1:9/stream', {
      headers: (context) => {
        urls.push(context.url)
        return {}
      },
    })
    const event = (await next(created, 'error')) as EventSourceErrorEvent
    created.close()
    expect(event.error).toBeInstanceOf(NetworkError)
    expect(event.error?.message).not.toContain('hunter2')
    expect(event.error?.message).toContain('http://127.0.0.1:9/stream')
    expect(urls).toEqual(['http://127.0.0.1:9/stream'])
  })
})

describe('[non-spec] a request that fetch refuses to build fails the connection at once', () => {
  // The platform's Request constructor decides what fetch refuses; here it refuses every request
  // (the fetch of Node does not read the global, so a request would still go out without the check).
  class RefusingRequest extends Request {
    constructor(input: RequestInfo | URL, init?: RequestInit) {
      super(input, init)
      throw new TypeError('Request cannot be constructed: refused by the test')
    }
  }

  it('fails with a RequestInitError that says why, sends nothing and never retries', async () => {
    const target = await server((_req, res) => sse(res, 'retry: 1\ndata: x\n\n'))
    vi.stubGlobal('Request', RefusingRequest)
    defer(() => vi.unstubAllGlobals())
    const created = source(target.url)
    const errors: EventSourceErrorEvent[] = []
    created.addEventListener('error', (event) => errors.push(event))
    await until(() => errors.length > 0)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(created.readyState).toBe(EventSource.CLOSED)
    expect(errors).toHaveLength(1)
    expect(errors[0]?.error).toBeInstanceOf(RequestInitError)
    expect(errors[0]?.error?.message).toBe(`EventSource: fetch refused to build the request for ${target.url}: Request cannot be constructed: refused by the test`)
    expect(errors[0]?.error?.cause).toBeInstanceOf(TypeError)
    expect(target.requests).toEqual([])
  })

  it('fails the same way when a fetch of your own throws instead of returning a promise', async () => {
    let calls = 0
    const created = source('http://127.0.0.1:1/stream', {
      fetch: () => {
        calls++
        throw new TypeError('Invalid URL for this fetch')
      },
    })
    const event = (await next(created, 'error')) as EventSourceErrorEvent
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect([created.readyState, calls, event.error?.name, event.error?.message]).toEqual([
      EventSource.CLOSED,
      1,
      'RequestInitError',
      'EventSource: fetch refused to build the request for http://127.0.0.1:1/stream: Invalid URL for this fetch',
    ])
  })

  it('still sends what a fetch without the standard `cache` field (old workerd) takes', async () => {
    const target = await server((_req, res) => sse(res, 'data: x\n\n'))
    class NoCacheRequest extends Request {
      constructor(input: RequestInfo | URL, init?: RequestInit) {
        if (init?.cache !== undefined) throw new Error("The 'cache' field on 'RequestInitializerDict' is not implemented.")
        super(input, init)
      }
    }
    vi.stubGlobal('Request', NoCacheRequest)
    defer(() => vi.unstubAllGlobals())
    const created = source(target.url)
    expect(((await next(created, 'message')) as MessageEvent).data).toBe('x')
  })
})

describe('[non-spec] a NetworkError names its cause in its message', () => {
  it('says what fetch said and what it found under it', async () => {
    const closed = await server((_req, res) => sse(res, ''))
    await closed.close()
    const created = source(closed.url)
    const event = (await next(created, 'error')) as EventSourceErrorEvent
    created.close()
    expect(event.error).toBeInstanceOf(NetworkError)
    expect(event.error?.message).toBe(`Network error while connecting to or reading from ${closed.url}: fetch failed: connect ECONNREFUSED ${closed.origin.slice('http://'.length)}`)
  })

  it('keeps a URL\'s userinfo out of what it quotes, and keeps it short', () => {
    const cause = new TypeError('terminated', {cause: Object.assign(new Error('GET http://user:hunter2@host/x failed'), {code: 'UND_ERR_SOCKET'})})
    expect(new NetworkError('http://host/x', cause).message).toBe('Network error while connecting to or reading from http://host/x: terminated: GET http://host/x failed (UND_ERR_SOCKET)')
    expect(describeCause(new Error('at http://user:hunter2@host/x'))).toBe('at http://host/x')
    expect(describeCause(new TypeError('Load failed'))).toBe('Load failed')
    expect(describeCause(new Error('x'.repeat(500))).length).toBeLessThanOrEqual(160)
    expect(describeCause(undefined)).toBe('')
  })
})
