// eventsource-kit/shared in Node: the channel protocol's validation, the error records, the
// fallback (Node has no tabs: an ordinary connection per source), and the protocol itself between
// sources of one process made to look like tabs (Node 24 has navigator.locks and BroadcastChannel).
import {iterate} from '../src/iterate/index.js'
import type {ServerResponse} from 'node:http'
import {afterEach, describe, expect, it} from 'vitest'
import {ContentTypeError, EventSourceError, HttpError, NetworkError} from '../src/index.js'
import {EventSource} from '../src/shared/index.js'
import {Election} from '../src/shared/election.js'
import {PROTOCOL_VERSION, readRecord, reviveError, serializeError} from '../src/shared/protocol.js'
import {next, startServer, type TestServer, until} from './helpers.js'

const servers: TestServer[] = []
const sources: EventSource[] = []
afterEach(async () => {
  for (const source of sources.splice(0)) source.close()
  for (const server of servers.splice(0)) await server.close()
})

/** A replaying feed: event n has id n; a request resumes after its Last-Event-ID. Ticks every 10 ms. */
async function feed(): Promise<TestServer & {open: () => number}> {
  let open = 0
  const streams = new Set<{res: ServerResponse; next: number}>()
  let current = 0
  const timer = setInterval(() => {
    current += 1
    for (const stream of streams) {
      let chunk = ''
      for (; stream.next <= current; stream.next++) chunk += `id: ${stream.next}\ndata: tick ${stream.next}\n\n`
      stream.res.write(chunk)
    }
  }, 10)
  const server = await startServer((req, res) => {
    const header = req.headers['last-event-id']
    const stream = {res, next: typeof header === 'string' ? Number(header) + 1 : current + 1}
    res.writeHead(200, {'content-type': 'text/event-stream'})
    res.write('retry: 10\n\n')
    streams.add(stream)
    open += 1
    res.on('close', () => {
      streams.delete(stream)
      open -= 1
    })
  })
  const withFeed = {
    ...server,
    open: () => open,
    close: async () => {
      clearInterval(timer)
      await server.close()
    },
  }
  servers.push(withFeed)
  return withFeed
}

function track<T extends EventSource>(source: T): T {
  sources.push(source)
  return source
}

function ticksOf(source: EventSource): number[] {
  const ticks: number[] = []
  source.addEventListener('message', (event) => ticks.push(Number(event.data.slice('tick '.length))))
  return ticks
}

const contiguous = (ticks: number[]): boolean => ticks.every((tick, index) => index === 0 || tick === (ticks[index - 1] ?? 0) + 1)

describe('[non-spec] shared: channel records', () => {
  const from = 'tab-a'
  const valid = [
    {v: 1, kind: 'hello', from},
    {v: 1, kind: 'ping', from},
    {v: 1, kind: 'leader', from, e: 2, base: 10, id: '10', fresh: false},
    {v: 1, kind: 'beat', from, e: 2, pos: 12, id: '12', retry: 3000, state: 1},
    {v: 1, kind: 'open', from, e: 2},
    {v: 1, kind: 'message', from, e: 2, pos: 13, type: 'message', data: 'x', id: '13', origin: 'http://127.0.0.1'},
    {v: 1, kind: 'error', from, e: 2, state: 0, delay: 3000, error: null},
    {v: 1, kind: 'error', from, e: 2, state: 2, delay: null, error: {name: 'HttpError', message: 'm', status: 401, headers: [['a', 'b']]}},
  ]

  it('accepts every well-formed version-1 record', () => {
    for (const record of valid) expect(readRecord(record)).toBe(record)
  })

  it('ignores records of another version, unknown kinds and anything that is not a record', () => {
    for (const data of [null, undefined, 'hello', 42, [], {v: 1}, {kind: 'hello', from}, {v: 0, kind: 'hello', from}, {v: 2, kind: 'hello', from}, {v: '1', kind: 'hello', from}]) {
      expect(readRecord(data)).toBeUndefined()
    }
    expect(readRecord({v: 1, kind: 'toString', from})).toBeUndefined()
    expect(readRecord({v: 1, kind: 'takeover', from, e: 1})).toBeUndefined()
    expect(readRecord({v: PROTOCOL_VERSION, kind: 'hello'})).toBeUndefined()
  })

  it('ignores records whose fields have the wrong type or range', () => {
    const broken = [
      {v: 1, kind: 'leader', from, e: -1, base: 0, id: '', fresh: false},
      {v: 1, kind: 'leader', from, e: 1, base: 0, id: '', fresh: 'no'},
      {v: 1, kind: 'beat', from, e: 1, pos: 1.5, id: '', retry: 3000, state: 1},
      {v: 1, kind: 'beat', from, e: 1, pos: 1, id: '', retry: Number.POSITIVE_INFINITY, state: 1},
      {v: 1, kind: 'beat', from, e: 1, pos: 1, id: '', retry: 3000, state: 3},
      {v: 1, kind: 'open', from},
      {v: 1, kind: 'message', from, e: 1, pos: 1, type: 'message', data: 42, id: '', origin: ''},
      {v: 1, kind: 'message', from, e: 1, pos: 1, type: 'message', data: 'x', origin: ''},
      {v: 1, kind: 'error', from, e: 1, state: 1, delay: 0, error: null},
      {v: 1, kind: 'error', from, e: 1, state: 0, delay: -1, error: null},
      {v: 1, kind: 'error', from, e: 1, state: 2, delay: null, error: {name: 'HttpError'}},
      {v: 1, kind: 'error', from, e: 1, state: 2, delay: null, error: {name: 'E', message: 'm', headers: [['a']]}},
      {v: 1, kind: 'error', from, e: 1, state: 2, delay: null, error: {name: 'E', message: 'm', extra: {nested: true}}},
      {v: 1, kind: 'error', from, e: 1, state: 2, delay: null, error: {name: 'E', message: 'm', cause: {name: 1, message: 'x'}}},
    ]
    for (const record of broken) expect(readRecord(record), JSON.stringify(record)).toBeUndefined()
  })

  it('carries an HttpError across with its class, status, headers, body and message', () => {
    const response = new Response(null, {status: 401, statusText: 'Unauthorized', headers: {'www-authenticate': 'Bearer'}})
    const error = new HttpError(response, 'http://127.0.0.1/stream', 'log in first')
    const record = serializeError(error)
    // It survives structured cloning (what BroadcastChannel does) and passes validation.
    const cloned = structuredClone(record)
    expect(readRecord({v: 1, kind: 'error', from, e: 1, state: 2, delay: null, error: cloned})).toBeDefined()
    const revived = reviveError(cloned) as HttpError
    expect(revived).toBeInstanceOf(HttpError)
    expect(revived).toBeInstanceOf(EventSourceError)
    expect(revived).toBeInstanceOf(Error)
    expect(revived).toMatchObject({name: 'HttpError', message: error.message, status: 401, statusText: 'Unauthorized', body: 'log in first'})
    expect(revived.headers.get('www-authenticate')).toBe('Bearer')
  })

  it('carries the other error classes across, a cause as its name and message', () => {
    const network = reviveError(structuredClone(serializeError(new NetworkError('http://127.0.0.1/', new TypeError('fetch failed')))))
    expect(network).toBeInstanceOf(NetworkError)
    expect((network?.cause as Error).message).toBe('fetch failed')
    expect((network?.cause as Error).name).toBe('TypeError')
    const type = reviveError(structuredClone(serializeError(new ContentTypeError('text/html', 'http://127.0.0.1/'))))
    expect(type).toBeInstanceOf(ContentTypeError)
    expect((type as ContentTypeError).contentType).toBe('text/html')
    const unknown = reviveError({name: 'FutureError', message: 'from a newer version'})
    expect(unknown).toBeInstanceOf(EventSourceError)
    expect(unknown).toMatchObject({name: 'FutureError', message: 'from a newer version'})
    expect(reviveError(null)).toBeUndefined()
  })
})

describe('[non-spec] shared: the constructor', () => {
  it('throws a TypeError naming "method" for anything but GET', () => {
    for (const method of ['POST', 'put', 'DELETE']) {
      expect(() => new EventSource('http://127.0.0.1:9/', {method, body: 'x'})).toThrow(/"method"/)
      expect(() => new EventSource('http://127.0.0.1:9/', {method, body: 'x'})).toThrow(TypeError)
    }
    expect(() => track(new EventSource('http://127.0.0.1:9/', {method: 'get', signal: AbortSignal.abort()}))).not.toThrow()
  })

  it('validates the URL and the other options as the main entry does', () => {
    expect(() => new EventSource('http://[bad')).toThrow(expect.objectContaining({name: 'SyntaxError'}) as Error)
    expect(() => new EventSource('http://127.0.0.1:9/', {reconnectionTime: -1})).toThrow(/"reconnectionTime"/)
    expect(() => new EventSource('http://127.0.0.1:9/', {channel: ''})).toThrow(/"channel"/)
    expect(() => new EventSource('http://127.0.0.1:9/', 'options' as never)).toThrow(TypeError)
    expect(() => new (EventSource as unknown as new () => EventSource)()).toThrow(TypeError)
    track(new EventSource('http://127.0.0.1:9/', null as never)).close()
    expect(() => new EventSource('http://127.0.0.1:9/', {channel: 42 as unknown as string})).toThrow(/"channel"/)
  })
})

describe('[non-spec] shared: the fallback in Node (no tabs: an ordinary connection)', () => {
  it('is not shared, leads its own connection and dispatches like the main entry', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, {'content-type': 'text/event-stream'})
      res.write('id: 1\ndata: one\n\nevent: named\nid: 2\ndata: two\n\n')
    })
    servers.push(server)
    const source = track(new EventSource<'named'>(server.url))
    expect(source.isShared).toBe(false)
    expect(source.isLeader).toBe(true)
    expect(source.readyState).toBe(EventSource.CONNECTING)
    expect(Object.prototype.toString.call(source)).toBe('[object EventSource]')
    const events: Array<[string, string, string, string]> = []
    const opened = next(source, 'open')
    source.onmessage = (event) => events.push([event.type, event.data, event.lastEventId, event.origin])
    source.addEventListener('named', (event) => events.push([event.type, event.data, event.lastEventId, event.origin]))
    await opened
    expect(source.readyState).toBe(EventSource.OPEN)
    await until(() => events.length === 2)
    expect(events).toEqual([
      ['message', 'one', '1', server.origin],
      ['named', 'two', '2', server.origin],
    ])
    expect(source.lastEventId).toBe('2')
    source.close()
    expect(source.readyState).toBe(EventSource.CLOSED)
    expect(source.isLeader).toBe(false)
  })

  it('fails with the HttpError of the response, and for await ends with it', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(503, {'content-type': 'text/plain'})
      res.end('busy')
    })
    servers.push(server)
    const source = track(new EventSource(server.url))
    const failure = next(source, 'error')
    await expect(
      (async () => {
        for await (const event of iterate(source)) void event
      })(),
    ).rejects.toBeInstanceOf(HttpError)
    const event = (await failure) as Event & {error?: HttpError; willReconnect: boolean}
    expect(event.error).toMatchObject({status: 503, body: 'busy'})
    expect(event.willReconnect).toBe(false)
    expect(source.readyState).toBe(EventSource.CLOSED)
  })

  it('close() ends the request and an aborted signal closes it', async () => {
    const server = await feed()
    const source = track(new EventSource(server.url))
    await next(source, 'open')
    expect(server.open()).toBe(1)
    source.close()
    await until(() => server.open() === 0)
    const controller = new AbortController()
    const other = track(new EventSource(server.url, {signal: controller.signal}))
    controller.abort()
    expect(other.readyState).toBe(EventSource.CLOSED)
  })
})

describe('[non-spec] shared: the election', () => {
  it('pause() (a frozen page) releases a held lock at once and join() queues again, behind the new holder', async () => {
    const name = `eventsource-kit-test:${crypto.randomUUID()}`
    const seen: string[] = []
    const host = (tab: string) => ({elected: () => seen.push(`${tab} leads`), deposed: () => seen.push(`${tab} deposed`)})
    const a = new Election(navigator.locks, name, host('a'))
    const b = new Election(navigator.locks, name, host('b'))
    a.join()
    await until(() => seen.length === 1)
    b.join()
    a.pause()
    await until(() => seen.length === 2)
    a.join()
    b.leave()
    await until(() => seen.length === 3)
    a.leave()
    expect(seen).toEqual(['a leads', 'b leads', 'a leads'])
    const locks = async () => {
      const {held = [], pending = []} = await navigator.locks.query()
      return [...held, ...pending].filter((lock) => lock.name === name).length
    }
    await expect.poll(locks).toBe(0)
  })
})

describe('[non-spec] shared: tabs of one process (a window faked on globalThis)', () => {
  const scope = globalThis as {document?: unknown; isSecureContext?: unknown}
  const fakeWindow = (): void => {
    scope.document = {}
    scope.isSecureContext = true
  }
  afterEach(() => {
    delete scope.document
    delete scope.isSecureContext
  })

  it('shares one request between sources of a channel, each sees every event once, in order', async () => {
    fakeWindow()
    const server = await feed()
    const a = track(new EventSource(server.url))
    await until(() => a.isLeader)
    const b = track(new EventSource(server.url))
    const c = track(new EventSource(server.url))
    expect([a.isShared, b.isShared, c.isShared]).toEqual([true, true, true])
    const ticks = [a, b, c].map(ticksOf)
    await until(() => ticks.every((list) => list.length > 20))
    expect([a.isLeader, b.isLeader, c.isLeader]).toEqual([true, false, false])
    expect(server.requests).toHaveLength(1)
    expect(server.open()).toBe(1)
    for (const list of ticks) expect(contiguous(list)).toBe(true)
    expect([b.readyState, c.readyState]).toEqual([EventSource.OPEN, EventSource.OPEN])
  })

  it('hands over when the leader closes: the next source resumes after the newest id, without a gap or a repeat', async () => {
    fakeWindow()
    const server = await feed()
    const a = track(new EventSource(server.url))
    await until(() => a.isLeader)
    const b = track(new EventSource(server.url))
    const changes: boolean[] = []
    b.addEventListener('leaderchange', () => changes.push(b.isLeader))
    const ticks = ticksOf(b)
    await until(() => ticks.length > 10)
    a.close()
    await until(() => b.isLeader)
    const count = ticks.length
    await until(() => ticks.length > count + 10)
    expect(changes).toEqual([true])
    expect(contiguous(ticks)).toBe(true)
    expect(server.requests).toHaveLength(2)
    expect(Number(server.requests[1]?.headers['last-event-id'])).toBeGreaterThanOrEqual(ticks[0] ?? 0)
    await until(() => server.open() === 1)
    b.close()
    await until(() => server.open() === 0)
  })

  it('ignores malformed and old-version records posted on its channel', async () => {
    fakeWindow()
    const server = await feed()
    const a = track(new EventSource(server.url, {channel: 'feed'}))
    const b = track(new EventSource(server.url, {channel: 'feed'}))
    const ticks = ticksOf(b)
    await until(() => ticks.length > 5)
    const intruder = new BroadcastChannel('eventsource-kit:v1:feed')
    for (const data of [
      'garbage',
      {v: 0, kind: 'message', from: 'x', e: 99, pos: 1, type: 'message', data: 'tick 0', id: '0', origin: ''},
      {v: 1, kind: 'message', from: 'x', e: 99, pos: 'one', type: 'message', data: 'tick 0', id: '0', origin: ''},
      {v: 1, kind: 'error', from: 'x', e: 99, state: 2, delay: null, error: {name: 'E'}},
      {v: 1, kind: 'leader', from: 'x', e: 99, base: 0, id: '', fresh: 'yes'},
    ]) {
      intruder.postMessage(data)
    }
    const count = ticks.length
    await until(() => ticks.length > count + 10)
    intruder.close()
    expect(contiguous(ticks)).toBe(true)
    expect([a.readyState, b.readyState]).toEqual([EventSource.OPEN, EventSource.OPEN])
    expect(a.isLeader !== b.isLeader).toBe(true)
  })

  it("relays the leader's failure: every source closes with the same HttpError", async () => {
    fakeWindow()
    const server = await startServer((_req, res) => {
      res.writeHead(401, {'content-type': 'text/plain', 'x-reason': 'token'})
      res.end('log in')
    })
    servers.push(server)
    const a = track(new EventSource(server.url))
    const b = track(new EventSource(server.url))
    const [ea, eb] = (await Promise.all([next(a, 'error'), next(b, 'error')])) as Array<Event & {error?: HttpError}>
    for (const error of [ea?.error, eb?.error]) {
      expect(error).toBeInstanceOf(HttpError)
      expect(error).toMatchObject({status: 401, body: 'log in'})
      expect(error?.headers.get('x-reason')).toBe('token')
    }
    expect(ea?.error?.message).toBe(eb?.error?.message)
    expect([a.readyState, b.readyState]).toEqual([EventSource.CLOSED, EventSource.CLOSED])
    expect(server.requests).toHaveLength(1)
  })
})
