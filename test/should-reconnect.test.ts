import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'
import {EventSource, type EventSourceError, type EventSourceInit, HttpError} from '../src/index.js'
import {bytesOf, fakeFetch, streamResponse, until} from './helpers.js'
import {FAKE_URL, source, errorsOf, delaysOf, failing, ended, staysOpen, status, settle, expectNextAttemptAfter} from './resilience-helpers.js'

describe('[non-spec] shouldReconnect', () => {
  beforeEach(() => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
  })

  it('receives the error and the attempt number, which starts over after an open', async () => {
    const args: Array<[string | undefined, number]> = []
    const {fetch} = fakeFetch(failing, failing, ended, failing, staysOpen)
    source({
      fetch,
      reconnectionTime: 10,
      shouldReconnect: (error, attempt) => {
        args.push([error?.name, attempt])
        return true
      },
    })
    await settle()
    await vi.advanceTimersByTimeAsync(100)
    expect(args).toEqual([
      ['NetworkError', 1],
      ['NetworkError', 2],
      [undefined, 1],
      ['NetworkError', 2],
    ])
  })

  it('stops the source when it returns false, even for an error that would reconnect', async () => {
    const {fetch, calls} = fakeFetch(() => streamResponse([bytesOf('data: x\n\n')]))
    const created = source({fetch, reconnectionTime: 10, shouldReconnect: () => false})
    const seen = errorsOf(created)
    await settle()
    await vi.advanceTimersByTimeAsync(1000)
    expect(seen).toEqual([{error: undefined, willReconnect: false, reconnectDelay: null, readyState: EventSource.CLOSED}])
    expect(calls).toHaveLength(1)
    expect(created.readyState).toBe(EventSource.CLOSED)
  })

  it('sets the delay when it returns a number, over backoff and Retry-After', async () => {
    const {fetch, calls} = fakeFetch(failing, status(503, {'retry-after': '60'}), failing, staysOpen)
    const delays = [250, 0, 1234]
    const seen = errorsOf(source({fetch, backoff: true, retryOnStatus: [503], shouldReconnect: (_error, attempt) => delays[attempt - 1] ?? false}))
    await settle()
    await expectNextAttemptAfter(calls, 250)
    await expectNextAttemptAfter(calls, 0)
    await expectNextAttemptAfter(calls, 1234)
    expect(delaysOf(seen)).toEqual([250, 0, 1234])
  })

  it('reconnects with the computed delay after a fatal 401 when it returns true', async () => {
    const {fetch, calls} = fakeFetch(status(401), () => streamResponse([bytesOf('data: in\n\n')]))
    const created = source({fetch, reconnectionTime: 300, shouldReconnect: (error) => error instanceof HttpError && error.status === 401})
    const seen = errorsOf(created)
    const data: string[] = []
    created.onmessage = (event) => data.push(event.data)
    await settle()
    expect(seen.map(({error, willReconnect, reconnectDelay, readyState}) => [(error as HttpError).status, willReconnect, reconnectDelay, readyState])).toEqual([
      [401, true, 300, EventSource.CONNECTING],
    ])
    await expectNextAttemptAfter(calls, 300)
    expect(data).toEqual(['in'])
  })

  it('reconnects past maxRetries when it returns true', async () => {
    const {fetch, calls} = fakeFetch(failing)
    const created = source({fetch, reconnectionTime: 10, maxRetries: 1, shouldReconnect: () => true})
    const seen = errorsOf(created)
    await settle()
    for (let i = 0; i < 5; i++) await expectNextAttemptAfter(calls, 10)
    expect(seen.map((event) => event.willReconnect)).toEqual([true, true, true, true, true, true])
    expect(created.readyState).toBe(EventSource.CONNECTING)
  })

  it('is consulted for a failed connection that it lets stay failed', async () => {
    const consulted: string[] = []
    const {fetch} = fakeFetch(() => new Response('x', {headers: {'content-type': 'text/plain'}}))
    const created = source({
      fetch,
      shouldReconnect: (error) => {
        consulted.push(error?.name ?? 'none')
        return false
      },
    })
    const seen = errorsOf(created)
    await settle()
    expect(consulted).toEqual(['ContentTypeError'])
    expect(seen.map(({error, willReconnect}) => [error?.name, willReconnect])).toEqual([['ContentTypeError', false]])
  })
})

describe('[non-spec] a shouldReconnect that misbehaves', () => {
  // Reported as uncaught exceptions in Node (there is no reportError): capture them here.
  const reported: unknown[] = []
  const onUncaught = (error: unknown) => reported.push(error)
  let saved: NodeJS.UncaughtExceptionListener[] = []
  beforeEach(() => {
    saved = process.listeners('uncaughtException')
    process.removeAllListeners('uncaughtException')
    process.on('uncaughtException', onUncaught)
  })
  afterEach(() => {
    process.removeListener('uncaughtException', onUncaught)
    for (const listener of saved) process.on('uncaughtException', listener)
    reported.length = 0
  })

  it('is reported when it throws, and the default decision stands', async () => {
    const {fetch, calls} = fakeFetch(failing)
    const created = source({
      fetch,
      reconnectionTime: 5,
      maxRetries: 1,
      shouldReconnect: (_error, attempt) => {
        throw new Error(`broken ${attempt}`)
      },
    })
    const seen = errorsOf(created)
    await until(() => seen.length >= 2 && reported.length >= 2)
    expect(seen.map(({willReconnect, reconnectDelay, readyState}) => [willReconnect, reconnectDelay, readyState])).toEqual([
      [true, 5, EventSource.CONNECTING],
      [false, null, EventSource.CLOSED],
    ])
    expect(reported.map((error) => (error as Error).message)).toEqual(['broken 1', 'broken 2'])
    expect(calls).toHaveLength(2)
  })

  it.for([-1, Number.NaN, Number.POSITIVE_INFINITY, 'soon', null])('is reported as a TypeError when it returns %s, and the default decision stands', async (verdict) => {
    const {fetch} = fakeFetch(failing, staysOpen)
    const created = source({fetch, reconnectionTime: 5, shouldReconnect: () => verdict as unknown as boolean})
    const seen = errorsOf(created)
    await until(() => created.readyState === EventSource.OPEN && reported.length >= 1)
    expect(delaysOf(seen)).toEqual([5])
    expect(reported).toHaveLength(1)
    expect(reported[0]).toBeInstanceOf(TypeError)
    expect((reported[0] as Error).message).toContain('shouldReconnect must return')
  })
})

describe('[non-spec] a shouldReconnect that returns undefined', () => {
  const reported: unknown[] = []
  const onUncaught = (error: unknown) => reported.push(error)
  let saved: NodeJS.UncaughtExceptionListener[] = []
  beforeEach(() => {
    saved = process.listeners('uncaughtException')
    process.removeAllListeners('uncaughtException')
    process.on('uncaughtException', onUncaught)
  })
  afterEach(() => {
    process.removeListener('uncaughtException', onUncaught)
    for (const listener of saved) process.on('uncaughtException', listener)
    reported.length = 0
  })

  it('keeps the default decision without reporting anything', async () => {
    const consulted: Array<string | undefined> = []
    const keepDefault = (error: EventSourceError | undefined) => void consulted.push(error?.name)
    const retrying = source({fetch: fakeFetch(failing, failing, staysOpen).fetch, reconnectionTime: 5, maxRetries: 1, shouldReconnect: keepDefault})
    const retried = errorsOf(retrying)
    const failed = errorsOf(source({fetch: fakeFetch(status(401)).fetch, reconnectionTime: 5, shouldReconnect: keepDefault}))
    await until(() => retried.length >= 2 && failed.length >= 1)
    // Let a report (a zero-delay timer) surface, if one was made.
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(retried.map(({willReconnect, reconnectDelay}) => [willReconnect, reconnectDelay])).toEqual([
      [true, 5],
      [false, null],
    ])
    expect(failed.map(({willReconnect, readyState}) => [willReconnect, readyState])).toEqual([[false, EventSource.CLOSED]])
    expect(consulted.sort()).toEqual(['HttpError', 'NetworkError', 'NetworkError'])
    expect(reported).toEqual([])
  })
})

describe('[non-spec] validating the reconnection options', () => {
  const construct = (init: Record<string, unknown>) => {
    const created = new EventSource(FAKE_URL, {fetch: fakeFetch(staysOpen).fetch, ...init} as EventSourceInit)
    created.close()
    return created
  }

  it.for([
    ['backoff', '"yes"', 'yes'],
    ['backoff', '2', 2],
    ['backoff', 'null', null],
    ['backoff.factor', '{factor: 0.5}', {factor: 0.5}],
    ['backoff.factor', '{factor: Infinity}', {factor: Number.POSITIVE_INFINITY}],
    ['backoff.factor', '{factor: "2"}', {factor: '2'}],
    ['backoff.maxDelay', '{maxDelay: -1}', {maxDelay: -1}],
    ['backoff.maxDelay', '{maxDelay: NaN}', {maxDelay: Number.NaN}],
    ['backoff.jitter', '{jitter: "full"}', {jitter: 'full'}],
  ] as const)('throws a TypeError naming "%s" for backoff %s', ([name, , backoff]) => {
    expect(() => construct({backoff})).toThrow(TypeError)
    expect(() => construct({backoff})).toThrow(`option "${name}"`)
  })

  it.for([
    ['-1', -1],
    ['1.5', 1.5],
    ['NaN', Number.NaN],
    ['"3"', '3'],
    ['null', null],
  ] as const)('throws a TypeError naming "maxRetries" for %s', ([, maxRetries]) => {
    expect(() => construct({maxRetries})).toThrow(TypeError)
    expect(() => construct({maxRetries})).toThrow('option "maxRetries"')
  })

  it.for([
    ['true', true],
    ['503', 503],
    ['"503"', '503'],
    ['[99]', [99]],
    ['[600]', [600]],
    ['[503.5]', [503.5]],
    ['["503"]', ['503']],
    ['null', null],
  ] as const)('throws a TypeError naming "retryOnStatus" for %s', ([, retryOnStatus]) => {
    expect(() => construct({retryOnStatus})).toThrow(TypeError)
    expect(() => construct({retryOnStatus})).toThrow('option "retryOnStatus"')
  })

  it.for([
    ['true', true],
    ['1000', 1000],
    ['"never"', 'never'],
    ['null', null],
  ] as const)('throws a TypeError naming "shouldReconnect" for %s', ([, shouldReconnect]) => {
    expect(() => construct({shouldReconnect})).toThrow(TypeError)
    expect(() => construct({shouldReconnect})).toThrow('option "shouldReconnect"')
  })

  it('accepts the edge values', () => {
    const edges: Array<Record<string, unknown>> = [
      {backoff: false},
      {backoff: true},
      {backoff: {}},
      {backoff: {factor: 1, maxDelay: 0, jitter: false}},
      {backoff: undefined, maxRetries: undefined, retryOnStatus: undefined, shouldReconnect: undefined},
      {maxRetries: 0},
      {maxRetries: Number.POSITIVE_INFINITY},
      {retryOnStatus: false},
      {retryOnStatus: []},
      {retryOnStatus: [100, 599]},
      {shouldReconnect: () => true},
    ]
    for (const init of edges) expect(construct(init).readyState).toBe(EventSource.CLOSED)
  })
})
