import {describe, expect, it, vi} from 'vitest'
import {EventSource, type EventSourceInit, InactivityTimeoutError} from '../src/index.js'
import {bytesOf, fakeFetch, streamResponse, until} from './helpers.js'
import {errorsOf, faultServer, FAKE_URL, source, staysOpen} from './resilience-helpers.js'

// [non-spec] inactivityTimeout: an attempt that receives no byte for that long is dropped and the
// source reconnects with an InactivityTimeoutError.

/** A response whose body the test feeds by hand; it never ends by itself. */
function manualStream(): {response: () => Response; push: (text: string) => void; cancelled: () => boolean} {
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined
  let isCancelled = false
  const body = new ReadableStream<Uint8Array>({
    start(started) {
      controller = started
    },
    cancel() {
      isCancelled = true
    },
  })
  return {
    response: () => new Response(body, {headers: {'content-type': 'text/event-stream'}}),
    push: (text) => controller?.enqueue(bytesOf(text)),
    cancelled: () => isCancelled,
  }
}

/** A fetch that never answers, and rejects with `rejection(signal)` when its signal aborts. */
function pendingFetch(rejection: (signal: AbortSignal) => unknown = (signal) => signal.reason) {
  const calls: AbortSignal[] = []
  const fetch = (_url: string, init: RequestInit) =>
    new Promise<Response>((_resolve, reject) => {
      const signal = init.signal as AbortSignal
      calls.push(signal)
      signal.addEventListener('abort', () => reject(rejection(signal)))
    })
  return {fetch, calls}
}

describe('[non-spec] inactivityTimeout on a fake clock', () => {
  it('drops an attempt still waiting for headers and reconnects with an InactivityTimeoutError', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
    const {fetch, calls} = pendingFetch()
    const created = source({fetch, inactivityTimeout: 50, reconnectionTime: 20})
    const seen = errorsOf(created)
    await vi.advanceTimersByTimeAsync(49)
    expect(seen).toHaveLength(0)
    expect(calls[0]?.aborted).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls[0]?.aborted).toBe(true)
    expect(seen).toHaveLength(1)
    expect(seen[0]?.error).toBeInstanceOf(InactivityTimeoutError)
    expect((seen[0]?.error as InactivityTimeoutError).timeout).toBe(50)
    expect([seen[0]?.willReconnect, seen[0]?.reconnectDelay, seen[0]?.readyState]).toEqual([true, 20, EventSource.CONNECTING])
    await vi.advanceTimersByTimeAsync(20)
    expect(calls).toHaveLength(2)
  })

  it('reconnects even when the fetch rejects with a plain AbortError instead of the reason', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
    const {fetch} = pendingFetch(() => new DOMException('This operation was aborted', 'AbortError'))
    const created = source({fetch, inactivityTimeout: 50, reconnectionTime: 20})
    const seen = errorsOf(created)
    await vi.advanceTimersByTimeAsync(50)
    expect(seen.map(({error, willReconnect, readyState}) => [error?.name, willReconnect, readyState])).toEqual([
      ['InactivityTimeoutError', true, EventSource.CONNECTING],
    ])
  })

  it('drops an open stream that goes silent, counting from the last chunk', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
    const stream = manualStream()
    const {fetch, calls} = fakeFetch(stream.response, staysOpen)
    const created = source({fetch, inactivityTimeout: 50, reconnectionTime: 10})
    const seen = errorsOf(created)
    const data: string[] = []
    created.onmessage = (event) => data.push(event.data)
    await vi.advanceTimersByTimeAsync(30)
    stream.push('data: a\n\n')
    await vi.advanceTimersByTimeAsync(49)
    expect(seen).toHaveLength(0)
    expect(created.readyState).toBe(EventSource.OPEN)
    await vi.advanceTimersByTimeAsync(1)
    expect(seen.map(({error, willReconnect, reconnectDelay}) => [error?.name, willReconnect, reconnectDelay])).toEqual([['InactivityTimeoutError', true, 10]])
    expect(stream.cancelled()).toBe(true)
    expect(data).toEqual(['a'])
    await vi.advanceTimersByTimeAsync(10)
    expect(calls).toHaveLength(2)
  })

  it('keeps a stream whose keep-alive comments arrive more often than the timeout', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
    const stream = manualStream()
    const {fetch, calls} = fakeFetch(stream.response)
    const created = source({fetch, inactivityTimeout: 50})
    const seen = errorsOf(created)
    await vi.advanceTimersByTimeAsync(0)
    for (let i = 0; i < 20; i++) {
      await vi.advanceTimersByTimeAsync(45)
      stream.push(':\n')
    }
    // 900 ms of nothing but comments.
    expect(seen).toHaveLength(0)
    expect(created.readyState).toBe(EventSource.OPEN)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(50)
    expect(seen.map((event) => event.error?.name)).toEqual(['InactivityTimeoutError'])
  })

  it('counts every chunk, even one that completes no line', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
    const stream = manualStream()
    const {fetch} = fakeFetch(stream.response)
    const created = source({fetch, inactivityTimeout: 50})
    const seen = errorsOf(created)
    const data: string[] = []
    created.onmessage = (event) => data.push(event.data)
    await vi.advanceTimersByTimeAsync(0)
    for (const piece of ['da', 'ta: sl', 'ow', '\n', '\n']) {
      await vi.advanceTimersByTimeAsync(40)
      stream.push(piece)
    }
    await vi.advanceTimersByTimeAsync(40)
    expect(seen).toHaveLength(0)
    expect(data).toEqual(['slow'])
  })

  it('is off for 0 (the default): a silent stream stays open', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
    const silent = fakeFetch(staysOpen)
    const explicit = source({fetch: silent.fetch, inactivityTimeout: 0})
    const byDefault = source({fetch: silent.fetch})
    const seen = [...errorsOf(explicit), ...errorsOf(byDefault)]
    await vi.advanceTimersByTimeAsync(10 * 60_000)
    expect(seen).toHaveLength(0)
    expect([explicit.readyState, byDefault.readyState]).toEqual([EventSource.OPEN, EventSource.OPEN])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('does not run during the reconnection wait', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
    const {fetch, calls} = fakeFetch(() => streamResponse([bytesOf('data: a\n\n')]), staysOpen)
    const created = source({fetch, inactivityTimeout: 50, reconnectionTime: 1000})
    const seen = errorsOf(created)
    await vi.advanceTimersByTimeAsync(999)
    expect(seen.map((event) => event.error)).toEqual([undefined])
    expect(vi.getTimerCount()).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls).toHaveLength(2)
    expect(seen).toHaveLength(1)
  })

  it('cancels the body even when a custom fetch ignores the abort signal', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
    const stream = manualStream()
    const created = source({fetch: async () => stream.response(), inactivityTimeout: 50})
    const seen = errorsOf(created)
    await vi.advanceTimersByTimeAsync(50)
    expect(stream.cancelled()).toBe(true)
    expect(seen.map((event) => event.error?.name)).toEqual(['InactivityTimeoutError'])
  })

  it('stops with the source: no timer is left after close()', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
    const {fetch} = fakeFetch(staysOpen)
    const created = source({fetch, inactivityTimeout: 50})
    const seen = errorsOf(created)
    await vi.advanceTimersByTimeAsync(10)
    expect(vi.getTimerCount()).toBe(1)
    created.close()
    await vi.advanceTimersByTimeAsync(0)
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(1000)
    expect(seen).toHaveLength(0)
  })
})

// Real time: the timeout is small, yet large enough that a loaded machine does not trip it by accident.
const TIMEOUT_MS = 150
// Streams that must survive: a timeout far above the gaps between their bytes (10–25 ms), so that a
// machine under load cannot stretch one gap past it, while the whole stream lasts longer than it.
const KEEP_ALIVE_TIMEOUT_MS = 1_000

describe('[non-spec] inactivityTimeout over HTTP', () => {
  it('drops a server that never sends headers, then reconnects', async () => {
    const server = await faultServer({kind: 'stall-before-headers'}, {kind: 'sse', body: 'data: back\n\n'}, {kind: 'open'})
    const created = source({inactivityTimeout: TIMEOUT_MS, reconnectionTime: 5}, server.url)
    const seen = errorsOf(created)
    const data: string[] = []
    created.onmessage = (event) => data.push(event.data)
    await until(() => seen.length >= 2 && server.log[0]?.clientLeft === true)
    expect(seen.slice(0, 2).map(({error, willReconnect, reconnectDelay, readyState}) => [error?.name, willReconnect, reconnectDelay, readyState])).toEqual([
      ['InactivityTimeoutError', true, 5, EventSource.CONNECTING],
      [undefined, true, 5, EventSource.CONNECTING],
    ])
    expect(data).toEqual(['back'])
    expect(server.log[0]?.clientLeft).toBe(true)
  })

  it('drops a server that stalls after the headers, then reconnects', async () => {
    const server = await faultServer({kind: 'stall-after-headers'}, {kind: 'sse', body: 'data: back\n\n'}, {kind: 'open'})
    const created = source({inactivityTimeout: TIMEOUT_MS, reconnectionTime: 5}, server.url)
    const seen = errorsOf(created)
    const opened: number[] = []
    created.onopen = () => opened.push(server.requests.length)
    await until(() => seen.length >= 2)
    expect(seen.slice(0, 2).map((event) => event.error?.name)).toEqual(['InactivityTimeoutError', undefined])
    expect(opened.slice(0, 2)).toEqual([1, 2])
  })

  it('drops a stream that stops after an event and resumes from its id', async () => {
    const server = await faultServer({kind: 'open', body: 'id: 7\ndata: first\n\n'}, {kind: 'sse', body: 'data: second\n\n'}, {kind: 'open'})
    const created = source({inactivityTimeout: TIMEOUT_MS, reconnectionTime: 5}, server.url)
    const seen = errorsOf(created)
    const data: string[] = []
    created.onmessage = (event) => data.push(event.data)
    await until(() => seen.length >= 2)
    expect(data.slice(0, 2)).toEqual(['first', 'second'])
    expect(seen.slice(0, 2).map((event) => event.error?.name)).toEqual(['InactivityTimeoutError', undefined])
    expect(server.requests[1]?.headers['last-event-id']).toBe('7')
  })

  it('keeps a stream alive with keep-alive comments sent more often than the timeout', async () => {
    // 150 comments 10 ms apart: the stream lasts longer than the timeout.
    const server = await faultServer({kind: 'keep-alive', intervalMs: 10, count: 150, then: 'data: done\n\n'}, {kind: 'open'})
    const created = source({inactivityTimeout: KEEP_ALIVE_TIMEOUT_MS, reconnectionTime: 5}, server.url)
    const seen = errorsOf(created)
    const data: string[] = []
    created.onmessage = (event) => data.push(event.data)
    await until(() => seen.length >= 1)
    expect(data).toEqual(['done'])
    expect(seen.slice(0, 1).map(({error, willReconnect}) => [error, willReconnect])).toEqual([[undefined, true]])
    expect(server.log[0]?.finished).toBe(true)
  })

  it('keeps a stream alive that arrives one byte at a time', async () => {
    // Each byte 25 ms after the last: far more often than the timeout, and the whole (a comment, then
    // the event: 60 bytes) takes ~1.5 s, longer than the timeout.
    const body = `:${'x'.repeat(42)}\nid: 1\ndata: drip\n\n`
    const server = await faultServer({kind: 'slow', body, intervalMs: 25}, {kind: 'open'})
    const created = source({inactivityTimeout: KEEP_ALIVE_TIMEOUT_MS, reconnectionTime: 5}, server.url)
    const seen = errorsOf(created)
    const data: string[] = []
    created.onmessage = (event) => data.push(event.data)
    await until(() => seen.length >= 1)
    expect(data).toEqual(['drip'])
    expect(seen[0]?.error).toBeUndefined()
  })
})

describe('[non-spec] validating inactivityTimeout', () => {
  it.for([
    ['-1', -1],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['"50"', '50'],
    ['null', null],
  ] as const)('throws a TypeError naming "inactivityTimeout" for %s', ([, inactivityTimeout]) => {
    const construct = () => new EventSource(FAKE_URL, {inactivityTimeout} as unknown as EventSourceInit)
    expect(construct).toThrow(TypeError)
    expect(construct).toThrow('option "inactivityTimeout"')
  })

  it('accepts 0 and any finite number of milliseconds', () => {
    for (const inactivityTimeout of [0, 1, 12.5, 86_400_000]) {
      const created = new EventSource(FAKE_URL, {inactivityTimeout, fetch: fakeFetch(staysOpen).fetch})
      created.close()
      expect(created.readyState).toBe(EventSource.CLOSED)
    }
  })
})
