import {iterate} from '../src/iterate/index.js'
import {backoff} from '../src/reconnect/index.js'
import {afterEach, describe, expect, it, vi} from 'vitest'
import {EventSource, EventSourceErrorEvent, HttpError, InactivityTimeoutError, MaxEventSizeError} from '../src/index.js'
import {feedWithoutStacks} from '../src/core/decode.js'
import {bytesOf, fakeFetch, next, record, streamResponse, until, useCleanups} from './helpers.js'

// Bugs found in review, one test each, so they stay fixed.

const {defer} = useCleanups()
afterEach(() => {
  vi.useRealTimers()
  Reflect.deleteProperty(globalThis, 'document')
})

function source(init: ConstructorParameters<typeof EventSource>[1]): EventSource {
  const created = new EventSource('http://127.0.0.1:9/stream', init)
  defer(() => created.close())
  return created
}

/** A body that sends nothing and notes when it is cancelled. */
function silentBody() {
  const state = {cancelled: false}
  const body = new ReadableStream<Uint8Array>({
    cancel() {
      state.cancelled = true
    },
  })
  return {body, state}
}

describe('[non-spec] async iteration edge cases', () => {
  it('settles next() promises requested before their events, in order, and all of them on close()', async () => {
    const {fetch} = fakeFetch(() => streamResponse([bytesOf('data: 1\n\ndata: 2\n\n')]))
    const created = source({fetch})
    const iterator = iterate(created)
    const results = [iterator.next(), iterator.next(), iterator.next()]
    await next(created, 'error')
    created.close()
    expect(await Promise.all(results)).toEqual([
      {value: expect.objectContaining({data: '1'}), done: false},
      {value: expect.objectContaining({data: '2'}), done: false},
      {value: undefined, done: true},
    ])
  })

  it('throws the failure in a loop started after the connection failed', async () => {
    const {fetch} = fakeFetch(() => new Response('no', {status: 401}))
    const created = source({fetch})
    await next(created, 'error')
    await expect(iterate(created).next()).rejects.toBeInstanceOf(HttpError)
  })
})

describe('close() and signal-ignoring fetches', () => {
  it('cancels the body when close() is called in the open listener', async () => {
    const {body, state} = silentBody()
    const created = source({fetch: async () => new Response(body, {headers: {'content-type': 'text/event-stream'}})})
    created.onopen = () => created.close()
    await until(() => state.cancelled)
    expect(created.readyState).toBe(EventSource.CLOSED)
  })

  it('leaves no timer behind when the fetch never settles', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
    const created = source({fetch: () => new Promise<Response>(() => {}), inactivityTimeout: 60_000})
    await vi.advanceTimersByTimeAsync(0)
    expect(vi.getTimerCount()).toBe(1)
    created.close()
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('[non-spec] inactivityTimeout with a fetch that ignores the signal', () => {
  it('reconnects with an InactivityTimeoutError when a response arrives after the timeout', async () => {
    let calls = 0
    const created = source({
      inactivityTimeout: 30,
      reconnectionTime: 1,
      fetch: async () => {
        calls++
        await new Promise((resolve) => setTimeout(resolve, calls === 1 ? 80 : 0))
        return calls === 1 ? new Response(silentBody().body, {headers: {'content-type': 'text/event-stream'}}) : streamResponse([bytesOf('data: ok\n\n')])
      },
    })
    const seen = record(created, ['open', 'message', 'error'])
    const error = (await next(created, 'error')) as EventSourceErrorEvent
    expect(error.error).toBeInstanceOf(InactivityTimeoutError)
    await until(() => seen.some((event) => event.type === 'message'))
    expect(seen.slice(0, 3).map((event) => event.type)).toEqual(['error', 'open', 'message'])
  })
})

describe('[non-spec] maxEventSize', () => {
  it('dispatches the complete events before the oversized one in the same chunk', async () => {
    const {fetch} = fakeFetch(() => streamResponse([bytesOf(`id: 7\ndata: a\n\ndata: ${'x'.repeat(50)}\n\n`)]))
    const created = source({fetch, maxEventSize: 20})
    const seen = record(created, ['message', 'error'])
    const error = (await next(created, 'error')) as EventSourceErrorEvent
    expect(error.error).toBeInstanceOf(MaxEventSizeError)
    expect(seen.map((event) => [event.type, event.data, event.lastEventId])).toEqual([
      ['message', 'a', '7'],
      ['error', undefined, undefined],
    ])
    expect(created.lastEventId).toBe('7')
  })
})

describe('[non-spec] pauseWhenHidden', () => {
  it('still fails the connection when the page hides while a fatal response is read', async () => {
    const document = Object.assign(new EventTarget(), {visibilityState: 'visible'})
    Object.defineProperty(globalThis, 'document', {value: document, configurable: true})
    let calls = 0
    const slowBody = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, 50))
        controller.enqueue(bytesOf('denied'))
        controller.close()
      },
    })
    const created = source({
      pauseWhenHidden: true,
      fetch: async () => {
        calls++
        return new Response(slowBody, {status: 401})
      },
    })
    await until(() => calls === 1)
    document.visibilityState = 'hidden'
    document.dispatchEvent(new Event('visibilitychange'))
    const error = (await next(created, 'error')) as EventSourceErrorEvent
    expect(error.error).toBeInstanceOf(HttpError)
    expect(created.readyState).toBe(EventSource.CLOSED)
    expect(calls).toBe(1)
  })
})

describe('[non-spec] backoff', () => {
  it('never computes a NaN delay, even from a zero reconnection time and a huge factor', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
    const created = source({fetch: () => Promise.reject(new TypeError('fetch failed')), reconnectionTime: 0, reconnect: backoff({factor: 1e200, jitter: false, maxRetries: 4})})
    const delays: Array<number | null> = []
    created.onerror = (event) => delays.push(event.reconnectDelay)
    for (let i = 0; i < 6; i++) await vi.advanceTimersByTimeAsync(1)
    expect(delays).toEqual([0, 0, 0, 0, null])
  })
})

describe('unknown fields and bad retry lines stay cheap', () => {
  it('feeds the parser with stack capture off, and restores Error.stackTraceLimit, also when feed throws', () => {
    const limit = Error.stackTraceLimit
    const stacks: string[] = []
    const parser = {
      feed: (text: string) => {
        // What the parser does for an unknown field: build an error it may never use.
        stacks.push(new Error(text).stack ?? '')
        if (text === 'throw') throw new Error('feed failed')
      },
      reset: () => {},
    }
    feedWithoutStacks(parser, 'unknown: x')
    expect(() => feedWithoutStacks(parser, 'throw')).toThrow('feed failed')
    expect(stacks).toEqual(['Error: unknown: x', 'Error: throw'])
    expect(Error.stackTraceLimit).toBe(limit)
    // Outside feed, stacks are captured as usual.
    expect(new Error('outside').stack).toContain('\n    at ')
  })

  it('still parses the events after thousands of such lines', async () => {
    const lines = Array.from({length: 2000}, (_, i) => `unknown${i}: x\nretry: ${i}x\n`).join('')
    const {fetch} = fakeFetch(() => streamResponse([bytesOf(`${lines}data: after\n\n`)]))
    const created = source({fetch})
    const seen = record(created, ['message'])
    await until(() => seen.length === 1)
    expect(seen[0]?.data).toBe('after')
    expect(created.reconnectionTime).toBe(3000)
  })
})

describe('last event ID after close() in the last listener of a chunk', () => {
  it('does not take the id of an id-only block that follows the closing event', async () => {
    const {fetch} = fakeFetch(() => streamResponse([bytesOf('id: 1\ndata: a\n\nid: 2\n\n')]))
    const created = source({fetch})
    await new Promise<void>((resolve) =>
      created.addEventListener('message', () => {
        created.close()
        resolve()
      }),
    )
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(created.lastEventId).toBe('1')
  })

  it('takes the id of an id-only block when nothing closed the source', async () => {
    const {fetch} = fakeFetch(() => streamResponse([bytesOf('id: 1\ndata: a\n\nid: 2\n\n')]))
    const created = source({fetch, reconnectionTime: 60_000})
    await next(created, 'error')
    expect(created.lastEventId).toBe('2')
  })
})
