import {backoff, parseRetryAfter, retry} from '../src/reconnect/index.js'
import {beforeEach, describe, expect, it, vi} from 'vitest'
import {EventSource, HttpError} from '../src/index.js'
import {bytesOf, fakeFetch, streamResponse, until} from './helpers.js'
import {source, faultServer, errorsOf, delaysOf, staysOpen, status, settle, expectNextAttemptAfter} from './resilience-helpers.js'

describe('[non-spec] retryOnStatus', () => {
  beforeEach(() => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
  })

  it('reconnects on a listed status with the HttpError on the event, in CONNECTING', async () => {
    const {fetch, calls} = fakeFetch(status(503), () => streamResponse([bytesOf('data: back\n\n')]))
    const created = source({fetch, reconnectionTime: 700, reconnect: retry({retryOnStatus: [502, 503]})})
    const seen = errorsOf(created)
    const data: string[] = []
    created.onmessage = (event) => data.push(event.data)
    await settle()
    expect(seen).toHaveLength(1)
    expect(seen[0]?.error).toBeInstanceOf(HttpError)
    expect((seen[0]?.error as HttpError).status).toBe(503)
    expect([seen[0]?.willReconnect, seen[0]?.reconnectDelay, seen[0]?.readyState]).toEqual([true, 700, EventSource.CONNECTING])
    await expectNextAttemptAfter(calls, 700)
    expect(data).toEqual(['back'])
  })

  it('still fails the connection for a status that is not listed', async () => {
    const {fetch, calls} = fakeFetch(status(500))
    const created = source({fetch, reconnectionTime: 10, reconnect: retry({retryOnStatus: [503]})})
    const seen = errorsOf(created)
    await settle()
    await vi.advanceTimersByTimeAsync(1000)
    expect(seen.map(({error, willReconnect, readyState}) => [(error as HttpError).status, willReconnect, readyState])).toEqual([[500, false, EventSource.CLOSED]])
    expect(calls).toHaveLength(1)
  })

  it('waits the Retry-After delay-seconds instead of the computed delay', async () => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.5)
    const {fetch, calls} = fakeFetch(status(429, {'retry-after': '7'}), staysOpen)
    const seen = errorsOf(source({fetch, reconnectionTime: 100, reconnect: backoff({retryOnStatus: [429]})}))
    await settle()
    expect(delaysOf(seen)).toEqual([7000])
    await expectNextAttemptAfter(calls, 7000)
    expect(random).not.toHaveBeenCalled()
  })

  it('waits until a Retry-After HTTP-date', async () => {
    const now = Date.UTC(2030, 0, 1, 12, 0, 0)
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'Date'], now})
    const {fetch, calls} = fakeFetch(status(503, {'retry-after': new Date(now + 20_000).toUTCString()}), status(503, {'retry-after': new Date(now - 60_000).toUTCString()}), staysOpen)
    const seen = errorsOf(source({fetch, reconnectionTime: 100, reconnect: retry({retryOnStatus: [503]})}))
    await settle()
    expect(delaysOf(seen)).toEqual([20_000])
    await expectNextAttemptAfter(calls, 20_000)
    // A date in the past: reconnect at once.
    expect(delaysOf(seen)).toEqual([20_000, 0])
    await expectNextAttemptAfter(calls, 0)
  })

  it('falls back to the computed delay without a Retry-After or with an unreadable one', async () => {
    const {fetch, calls} = fakeFetch(status(503), status(503, {'retry-after': 'soon'}), staysOpen)
    const seen = errorsOf(source({fetch, reconnectionTime: 100, reconnect: backoff({jitter: false, retryOnStatus: [503]})}))
    await settle()
    await expectNextAttemptAfter(calls, 100)
    await expectNextAttemptAfter(calls, 200)
    expect(delaysOf(seen)).toEqual([100, 200])
  })

  // Bug: Date.parse in V8 reads such strings as dates in 2001, so they become a wait of 0 ms.
  it.for(['-1', '1.5', '+5'])('ignores a Retry-After of %s, which is neither delay-seconds nor an HTTP-date', async (value) => {
    const {fetch, calls} = fakeFetch(status(503, {'retry-after': value}), staysOpen)
    const seen = errorsOf(source({fetch, reconnectionTime: 300, reconnect: retry({retryOnStatus: [503]})}))
    await settle()
    expect(delaysOf(seen)).toEqual([300])
    await expectNextAttemptAfter(calls, 300)
  })

  it('clamps a huge Retry-After to the longest timer instead of reconnecting at once', async () => {
    const {fetch, calls} = fakeFetch(status(503, {'retry-after': '99999999999'}))
    const seen = errorsOf(source({fetch, reconnect: retry({retryOnStatus: [503]})}))
    await settle()
    expect(delaysOf(seen)).toEqual([2 ** 31 - 1])
    await vi.advanceTimersByTimeAsync(60_000)
    expect(calls).toHaveLength(1)
  })

  it('reads Retry-After as delay-seconds or any of the three HTTP-date formats', () => {
    const now = Date.UTC(1994, 10, 6, 8, 49, 0)
    expect(parseRetryAfter(null, now)).toBeUndefined()
    expect(parseRetryAfter('120', now)).toBe(120_000)
    expect(parseRetryAfter(' 3 ', now)).toBe(3000)
    expect(parseRetryAfter('0', now)).toBe(0)
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', now)).toBe(37_000)
    expect(parseRetryAfter('Sunday, 06-Nov-94 08:49:37 GMT', now)).toBe(37_000)
    expect(parseRetryAfter('Sun Nov  6 08:49:37 1994', now)).toBe(37_000)
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:48:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter('', now)).toBeUndefined()
  })
})

describe('[non-spec] retryOnStatus over HTTP', () => {
  it('reconnects after a 503 with Retry-After: 0 and a 502 without one, then reads the stream', async () => {
    const server = await faultServer(
      {kind: 'status', status: 503, headers: {'retry-after': '0', 'content-type': 'text/plain'}, body: 'busy'},
      {kind: 'status', status: 502, headers: {'content-type': 'text/plain'}, body: 'bad gateway'},
      {kind: 'sse', body: 'data: up\n\n'},
      {kind: 'open'},
    )
    const created = source({reconnectionTime: 5, reconnect: retry({retryOnStatus: [502, 503]})}, server.url)
    const seen = errorsOf(created)
    const data: string[] = []
    created.onmessage = (event) => data.push(event.data)
    await until(() => seen.length >= 3)
    expect(seen.map(({error, willReconnect, reconnectDelay, readyState}) => [(error as HttpError | undefined)?.status, willReconnect, reconnectDelay, readyState])).toEqual([
      [503, true, 0, EventSource.CONNECTING],
      [502, true, 5, EventSource.CONNECTING],
      [undefined, true, 5, EventSource.CONNECTING],
    ])
    expect((seen[0]?.error as HttpError).body).toBe('busy')
    expect((seen[1]?.error as HttpError).body).toBe('bad gateway')
    expect(data).toEqual(['up'])
  })
})
