import {backoff, retry} from '../src/reconnect/index.js'
import {beforeEach, describe, expect, it, vi} from 'vitest'
import {EventSource, HttpError, NetworkError} from '../src/index.js'
import {bytesOf, fakeFetch, streamResponse} from './helpers.js'
import {source, errorsOf, delaysOf, failing, ended, staysOpen, status, settle, expectNextAttemptAfter} from './resilience-helpers.js'

describe('[non-spec] backoff', () => {
  beforeEach(() => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
  })

  it('is off by default: every reconnection waits the reconnection time', async () => {
    const {fetch, calls} = fakeFetch(failing)
    const seen = errorsOf(source({fetch, reconnectionTime: 100}))
    await settle()
    for (let i = 0; i < 4; i++) await expectNextAttemptAfter(calls, 100)
    expect(delaysOf(seen)).toEqual([100, 100, 100, 100, 100])
  })

  it('grows the delay by factor on consecutive failures up to maxDelay', async () => {
    const {fetch, calls} = fakeFetch(failing)
    const seen = errorsOf(source({fetch, reconnectionTime: 100, reconnect: backoff({factor: 3, maxDelay: 1000, jitter: false})}))
    await settle()
    for (const delay of [100, 300, 900, 1000, 1000]) {
      expect(seen.at(-1)?.reconnectDelay).toBe(delay)
      await expectNextAttemptAfter(calls, delay)
    }
    expect(delaysOf(seen)).toEqual([100, 300, 900, 1000, 1000, 1000])
    expect(seen.every((event) => event.willReconnect && event.readyState === EventSource.CONNECTING)).toBe(true)
  })

  it('uses factor 2, maxDelay 30000 and full jitter for backoff: true', async () => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.5)
    const {fetch, calls} = fakeFetch(failing)
    // Default reconnection time 3000: 3000, 6000, 12000, 24000, then capped at 30000; halved by the jitter.
    const seen = errorsOf(source({fetch, reconnect: backoff()}))
    await settle()
    for (const delay of [1500, 3000, 6000, 12000, 15000]) await expectNextAttemptAfter(calls, delay)
    expect(delaysOf(seen)).toEqual([1500, 3000, 6000, 12000, 15000, 15000])
    expect(random).toHaveBeenCalledTimes(6)
  })

  it.for([
    [0.5, 500, 1000],
    [0.999, 999, 1998],
  ] as const)('with jitter and Math.random() = %s waits %s ms, then %s ms of a computed 1000 and 2000', async ([value, first, second]) => {
    vi.spyOn(Math, 'random').mockReturnValue(value)
    const {fetch, calls} = fakeFetch(failing, failing, staysOpen)
    const seen = errorsOf(source({fetch, reconnectionTime: 1000, reconnect: backoff({jitter: true})}))
    await settle()
    await expectNextAttemptAfter(calls, first)
    await expectNextAttemptAfter(calls, second)
    expect(delaysOf(seen)).toEqual([first, second])
  })

  it('starts over after a connection opens', async () => {
    const {fetch, calls} = fakeFetch(failing, failing, ended, failing, failing, staysOpen)
    const seen = errorsOf(source({fetch, reconnectionTime: 100, reconnect: backoff({jitter: false})}))
    await settle()
    for (const delay of [100, 200, 100, 200, 400]) await expectNextAttemptAfter(calls, delay)
    expect(delaysOf(seen)).toEqual([100, 200, 100, 200, 400])
    expect(seen.map((event) => event.error?.name)).toEqual(['NetworkError', 'NetworkError', undefined, 'NetworkError', 'NetworkError'])
  })

  it('grows from the reconnection time the server sent with retry', async () => {
    const {fetch, calls} = fakeFetch(() => streamResponse([bytesOf('retry: 200\n\n')]), failing, failing, staysOpen)
    const seen = errorsOf(source({fetch, reconnectionTime: 5, reconnect: backoff({jitter: false})}))
    await settle()
    for (const delay of [200, 400, 800]) await expectNextAttemptAfter(calls, delay)
    expect(delaysOf(seen)).toEqual([200, 400, 800])
  })

  it('never waits less than the server retry, even with jitter or above maxDelay', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5)
    // retry: 500, then 500, 1000, 2000 before the jitter: 250 → 500, 500, 1000.
    const {fetch, calls} = fakeFetch(() => streamResponse([bytesOf('retry: 500\n\n')]), failing, failing, staysOpen)
    const seen = errorsOf(source({fetch, reconnect: backoff()}))
    await settle()
    for (const delay of [500, 500, 1000]) await expectNextAttemptAfter(calls, delay)
    expect(delaysOf(seen)).toEqual([500, 500, 1000])

    const capped = fakeFetch(() => streamResponse([bytesOf('retry: 500\n\n')]), failing, staysOpen)
    const cappedSeen = errorsOf(source({fetch: capped.fetch, reconnect: backoff({maxDelay: 100, jitter: false})}))
    await settle()
    for (const delay of [500, 500]) await expectNextAttemptAfter(capped.calls, delay)
    expect(delaysOf(cappedSeen)).toEqual([500, 500])
  })

  it('can jitter down to 0 when the server sent no retry: Math.random() = 0 reconnects at once', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const {fetch, calls} = fakeFetch(failing, failing, staysOpen)
    const created = source({fetch, reconnectionTime: 1000, reconnect: backoff()})
    const seen = errorsOf(created)
    await settle()
    await vi.advanceTimersByTimeAsync(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(delaysOf(seen)).toEqual([0, 0])
    expect(calls).toHaveLength(3)
    expect(created.readyState).toBe(EventSource.OPEN)
  })
})

describe('[non-spec] maxRetries', () => {
  beforeEach(() => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
  })

  it('stops after that many reconnections in a row: CLOSED, one final error with willReconnect false', async () => {
    const {fetch, calls} = fakeFetch(failing)
    const created = source({fetch, reconnectionTime: 10, reconnect: retry({maxRetries: 2})})
    const seen = errorsOf(created)
    await settle()
    await expectNextAttemptAfter(calls, 10)
    await expectNextAttemptAfter(calls, 10)
    expect(seen.map(({willReconnect, reconnectDelay, readyState}) => [willReconnect, reconnectDelay, readyState])).toEqual([
      [true, 10, EventSource.CONNECTING],
      [true, 10, EventSource.CONNECTING],
      [false, null, EventSource.CLOSED],
    ])
    expect(seen[2]?.error).toBeInstanceOf(NetworkError)
    expect(created.readyState).toBe(EventSource.CLOSED)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(calls).toHaveLength(3)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('counts only failures since the last open', async () => {
    const {fetch, calls} = fakeFetch(failing, failing, ended, failing, failing, staysOpen)
    const created = source({fetch, reconnectionTime: 10, reconnect: retry({maxRetries: 2})})
    const seen = errorsOf(created)
    await settle()
    await vi.advanceTimersByTimeAsync(10 * 10)
    // fail, fail, open + end (count starts over), fail, then the third reconnection in a row is refused.
    expect(calls).toHaveLength(5)
    expect(seen.map((event) => event.willReconnect)).toEqual([true, true, true, true, false])
    expect(created.readyState).toBe(EventSource.CLOSED)
  })

  it('never runs out against a server that opens and ends every time', async () => {
    const {fetch, calls} = fakeFetch(() => streamResponse([bytesOf('data: x\n\n')]))
    const created = source({fetch, reconnectionTime: 10, reconnect: retry({maxRetries: 1})})
    const seen = errorsOf(created)
    await settle()
    for (let i = 0; i < 6; i++) await expectNextAttemptAfter(calls, 10)
    expect(seen).toHaveLength(7)
    expect(seen.every((event) => event.willReconnect && event.error === undefined)).toBe(true)
    expect(created.readyState).toBe(EventSource.CONNECTING)
  })

  it('of 0 never reconnects, not even after a stream that opened and ended', async () => {
    const failed = fakeFetch(failing)
    const first = source({fetch: failed.fetch, reconnect: retry({maxRetries: 0})})
    const firstSeen = errorsOf(first)
    const opened = fakeFetch(() => streamResponse([bytesOf('data: x\n\n')]))
    const second = source({fetch: opened.fetch, reconnect: retry({maxRetries: 0})})
    const secondSeen = errorsOf(second)
    await settle()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(firstSeen.map(({error, willReconnect, readyState}) => [error?.name, willReconnect, readyState])).toEqual([['NetworkError', false, EventSource.CLOSED]])
    expect(secondSeen.map(({error, willReconnect, readyState}) => [error?.name, willReconnect, readyState])).toEqual([[undefined, false, EventSource.CLOSED]])
    expect([failed.calls.length, opened.calls.length]).toEqual([1, 1])
  })

  it('applies to retryOnStatus reconnections too', async () => {
    const {fetch, calls} = fakeFetch(status(503))
    const seen = errorsOf(source({fetch, reconnectionTime: 10, reconnect: retry({maxRetries: 1, retryOnStatus: [503]})}))
    await settle()
    await vi.advanceTimersByTimeAsync(100)
    expect(calls).toHaveLength(2)
    expect(seen.map(({error, willReconnect}) => [(error as HttpError).status, willReconnect])).toEqual([
      [503, true],
      [503, false],
    ])
  })
})
