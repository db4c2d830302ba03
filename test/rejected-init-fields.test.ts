// Fetch implementations that reject a standard init field. workerd (Cloudflare Workers) before
// compatibility date 2024-11-11 rejects every fetch whose init has a `cache` field, with a plain
// Error: "The 'cache' field on 'RequestInitializerDict' is not implemented." (a rejected promise; at
// the oldest dates, 2021-11-03 for one, fetch throws it synchronously). The fakes below fail exactly
// those ways, then hand the request to Node's fetch, so the request really reaches a server.
import {describe, expect, it} from 'vitest'
import {fetchEventSource} from '../src/fetch-event-source/index.js'
import {EventSource, NetworkError} from '../src/index.js'
import {sse, until, useCleanups} from './helpers.js'

const {defer, server} = useCleanups()

const WORKERD_CACHE_MESSAGE = "The 'cache' field on 'RequestInitializerDict' is not implemented."

/** A fetch that behaves like workerd's before 2024-11-11: `cache` in the init rejects (or throws), nothing is sent. */
function workerdLikeFetch({isSynchronous = false} = {}) {
  const calls: Array<{cache: RequestCache | undefined; lastEventId: string | null}> = []
  let rejected = 0
  const fetch = (url: string, init: RequestInit): Promise<Response> => {
    calls.push({cache: init.cache, lastEventId: new Headers(init.headers).get('last-event-id')})
    if (init.cache !== undefined) {
      rejected++
      if (isSynchronous) throw new Error(WORKERD_CACHE_MESSAGE)
      return Promise.reject(new Error(WORKERD_CACHE_MESSAGE))
    }
    return globalThis.fetch(url, init)
  }
  return {fetch, calls, rejectedCount: () => rejected}
}

function open(url: string, init: ConstructorParameters<typeof EventSource>[1]): EventSource {
  const source = new EventSource(url, init)
  defer(() => source.close())
  return source
}

describe('[non-spec] a fetch that rejects the cache field (workerd before compatibility date 2024-11-11)', () => {
  it.each([
    ['rejects', false],
    ['throws synchronously', true],
  ])('is called again without the field when it %s, so the request goes out and the events arrive', async (_how, isSynchronous) => {
    const target = await server((_req, res, index) => sse(res, `retry: 5\nid: ${index + 1}\ndata: event ${index + 1}\n\n`))
    const {fetch, calls, rejectedCount} = workerdLikeFetch({isSynchronous})
    const source = open(target.url, {fetch})
    const messages: Array<{data: string; lastEventId: string}> = []
    const errors: unknown[] = []
    source.onmessage = (event) => messages.push({data: event.data as string, lastEventId: event.lastEventId})
    source.onerror = (event) => errors.push(event.error)
    await until(() => messages.length >= 3)
    source.close()
    expect(messages).toEqual([
      {data: 'event 1', lastEventId: '1'},
      {data: 'event 2', lastEventId: '2'},
      {data: 'event 3', lastEventId: '3'},
    ])
    // The server saw every attempt, the reconnections with the Last-Event-ID they carry.
    expect(target.requests.slice(0, 3).map((request) => request.headers['last-event-id'])).toEqual([undefined, '1', '2'])
    // The rejection was met once, on the first attempt; every later attempt went without the field.
    expect(rejectedCount()).toBe(1)
    expect(calls.slice(0, 4)).toEqual([
      {cache: 'no-store', lastEventId: null},
      {cache: undefined, lastEventId: null},
      {cache: undefined, lastEventId: '1'},
      {cache: undefined, lastEventId: '2'},
    ])
    // The rejection itself reached no error event: only the ends of the streams did (no error object).
    expect(errors.length).toBeGreaterThanOrEqual(2)
    expect(errors.every((error) => error === undefined)).toBe(true)
  })

  it('is called again without the field by fetchEventSource (eventsource-kit/fetch-event-source) too', async () => {
    const target = await server((_req, res, index) => sse(res, `id: ${index + 1}\ndata: event ${index + 1}\n\n`))
    const {fetch, calls, rejectedCount} = workerdLikeFetch()
    const messages: Array<{id: string; data: string}> = []
    // A stream that ends resolves fetchEventSource (as the original does): two calls, two streams.
    const fetchAnyInput = fetch as unknown as typeof globalThis.fetch // it is only called with the string URL
    for (let run = 0; run < 2; run++) await fetchEventSource(target.url, {fetch: fetchAnyInput, onmessage: ({id, data}) => messages.push({id, data})})
    expect(messages).toEqual([
      {id: '1', data: 'event 1'},
      {id: '2', data: 'event 2'},
    ])
    expect(target.requests.length).toBe(2)
    expect([rejectedCount(), calls.map((call) => call.cache)]).toEqual([1, ['no-store', undefined, undefined]])
  })

  it('is remembered per fetch implementation: another fetch still gets cache no-store', async () => {
    const target = await server((_req, res) => sse(res, 'data: x\n\n'))
    const strict = workerdLikeFetch()
    const first = open(target.url, {fetch: strict.fetch})
    await new Promise((resolve) => (first.onmessage = resolve))
    first.close()
    const inits: RequestInit[] = []
    const second = open(target.url, {fetch: (url, init) => (inits.push(init), globalThis.fetch(url, init))})
    await new Promise((resolve) => (second.onmessage = resolve))
    second.close()
    expect(strict.rejectedCount()).toBe(1)
    expect(inits[0]?.cache).toBe('no-store')
  })

  it('still reports a fetch that keeps rejecting as a NetworkError on an error event, and reconnects', async () => {
    // A fetch that rejects with that message whatever the init holds: no loop, the failure is visible.
    let calls = 0
    const source = open('http://127.0.0.1:9/stream', {
      fetch: () => {
        calls++
        return Promise.reject(new Error(WORKERD_CACHE_MESSAGE))
      },
      reconnectionTime: 5,
    })
    const errors: Array<{error: unknown; willReconnect: boolean | undefined; calls: number}> = []
    source.onerror = (event) => errors.push({error: event.error, willReconnect: event.willReconnect, calls})
    await until(() => errors.length >= 2)
    source.close()
    const [first] = errors
    expect(first?.error).toBeInstanceOf(NetworkError)
    expect(((first?.error as NetworkError).cause as Error).message).toBe(WORKERD_CACHE_MESSAGE)
    expect(first?.willReconnect).toBe(true)
    // Two calls on the first attempt (with the field, then without), then one per attempt.
    expect(errors.slice(0, 2).map((error) => error.calls)).toEqual([2, 3])
  })

  it('does not retry other rejections without the field: they are network errors as before', async () => {
    const inits: RequestInit[] = []
    const source = open('http://127.0.0.1:9/stream', {
      fetch: (_url, init) => {
        inits.push(init)
        return Promise.reject(new TypeError('fetch failed'))
      },
      reconnectionTime: 5,
    })
    const errors: Array<{error: unknown; calls: number}> = []
    source.onerror = (event) => errors.push({error: event.error, calls: inits.length})
    await until(() => errors.length >= 2)
    source.close()
    expect(errors[0]?.error).toBeInstanceOf(NetworkError)
    // One call per attempt.
    expect(errors.slice(0, 2).map((error) => error.calls)).toEqual([1, 2])
    expect(inits.every((init) => init.cache === 'no-store')).toBe(true)
  })
})
