import {describe, expect, it} from 'vitest'
import {EventSource, type EventSourceInit, type RequestContext} from '../src/index.js'
import {next, type SeenRequest, sse, type TestServer, until, useCleanups} from './helpers.js'

const {defer, server} = useCleanups()

const STATUSES = [301, 302, 303, 307, 308] as const
const BODY = '{"prompt":"hi"}'

function source(url: string, init?: EventSourceInit): EventSource {
  const created = new EventSource(url, init)
  defer(() => created.close())
  return created
}

/** The target streams one event with an id, `retry: 1`, and ends, so the source reconnects at once. */
function stream(res: Parameters<typeof sse>[0]): void {
  sse(res, 'retry: 1\nid: e1\ndata: moved\n\n')
}

interface Redirecting {
  /** Where the source is created: answers `status` with a Location to /target. */
  readonly startUrl: string
  /** The server of /target. */
  readonly target: TestServer
  /** The requests that reached /target, in order. */
  readonly targetRequests: () => SeenRequest[]
}

/**
 * /stream redirects to /target on the same server, or to /target of a second server named
 * `localhost` (127.0.0.1 and localhost are two origins).
 */
async function redirecting(status: number, isCrossOrigin: boolean, hops = 1): Promise<Redirecting> {
  let targetOrigin = ''
  const target = await server((req, res) => {
    const hop = /^\/hop(\d+)$/.exec(req.url ?? '')
    if (req.url === '/stream' || hop) {
      const index = hop ? Number(hop[1]) : 1
      res.writeHead(status, {location: index < hops ? `/hop${index + 1}` : `${targetOrigin}/target`})
      return res.end()
    }
    stream(res)
  })
  targetOrigin = target.origin
  let startUrl = target.url
  if (isCrossOrigin) {
    const start = await server((_req, res) => {
      res.writeHead(status, {location: `${target.origin.replace('127.0.0.1', 'localhost')}/target`})
      res.end()
    })
    startUrl = start.url
  }
  return {startUrl, target, targetRequests: () => target.requests.filter((request) => request.url === '/target')}
}

/** The request without what a reconnection adds on purpose. */
function shape(request: SeenRequest | undefined): {method?: string; body?: string; headers: Record<string, unknown>} {
  const {'last-event-id': _ignored, ...headers} = request?.headers ?? {}
  return {method: request?.method, body: request?.body, headers} as {method?: string; body?: string; headers: Record<string, unknown>}
}

const HEADERS = {Authorization: 'Bearer SECRET', 'Content-Language': 'en', 'X-Trace': 't1'}

describe('[non-spec] a reconnection after a redirect is the request fetch made after it', () => {
  for (const method of ['GET', 'POST'] as const) {
    for (const isCrossOrigin of [false, true]) {
      for (const status of STATUSES) {
        const where = isCrossOrigin ? 'another origin' : 'the same origin'
        it(`${method} redirected by ${status} to ${where}: the reconnection has the method, body and headers of the redirected request`, async () => {
          const {startUrl, targetRequests} = await redirecting(status, isCrossOrigin)
          const init: EventSourceInit =
            method === 'POST'
              ? {method, body: BODY, headers: {...HEADERS, 'Content-Type': 'application/json'}}
              : {headers: HEADERS}
          const created = source(startUrl, init)
          await until(() => targetRequests().length >= 2)
          created.close()
          const [redirected, reconnection] = targetRequests()
          // What fetch made of the request: Fetch's HTTP-redirect fetch, steps 12 and 13.
          const isToGet = method === 'POST' && status !== 307 && status !== 308
          expect(redirected?.method).toBe(isToGet ? 'GET' : method)
          expect(redirected?.body).toBe(method === 'POST' && !isToGet ? BODY : '')
          expect(redirected?.headers['content-type']).toBe(method === 'POST' && !isToGet ? 'application/json' : undefined)
          expect(redirected?.headers['content-language']).toBe(isToGet ? undefined : 'en')
          expect(redirected?.headers.authorization).toBe(isCrossOrigin ? undefined : 'Bearer SECRET')
          expect(redirected?.headers['x-trace']).toBe('t1')
          // The reconnection goes straight to the target, as that same request, plus Last-Event-ID.
          expect(shape(reconnection)).toEqual(shape(redirected))
          expect(redirected?.headers['last-event-id']).toBeUndefined()
          expect(reconnection?.headers['last-event-id']).toBe('e1')
        })
      }
    }
  }

  it('a redirect chain of 307 then 303 makes a POST a GET, and reconnections stay GETs', async () => {
    let origin = ''
    const target = await server((req, res) => {
      if (req.url === '/stream') res.writeHead(307, {location: '/then'}).end()
      else if (req.url === '/then') res.writeHead(303, {location: `${origin}/target`}).end()
      else stream(res)
    })
    origin = target.origin
    const created = source(target.url, {method: 'POST', body: BODY, headers: {'content-type': 'application/json'}})
    await until(() => target.requests.length >= 4)
    created.close()
    expect(target.requests.slice(0, 4).map((request) => [request.method, request.url, request.body, request.headers['content-type']])).toEqual([
      ['POST', '/stream', BODY, 'application/json'],
      ['POST', '/then', BODY, 'application/json'],
      ['GET', '/target', '', undefined],
      ['GET', '/target', '', undefined],
    ])
  })

  it('a PUT keeps its method and body after a 301 and a 302, and becomes a GET after a 303, as in fetch', async () => {
    const seen: string[][] = []
    for (const status of [301, 302, 303]) {
      const {startUrl, targetRequests} = await redirecting(status, false)
      const created = source(startUrl, {method: 'PUT', body: BODY, headers: {'content-type': 'application/json'}})
      await until(() => targetRequests().length >= 2)
      created.close()
      for (const request of targetRequests().slice(0, 2)) seen.push([String(status), request.method, request.body, String(request.headers['content-type'])])
    }
    expect(seen).toEqual([
      ['301', 'PUT', BODY, 'application/json'],
      ['301', 'PUT', BODY, 'application/json'],
      ['302', 'PUT', BODY, 'application/json'],
      ['302', 'PUT', BODY, 'application/json'],
      ['303', 'GET', '', 'undefined'],
      ['303', 'GET', '', 'undefined'],
    ])
  })

  it('a POST redirected by 303 to a target that drops the connection reconnects to the target with a GET, not with the POST', async () => {
    // Fetch changes the request itself on a redirect: the network error after it leaves it changed.
    const target = await server((req, res, index) => (index === 0 ? req.socket.destroy() : stream(res)))
    const start = await server((_req, res) => res.writeHead(303, {location: `${target.origin}/target`}).end())
    const created = source(start.url, {method: 'POST', body: BODY, reconnectionTime: 1})
    const errors: string[] = []
    created.addEventListener('error', (event) => errors.push(String((event as Event & {error?: Error}).error?.name)))
    await until(() => target.requests.length >= 2)
    created.close()
    expect(errors[0]).toBe('NetworkError')
    expect(start.requests).toHaveLength(1)
    expect(target.requests.slice(0, 2).map((request) => [request.method, request.url, request.body])).toEqual([
      ['GET', '/target', ''],
      ['GET', '/target', ''],
    ])
  })

  it('a POST that left its origin and came back still lacks Authorization, as fetch sent it', async () => {
    const home = await server((req, res) => (req.url === '/stream' ? res.writeHead(307, {location: away.url}).end() : stream(res)))
    const away = await server((_req, res) => res.writeHead(307, {location: `${home.origin}/target`}).end())
    const created = source(home.url, {method: 'POST', body: BODY, headers: {authorization: 'Bearer SECRET'}})
    await until(() => home.requests.length >= 3)
    created.close()
    expect(away.requests[0]?.headers.authorization).toBeUndefined()
    expect(home.requests.slice(0, 3).map((request) => [request.method, request.url, request.headers.authorization])).toEqual([
      ['POST', '/stream', 'Bearer SECRET'],
      ['POST', '/target', undefined],
      ['POST', '/target', undefined],
    ])
  })

  it('a headers function learns the URL and whether it is still the original origin, and decides on the token', async () => {
    const {startUrl, target, targetRequests} = await redirecting(302, true)
    const contexts: RequestContext[] = []
    const created = source(startUrl, {
      headers: (context) => {
        contexts.push(context)
        return context.isOriginalOrigin ? {authorization: 'Bearer SECRET'} : {authorization: 'Bearer FOR-TARGET'}
      },
    })
    await until(() => targetRequests().length >= 2)
    created.close()
    const targetUrl = `${target.origin.replace('127.0.0.1', 'localhost')}/target`
    expect(contexts.slice(0, 2).map(({url, isOriginalOrigin}) => [url, isOriginalOrigin])).toEqual([
      [startUrl, true],
      [targetUrl, false],
    ])
    // fetch removed the first token on the redirect; the function chose what the reconnection sends.
    expect(targetRequests().map((request) => request.headers.authorization)).toEqual([undefined, 'Bearer FOR-TARGET'])
  })

  it('a POST body header set by a headers function is not sent on a reconnection that a redirect made a GET', async () => {
    const {startUrl, targetRequests} = await redirecting(303, false)
    const created = source(startUrl, {method: 'POST', body: BODY, headers: () => ({'content-type': 'application/json', 'x-trace': 't1'})})
    await until(() => targetRequests().length >= 2)
    created.close()
    expect(targetRequests().map((request) => [request.method, request.body, request.headers['content-type'], request.headers['x-trace']])).toEqual([
      ['GET', '', undefined, 't1'],
      ['GET', '', undefined, 't1'],
    ])
  })

  it('with a custom fetch, which hides the statuses, a redirected POST reconnects as a GET without a body', async () => {
    // The documented limit: a fetch that follows redirects shows only the final URL, so a body is
    // never re-sent to a URL that may have asked for a GET (here a 307 did not).
    const {startUrl, targetRequests} = await redirecting(307, true)
    const redirectModes: unknown[] = []
    const created = source(startUrl, {
      method: 'POST',
      body: BODY,
      headers: {authorization: 'Bearer SECRET', 'content-type': 'application/json'},
      fetch: (url, init) => (redirectModes.push(init.redirect), fetch(url, init)),
    })
    await until(() => targetRequests().length >= 2)
    created.close()
    // A custom fetch is called as before: once per attempt, following redirects itself.
    expect(redirectModes.slice(0, 2)).toEqual(['follow', 'follow'])
    expect(targetRequests().map((request) => [request.method, request.body, request.headers['content-type'], request.headers.authorization])).toEqual([
      ['POST', BODY, 'application/json', undefined],
      ['GET', '', undefined, undefined],
    ])
  })

  it('with a custom fetch, a GET redirected to another origin reconnects without Authorization', async () => {
    const calls: RequestInit[] = []
    const {startUrl, targetRequests} = await redirecting(301, true)
    const created = source(startUrl, {headers: {authorization: 'Bearer SECRET'}, fetch: (url, init) => (calls.push(init), fetch(url, init))})
    await until(() => targetRequests().length >= 2)
    created.close()
    expect(targetRequests().map((request) => request.headers.authorization)).toEqual([undefined, undefined])
    expect(calls.map((init) => init.redirect)).toEqual(['follow', 'follow'])
  })

  it('a source never redirected sends the same POST on every attempt, with a Content-Type', async () => {
    const target = await server((_req, res) => stream(res))
    const created = source(target.url, {method: 'POST', body: BODY, headers: {authorization: 'Bearer SECRET', 'content-type': 'application/json'}})
    await until(() => target.requests.length >= 3)
    created.close()
    const shapes = target.requests.slice(0, 3).map(shape)
    expect(shapes[0]).toMatchObject({method: 'POST', body: BODY, headers: {authorization: 'Bearer SECRET', 'content-type': 'application/json'}})
    expect(shapes[1]).toEqual(shapes[0])
    expect(shapes[2]).toEqual(shapes[0])
  })

  it('a POST redirected more than 20 times is a network error, as in fetch, and reconnects from the start', async () => {
    const {startUrl, target} = await redirecting(307, false, 25)
    const created = source(startUrl, {method: 'POST', body: BODY, reconnectionTime: 60_000})
    const event = (await next(created, 'error')) as Event & {error?: Error}
    created.close()
    expect(event.error?.name).toBe('NetworkError')
    // The first request and 20 redirects: the 21st is not followed.
    expect(target.requests).toHaveLength(21)
    expect(target.requests.every((request) => request.method === 'POST' && request.body === BODY)).toBe(true)
  })

  it('a POST redirected to a URL fetch cannot load is a network error', async () => {
    const start = await server((_req, res) => res.writeHead(308, {location: 'ftp://127.0.0.1/x'}).end())
    const created = source(start.url, {method: 'POST', body: BODY, reconnectionTime: 60_000})
    const event = (await next(created, 'error')) as Event & {error?: Error}
    created.close()
    expect(event.error?.name).toBe('NetworkError')
    expect(start.requests).toHaveLength(1)
  })
})
