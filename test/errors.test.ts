import {inspect} from 'node:util'
import {afterEach, describe, expect, it, vi} from 'vitest'
import {
  ContentTypeError,
  EventSource,
  EventSourceError,
  EventSourceErrorEvent,
  type EventSourceInit,
  HttpError,
  InactivityTimeoutError,
  MaxEventSizeError,
  NetworkError,
  RequestInitError,
} from '../src/index.js'
import {type Fault, type FaultServer, startFaultServer} from './fault-server.js'
import {bytesOf, fakeFetch, streamResponse, until} from './helpers.js'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  vi.useRealTimers()
})

function source(url: string, init: EventSourceInit = {}): EventSource {
  const created = new EventSource(url, init)
  cleanups.push(() => created.close())
  return created
}

async function faultServer(...script: Fault[]): Promise<FaultServer> {
  const server = await startFaultServer(script)
  cleanups.push(() => server.close())
  return server
}

/** Collects every error event with the readyState it was dispatched in. */
function errorsOf(target: EventSource): Array<{event: EventSourceErrorEvent; readyState: number}> {
  const seen: Array<{event: EventSourceErrorEvent; readyState: number}> = []
  target.addEventListener('error', (event) => seen.push({event, readyState: target.readyState}))
  return seen
}

/** The reason of the first error event. */
async function firstError(target: EventSource): Promise<{event: EventSourceErrorEvent; readyState: number}> {
  const seen = errorsOf(target)
  await until(() => seen.length > 0)
  return seen[0] as {event: EventSourceErrorEvent; readyState: number}
}

const FAKE_URL = 'http://127.0.0.1:9/stream'

describe('[non-spec] the error event', () => {
  it('is an EventSourceErrorEvent with no error, willReconnect true and the delay when an open stream ends', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
    const {fetch} = fakeFetch(() => streamResponse([bytesOf('data: a\n\n')]))
    const {event, readyState} = await firstError(source(FAKE_URL, {fetch, reconnectionTime: 250}))
    expect(event).toBeInstanceOf(EventSourceErrorEvent)
    expect(event).toBeInstanceOf(Event)
    expect([event.type, event.bubbles, event.cancelable]).toEqual(['error', false, false])
    expect(event.error).toBeUndefined()
    expect(event.willReconnect).toBe(true)
    expect(event.reconnectDelay).toBe(250)
    expect(readyState).toBe(EventSource.CONNECTING)
  })

  it('has willReconnect false and reconnectDelay null when the connection fails', async () => {
    const {fetch} = fakeFetch(() => new Response('no', {status: 401}))
    const created = source(FAKE_URL, {fetch})
    const {event, readyState} = await firstError(created)
    expect(event.error).toBeInstanceOf(HttpError)
    expect(event.willReconnect).toBe(false)
    expect(event.reconnectDelay).toBeNull()
    expect(readyState).toBe(EventSource.CLOSED)
    expect(created.readyState).toBe(EventSource.CLOSED)
  })

  it('defaults to willReconnect false and reconnectDelay null when constructed by hand', () => {
    const event = new EventSourceErrorEvent(undefined)
    expect([event.type, event.error, event.willReconnect, event.reconnectDelay]).toEqual(['error', undefined, false, null])
    const planned = new EventSourceErrorEvent(new EventSourceError('x'), {willReconnect: true, reconnectDelay: 7})
    expect([planned.error?.message, planned.willReconnect, planned.reconnectDelay]).toEqual(['x', true, 7])
  })

  it('shows its class, its plan and the error name in util.inspect (what console.log prints in Node)', async () => {
    const {fetch} = fakeFetch(() => new Response('denied', {status: 401, statusText: 'Unauthorized'}))
    const {event} = await firstError(source(FAKE_URL, {fetch}))
    const shown = inspect(event)
    expect(shown).toContain('EventSourceErrorEvent')
    expect(shown).toContain('willReconnect: false')
    expect(shown).toContain('reconnectDelay: null')
    expect(shown).toContain('HttpError')
    expect(shown).toContain("type: 'error'")
  })

  it('shows willReconnect true and the delay in util.inspect while reconnecting', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
    const {fetch} = fakeFetch(() => Promise.reject(new TypeError('fetch failed')))
    const {event} = await firstError(source(FAKE_URL, {fetch, reconnectionTime: 25}))
    const shown = inspect(event)
    expect(shown).toContain('EventSourceErrorEvent')
    expect(shown).toContain('willReconnect: true')
    expect(shown).toContain('reconnectDelay: 25')
    expect(shown).toContain('NetworkError')
  })
})

describe('[non-spec] the error classes', () => {
  it('all extend EventSourceError and Error and carry their class name', () => {
    const response = new Response(null, {status: 500})
    const errors = [
      new HttpError(response, FAKE_URL),
      new ContentTypeError(null, FAKE_URL),
      new NetworkError(FAKE_URL, new Error('x')),
      new RequestInitError('x', new Error('x')),
      new InactivityTimeoutError(5, FAKE_URL),
      new MaxEventSizeError(5, FAKE_URL),
    ]
    expect(errors.map((error) => error.name)).toEqual([
      'HttpError',
      'ContentTypeError',
      'NetworkError',
      'RequestInitError',
      'InactivityTimeoutError',
      'MaxEventSizeError',
    ])
    for (const error of errors) {
      expect(error).toBeInstanceOf(EventSourceError)
      expect(error).toBeInstanceOf(Error)
    }
    expect(new EventSourceError('x').name).toBe('EventSourceError')
  })
})

describe('[non-spec] HttpError', () => {
  it('carries the status, status text, headers and body of a real response', async () => {
    const server = await faultServer({
      kind: 'status',
      status: 503,
      statusText: 'Busy Now',
      headers: {'content-type': 'text/plain', 'x-request-id': 'r-42'},
      body: 'overloaded, come back later',
    })
    const {event, readyState} = await firstError(source(server.url))
    const error = event.error as HttpError
    expect(error).toBeInstanceOf(HttpError)
    expect(error.status).toBe(503)
    expect(error.statusText).toBe('Busy Now')
    expect(error.headers).toBeInstanceOf(Headers)
    expect(error.headers.get('x-request-id')).toBe('r-42')
    expect(error.body).toBe('overloaded, come back later')
    expect(error.message).toBe(`Unexpected status 503 Busy Now from ${server.url}`)
    expect(readyState).toBe(EventSource.CLOSED)
    expect(server.requests).toHaveLength(1)
  })

  it('keeps only the first 1024 bytes of a long body', async () => {
    const body = 'abcdefghij'.repeat(500)
    const server = await faultServer({kind: 'status', status: 500, headers: {'content-type': 'text/plain'}, body})
    const {event} = await firstError(source(server.url))
    expect((event.error as HttpError).body).toBe(body.slice(0, 1024))
  })

  it('counts the 1024 bytes as UTF-8, not as characters', async () => {
    // 'é' is two bytes: 1024 bytes are 512 of them.
    const server = await faultServer({kind: 'status', status: 502, headers: {'content-type': 'text/plain; charset=utf-8'}, body: 'é'.repeat(1500)})
    const {event} = await firstError(source(server.url))
    expect((event.error as HttpError).body).toBe('é'.repeat(512))
  })

  it('reads the start of an error body that never ends', async () => {
    // The body streams forever: only its first KiB is read, then the response is cancelled.
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(bytesOf('0123456789abcdef'.repeat(64)))
      },
    })
    const {fetch} = fakeFetch(() => new Response(endless, {status: 500}))
    const {event} = await firstError(source(FAKE_URL, {fetch}))
    expect((event.error as HttpError).body).toBe('0123456789abcdef'.repeat(64))
  })

  it('has an undefined body when the response has none (204) and an empty one for an empty body', async () => {
    const server = await faultServer({kind: 'status', status: 204}, {kind: 'status', status: 500})
    const noContent = await firstError(source(server.url))
    expect((noContent.event.error as HttpError).status).toBe(204)
    expect((noContent.event.error as HttpError).body).toBeUndefined()
    const empty = await firstError(source(server.url))
    expect((empty.event.error as HttpError).status).toBe(500)
    expect((empty.event.error as HttpError).body).toBe('')
  })

  it('has the bytes that arrived within 1 s as its body when the server then stalls', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytesOf('partial'))
      },
    })
    const {fetch} = fakeFetch(() => new Response(stalled, {status: 503}))
    const created = source(FAKE_URL, {fetch})
    const seen = errorsOf(created)
    await vi.advanceTimersByTimeAsync(999)
    expect(seen).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(seen).toHaveLength(1)
    expect((seen[0]?.event.error as HttpError).body).toBe('partial')
  })

  // Bug: cancelling the reader after 1 s resolves the pending read as done, so readSnippet returns ''.
  it('has an undefined body when the server sends nothing of it within 1 s', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
    const silent = new ReadableStream<Uint8Array>({pull: () => new Promise<void>(() => {})})
    const {fetch} = fakeFetch(() => new Response(silent, {status: 503}))
    const created = source(FAKE_URL, {fetch})
    const seen = errorsOf(created)
    await vi.advanceTimersByTimeAsync(999)
    expect(seen).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(seen).toHaveLength(1)
    expect((seen[0]?.event.error as HttpError).status).toBe(503)
    expect((seen[0]?.event.error as HttpError).body).toBeUndefined()
  })

  // Same bug, over HTTP: a 503 whose headers arrive and whose body never does.
  it('has an undefined body when a real server stalls after the headers', async () => {
    const server = await faultServer({kind: 'stall-after-headers', status: 503, headers: {'content-type': 'text/plain'}})
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
    let hasResponse = false
    const created = source(server.url, {
      fetch: async (url, init) => {
        const response = await globalThis.fetch(url, init)
        hasResponse = true
        return response
      },
    })
    const seen = errorsOf(created)
    // The headers are in: from here the source gives the body 1 s on the (fake) clock.
    await until(() => hasResponse)
    await vi.advanceTimersByTimeAsync(999)
    expect(seen).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    await until(() => seen.length > 0)
    expect((seen[0]?.event.error as HttpError).status).toBe(503)
    expect((seen[0]?.event.error as HttpError).body).toBeUndefined()
  })
})

describe('[non-spec] ContentTypeError', () => {
  it('carries the Content-Type the server sent', async () => {
    const server = await faultServer({kind: 'status', status: 200, headers: {'content-type': 'text/html; charset=utf-8'}, body: '<p>hi</p>'})
    const {event, readyState} = await firstError(source(server.url))
    expect(event.error).toBeInstanceOf(ContentTypeError)
    expect((event.error as ContentTypeError).contentType).toBe('text/html; charset=utf-8')
    expect([event.willReconnect, event.reconnectDelay, readyState]).toEqual([false, null, EventSource.CLOSED])
  })

  it('has a null contentType when the server sent none', async () => {
    const server = await faultServer({kind: 'status', status: 200, body: 'data: x\n\n'})
    const {event} = await firstError(source(server.url))
    expect(event.error).toBeInstanceOf(ContentTypeError)
    expect((event.error as ContentTypeError).contentType).toBeNull()
    expect(event.error?.message).toContain('got none')
  })
})

describe('[non-spec] NetworkError', () => {
  it('carries the fetch rejection as its cause and reconnects', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
    const cause = new TypeError('fetch failed')
    const {fetch} = fakeFetch(() => Promise.reject(cause))
    const {event, readyState} = await firstError(source(FAKE_URL, {fetch, reconnectionTime: 40}))
    expect(event.error).toBeInstanceOf(NetworkError)
    expect(event.error?.cause).toBe(cause)
    expect([event.willReconnect, event.reconnectDelay, readyState]).toEqual([true, 40, EventSource.CONNECTING])
  })

  it('is reported when the socket is reset mid-event; the partial event is dropped and the source resumes', async () => {
    const server = await faultServer({kind: 'reset', body: 'id: 1\ndata: whole\n\nid: 2\ndata: half of'}, {kind: 'sse', body: 'data: next\n\n'})
    const created = source(server.url, {reconnectionTime: 5})
    const data: string[] = []
    created.onmessage = (event) => data.push(event.data)
    const seen = errorsOf(created)
    await until(() => seen.length >= 2)
    const [reset, ended] = seen
    expect(reset?.event.error).toBeInstanceOf(NetworkError)
    expect(reset?.event.error?.cause).toBeInstanceOf(Error)
    expect([reset?.event.willReconnect, reset?.event.reconnectDelay, reset?.readyState]).toEqual([true, 5, EventSource.CONNECTING])
    expect(ended?.event.error).toBeUndefined()
    expect(data).toEqual(['whole', 'next'])
    expect(server.requests[1]?.headers['last-event-id']).toBe('1')
  })
})

describe('[non-spec] the other error details', () => {
  it('InactivityTimeoutError carries the timeout', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
    const silent = new ReadableStream<Uint8Array>({})
    const {fetch} = fakeFetch(() => new Response(silent, {headers: {'content-type': 'text/event-stream'}}))
    const created = source(FAKE_URL, {fetch, inactivityTimeout: 75})
    const seen = errorsOf(created)
    await vi.advanceTimersByTimeAsync(75)
    const error = seen[0]?.event.error as InactivityTimeoutError
    expect(error).toBeInstanceOf(InactivityTimeoutError)
    expect(error.timeout).toBe(75)
    expect(error.message).toBe(`No data from ${FAKE_URL} for 75 ms`)
  })

  it('MaxEventSizeError carries the limit', async () => {
    const {fetch} = fakeFetch(() => streamResponse([bytesOf('data: 12345'), bytesOf('67890\n\n')]))
    const {event} = await firstError(source(FAKE_URL, {fetch, maxEventSize: 8}))
    const error = event.error as MaxEventSizeError
    expect(error).toBeInstanceOf(MaxEventSizeError)
    expect(error.limit).toBe(8)
    expect(error.message).toContain('(8)')
  })

  it('RequestInitError carries what the headers function threw, and the connection fails', async () => {
    const cause = new Error('no token')
    const {fetch, calls} = fakeFetch(() => streamResponse([]))
    const {event, readyState} = await firstError(
      source(FAKE_URL, {
        fetch,
        headers: () => {
          throw cause
        },
      }),
    )
    expect(event.error).toBeInstanceOf(RequestInitError)
    expect(event.error?.cause).toBe(cause)
    expect([event.willReconnect, readyState, calls.length]).toEqual([false, EventSource.CLOSED, 0])
  })
})
