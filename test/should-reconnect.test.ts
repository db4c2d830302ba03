import {backoff, type BackoffOptions, retry, type RetryOptions} from '../src/reconnect/index.js'
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
      reconnect: retry({
        shouldReconnect: (error, attempt) => {
          args.push([error?.name, attempt])
          return true
        },
      }),
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
    const created = source({fetch, reconnectionTime: 10, reconnect: retry({shouldReconnect: () => false})})
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
    const seen = errorsOf(source({fetch, reconnect: backoff({retryOnStatus: [503], shouldReconnect: (_error, attempt) => delays[attempt - 1] ?? false})}))
    await settle()
    await expectNextAttemptAfter(calls, 250)
    await expectNextAttemptAfter(calls, 0)
    await expectNextAttemptAfter(calls, 1234)
    expect(delaysOf(seen)).toEqual([250, 0, 1234])
  })

  it('reconnects with the computed delay after a fatal 401 when it returns true', async () => {
    const {fetch, calls} = fakeFetch(status(401), () => streamResponse([bytesOf('data: in\n\n')]))
    const created = source({fetch, reconnectionTime: 300, reconnect: retry({shouldReconnect: (error) => error instanceof HttpError && error.status === 401})})
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
    const created = source({fetch, reconnectionTime: 10, reconnect: retry({maxRetries: 1, shouldReconnect: () => true})})
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
      reconnect: retry({
        shouldReconnect: (error) => {
          consulted.push(error?.name ?? 'none')
          return false
        },
      }),
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
      reconnect: retry({
        maxRetries: 1,
        shouldReconnect: (_error, attempt) => {
          throw new Error(`broken ${attempt}`)
        },
      }),
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
    const created = source({fetch, reconnectionTime: 5, reconnect: retry({shouldReconnect: () => verdict as unknown as boolean})})
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
    const retrying = source({fetch: fakeFetch(failing, failing, staysOpen).fetch, reconnectionTime: 5, reconnect: retry({maxRetries: 1, shouldReconnect: keepDefault})})
    const retried = errorsOf(retrying)
    const failed = errorsOf(source({fetch: fakeFetch(status(401)).fetch, reconnectionTime: 5, reconnect: retry({shouldReconnect: keepDefault})}))
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
    ['factor', '{factor: 0.5}', {factor: 0.5}],
    ['factor', '{factor: Infinity}', {factor: Number.POSITIVE_INFINITY}],
    ['factor', '{factor: "2"}', {factor: '2'}],
    ['maxDelay', '{maxDelay: -1}', {maxDelay: -1}],
    ['maxDelay', '{maxDelay: NaN}', {maxDelay: Number.NaN}],
    ['jitter', '{jitter: "full"}', {jitter: 'full'}],
  ] as const)('backoff() throws a TypeError naming "%s" for %s', ([name, , options]) => {
    expect(() => backoff(options as unknown as BackoffOptions)).toThrow(TypeError)
    expect(() => backoff(options as unknown as BackoffOptions)).toThrow(`option "${name}"`)
  })

  it.for([
    ['-1', -1],
    ['1.5', 1.5],
    ['NaN', Number.NaN],
    ['"3"', '3'],
    ['null', null],
  ] as const)('retry() and backoff() throw a TypeError naming "maxRetries" for %s', ([, maxRetries]) => {
    for (const policy of [retry, backoff]) expect(() => policy({maxRetries} as unknown as RetryOptions)).toThrow('option "maxRetries"')
    expect(() => retry({maxRetries} as unknown as RetryOptions)).toThrow(TypeError)
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
  ] as const)('retry() throws a TypeError naming "retryOnStatus" for %s', ([, retryOnStatus]) => {
    expect(() => retry({retryOnStatus} as unknown as RetryOptions)).toThrow(TypeError)
    expect(() => retry({retryOnStatus} as unknown as RetryOptions)).toThrow('option "retryOnStatus"')
  })

  it.for([
    ['true', true],
    ['1000', 1000],
    ['"never"', 'never'],
    ['null', null],
  ] as const)('retry() throws a TypeError naming "shouldReconnect" for %s', ([, shouldReconnect]) => {
    expect(() => retry({shouldReconnect} as unknown as RetryOptions)).toThrow(TypeError)
    expect(() => retry({shouldReconnect} as unknown as RetryOptions)).toThrow('option "shouldReconnect"')
  })

  it.for([
    ['a policy object', {}],
    ['true', true],
    ['a string', 'backoff'],
  ] as const)('the constructor throws a TypeError naming "reconnect" for %s', ([, reconnect]) => {
    expect(() => construct({reconnect})).toThrow(TypeError)
    expect(() => construct({reconnect})).toThrow('option "reconnect"')
  })

  it.for([
    ['backoff', true],
    ['maxRetries', 3],
    ['retryOnStatus', [503]],
    ['shouldReconnect', () => true],
  ] as const)('the constructor throws a TypeError pointing to eventsource-kit/reconnect for the 0.1 option "%s"', ([name, value]) => {
    expect(() => construct({[name]: value})).toThrow(TypeError)
    expect(() => construct({[name]: value})).toThrow(`option "${name}" moved to eventsource-kit/reconnect`)
  })

  it('accepts the edge values', () => {
    const edges: Array<Record<string, unknown>> = [
      {reconnect: undefined},
      {reconnect: retry()},
      {reconnect: backoff()},
      {reconnect: backoff({})},
      {reconnect: backoff({factor: 1, maxDelay: 0, jitter: false})},
      {reconnect: retry({maxRetries: undefined, retryOnStatus: undefined, shouldReconnect: undefined})},
      {reconnect: retry({maxRetries: 0})},
      {reconnect: retry({maxRetries: Number.POSITIVE_INFINITY})},
      {reconnect: retry({retryOnStatus: false})},
      {reconnect: retry({retryOnStatus: []})},
      {reconnect: retry({retryOnStatus: [100, 599]})},
      {reconnect: retry({shouldReconnect: () => true})},
    ]
    for (const init of edges) expect(construct(init).readyState).toBe(EventSource.CLOSED)
  })
})
