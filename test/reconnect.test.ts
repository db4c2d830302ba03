import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'
import {EventSource, EventSourceErrorEvent, NetworkError} from '../src/index.js'
import {bytesOf, fakeFetch, next, record, streamResponse} from './helpers.js'

const sources: EventSource[] = []
beforeEach(() => {
  vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
})
afterEach(() => {
  for (const source of sources.splice(0)) source.close()
  vi.useRealTimers()
})

function source(init: ConstructorParameters<typeof EventSource>[1]): EventSource {
  const created = new EventSource('http://127.0.0.1:9/stream', init)
  sources.push(created)
  return created
}

/** Lets pending promise jobs (fetch, reads, dispatch) run without moving the fake clock. */
const settle = () => vi.advanceTimersByTimeAsync(0)

describe('reestablishing the connection', () => {
  it('fires error in CONNECTING when the stream ends, waits 3000 ms by default, then reconnects', async () => {
    const {fetch, calls} = fakeFetch(() => streamResponse([bytesOf('data: a\n\n')]))
    const created = source({fetch})
    const seen = record(created, ['open', 'message', 'error'])
    await settle()
    expect(seen.map((event) => [event.type, event.readyState])).toEqual([
      ['open', 1],
      ['message', 1],
      ['error', 0],
    ])
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(2999)
    expect(calls).toHaveLength(1)
    expect(created.readyState).toBe(EventSource.CONNECTING)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls).toHaveLength(2)
    expect(seen.map((event) => event.type)).toEqual(['open', 'message', 'error', 'open', 'message', 'error'])
  })

  it('waits the reconnection time the server sent with retry', async () => {
    const {fetch, calls} = fakeFetch(() => streamResponse([bytesOf('retry: 500\ndata: a\n\n')]))
    const created = source({fetch})
    await settle()
    expect(created.reconnectionTime).toBe(500)
    await vi.advanceTimersByTimeAsync(499)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls).toHaveLength(2)
  })

  it('[non-spec] starts from the reconnectionTime option', async () => {
    const {fetch, calls} = fakeFetch(() => streamResponse([]))
    source({fetch, reconnectionTime: 40})
    await settle()
    await vi.advanceTimersByTimeAsync(39)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls).toHaveLength(2)
  })

  it('reconnects after a network error while connecting, with a NetworkError on the event', async () => {
    const cause = new TypeError('fetch failed')
    const {fetch, calls} = fakeFetch(
      () => Promise.reject(cause),
      () => streamResponse([bytesOf('data: back\n\n')]),
    )
    const created = source({fetch, reconnectionTime: 100})
    const seen = record(created, ['open', 'message', 'error'])
    const errors: EventSourceErrorEvent[] = []
    created.onerror = (event) => errors.push(event)
    await settle()
    expect(seen).toEqual([{type: 'error', readyState: 0}])
    expect(errors[0]).toBeInstanceOf(EventSourceErrorEvent)
    expect(errors[0]?.error).toBeInstanceOf(NetworkError)
    expect(errors[0]?.error?.cause).toBe(cause)
    await vi.advanceTimersByTimeAsync(100)
    expect(calls).toHaveLength(2)
    expect(seen.map((event) => event.type)).toEqual(['error', 'open', 'message', 'error'])
    expect(errors[1]?.error).toBeUndefined()
  })

  it('reconnects when the body breaks off mid-event, dropping the partial event', async () => {
    let pulls = 0
    const broken = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulls++ === 0) controller.enqueue(bytesOf('id: 1\ndata: whole\n\nid: 2\ndata: part'))
        else controller.error(new Error('connection reset'))
      },
    })
    const {fetch, calls} = fakeFetch(
      () => new Response(broken, {headers: {'content-type': 'text/event-stream'}}),
      () => streamResponse([bytesOf('data: next\n\n')]),
    )
    const created = source({fetch, reconnectionTime: 10})
    const data: string[] = []
    created.onmessage = (event) => data.push(event.data)
    const error = (await next(created, 'error')) as EventSourceErrorEvent
    expect(error.error).toBeInstanceOf(NetworkError)
    expect(created.readyState).toBe(EventSource.CONNECTING)
    await vi.advanceTimersByTimeAsync(10)
    expect(data).toEqual(['whole', 'next'])
    expect(new Headers(calls[1]?.init.headers).get('last-event-id')).toBe('1')
  })

  it('does not reconnect when an error listener calls close()', async () => {
    const {fetch, calls} = fakeFetch(() => streamResponse([]))
    const created = source({fetch, reconnectionTime: 10})
    created.onerror = () => created.close()
    await settle()
    await vi.advanceTimersByTimeAsync(1000)
    expect(calls).toHaveLength(1)
    expect(created.readyState).toBe(EventSource.CLOSED)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('gives every attempt its own abort signal and releases it when the attempt ends', async () => {
    const {fetch, calls} = fakeFetch(() => streamResponse([bytesOf('retry: 5\ndata: a\n\n')]))
    source({fetch})
    await settle()
    await vi.advanceTimersByTimeAsync(5)
    await vi.advanceTimersByTimeAsync(5)
    expect(calls).toHaveLength(3)
    const signals = calls.map((call) => call.init.signal)
    expect(new Set(signals).size).toBe(3)
    expect(signals.map((signal) => signal?.aborted)).toEqual([true, true, true])
  })

  it('clamps a huge retry value instead of reconnecting at once', async () => {
    const {fetch, calls} = fakeFetch(() => streamResponse([bytesOf('retry: 99999999999999999999\n\n')]))
    const created = source({fetch})
    await settle()
    // Clamped to the longest wait a timer can do (about 24.8 days) rather than overflowing to 0.
    expect(created.reconnectionTime).toBe(2 ** 31 - 1)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(calls).toHaveLength(1)
  })
})
