import {afterEach, describe, expect, it, vi} from 'vitest'
import {EventSource} from '../../src/index.js'
import {parseEventStream} from '../../src/parse/index.js'
import {eventStream, type EventStreamSource} from '../../src/server/index.js'

const decoder = new TextDecoder()

/** Reads the whole body as text. */
const textOf = (response: Response): Promise<string> => response.text()

/** Lets every pending promise job and timer callback of this turn run (real timers). */
const settle = async (turns = 20): Promise<void> => {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setTimeout(resolve, 0))
}

afterEach(() => {
  vi.useRealTimers()
})

describe('[non-spec] eventStream', () => {
  it('answers 200 with the event-stream headers and no Connection header', () => {
    const response = eventStream([], {heartbeatMs: 0})
    expect(response.status).toBe(200)
    expect(Object.fromEntries(response.headers)).toEqual({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    })
    expect(response.headers.has('connection')).toBe(false)
  })

  it('adds the headers and status of init, which may replace the defaults', () => {
    const response = eventStream([], {heartbeatMs: 0, status: 201, headers: {'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store'}})
    expect(response.status).toBe(201)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('cache-control')).toBe('no-store')
  })

  it('formats events and strings (a string is the data of a message), then ends', async () => {
    const text = await textOf(eventStream(['hi\nthere', {event: 'done', id: '3', data: ''}, {}], {heartbeatMs: 0}))
    expect(text).toBe('data: hi\ndata: there\n\nevent: done\nid: 3\ndata:\n\n')
  })

  it('reads from an async generator, and sends an initial retry first when asked', async () => {
    const events = parseEventStream(
      eventStream(
        (async function* () {
          yield {id: '1', data: 'a'}
          yield 'b'
        })(),
        {retry: 2500, heartbeatMs: 0},
      ),
    )
    const seen = []
    for await (const event of events) seen.push([event.data, event.lastEventId])
    expect(seen).toEqual([
      ['a', '1'],
      ['b', '1'],
    ])
    expect(events.reconnectionTime).toBe(2500)
  })

  it("hands the request's Last-Event-ID to a generator function, '' when it sent none", async () => {
    const seen: string[] = []
    const source: EventStreamSource = function* ({lastEventId}) {
      seen.push(lastEventId)
      yield `after ${lastEventId}`
    }
    expect(await textOf(eventStream(source, {heartbeatMs: 0, request: new Request('http://127.0.0.1/', {headers: {'Last-Event-ID': '41'}})}))).toBe('data: after 41\n\n')
    await textOf(eventStream(source, {heartbeatMs: 0, request: new Request('http://127.0.0.1/')}))
    await textOf(eventStream(source, {heartbeatMs: 0}))
    expect(seen).toEqual(['41', '', ''])
  })

  it('asks the generator for an event only when the reader wants bytes (a slow reader keeps it paused)', async () => {
    let produced = 0
    const body = eventStream(
      (async function* () {
        for (;;) {
          produced++
          yield {data: 'x'.repeat(1024)}
        }
      })(),
      {heartbeatMs: 0},
    ).body
    const reader = body!.getReader()
    await settle()
    expect(produced).toBe(0)
    for (let i = 0; i < 3; i++) await reader.read()
    await settle()
    // The reader took 3 events; nothing was made ahead of it (no read-ahead at all).
    expect(produced).toBe(3)
    await reader.cancel()
  })

  it("cancelling the body (the client went away) runs the generator's finally and aborts its signal", async () => {
    const log: string[] = []
    let signal: AbortSignal | undefined
    const body = eventStream(
      async function* (context) {
        signal = context.signal
        try {
          yield 'first'
          // Waits forever unless the signal is aborted.
          await new Promise((resolve) => context.signal.addEventListener('abort', resolve))
          log.push('woken')
          yield 'never read'
        } finally {
          log.push('finally')
        }
      },
      {heartbeatMs: 0},
    ).body!
    const reader = body.getReader()
    expect(decoder.decode((await reader.read()).value)).toBe('data: first\n\n')
    const pending = reader.read()
    await settle()
    await reader.cancel(new Error('client left'))
    expect(await pending).toEqual({done: true, value: undefined})
    expect(signal?.aborted).toBe(true)
    expect(log).toEqual(['woken', 'finally'])
  })

  it('sends a heartbeat comment while the generator waits, and leaves no timer after a cancel', async () => {
    vi.useFakeTimers()
    let release: (() => void) | undefined
    let isFinallyRun = false
    const body = eventStream(
      async function* () {
        try {
          await new Promise<void>((resolve) => (release = resolve))
          yield 'late'
        } finally {
          isFinallyRun = true
        }
      },
      {heartbeatMs: 1000},
    ).body!
    expect(vi.getTimerCount()).toBe(1)
    const reader = body.getReader()
    const first = reader.read()
    await vi.advanceTimersByTimeAsync(1000)
    expect(decoder.decode((await first).value)).toBe(':\n\n')
    const second = reader.read()
    await vi.advanceTimersByTimeAsync(1000)
    expect(decoder.decode((await second).value)).toBe(':\n\n')
    // Nobody reads now: at most one heartbeat waits in the queue, however long it takes.
    await vi.advanceTimersByTimeAsync(10_000)
    release?.()
    const cancelled = reader.cancel()
    await vi.advanceTimersByTimeAsync(0)
    await cancelled
    expect(isFinallyRun).toBe(true)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('keeps at most one heartbeat queued for a reader that stopped reading', async () => {
    vi.useFakeTimers()
    const body = eventStream(
      (async function* () {
        // No event ever comes.
        await new Promise(() => {})
        yield 'never'
      })(),
      {heartbeatMs: 100},
    ).body!
    const reader = body.getReader()
    // One read asks for bytes; then the reader stops.
    const first = reader.read()
    await vi.advanceTimersByTimeAsync(5_000)
    expect(decoder.decode((await first).value)).toBe(':\n\n')
    await vi.advanceTimersByTimeAsync(5_000)
    // What waited in the queue: reads resolve at once for queued chunks only (no timer runs at 0 ms).
    let resolved = 0
    const reads = [reader.read(), reader.read(), reader.read()].map((read) => read.then((result) => (resolved++, result)))
    await vi.advanceTimersByTimeAsync(0)
    expect(resolved).toBe(1)
    expect(decoder.decode((await reads[0])!.value)).toBe(':\n\n')
    void reader.cancel()
    await vi.advanceTimersByTimeAsync(0)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('clears the heartbeat when the events end', async () => {
    vi.useFakeTimers()
    const response = eventStream(['a'], {heartbeatMs: 1000})
    expect(vi.getTimerCount()).toBe(1)
    expect(await response.text()).toBe('data: a\n\n')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('errors the body with what the generator throws, and with the TypeError of an event the format cannot carry', async () => {
    const failure = new Error('database is down')
    await expect(
      textOf(
        eventStream(
          (async function* () {
            yield 'a'
            throw failure
          })(),
          {heartbeatMs: 0},
        ),
      ),
    ).rejects.toBe(failure)
    let isFinallyRun = false
    const bad = eventStream(
      (async function* () {
        try {
          yield {id: 'a\nb', data: 'x'}
        } finally {
          isFinallyRun = true
        }
      })(),
      {heartbeatMs: 0},
    )
    await expect(textOf(bad)).rejects.toThrow(/id must not contain CR or LF/)
    expect(isFinallyRun).toBe(true)
  })

  it('throws a TypeError for events that are not iterable and for bad options', () => {
    expect(() => eventStream(42 as never)).toThrow(/the events must be an iterable/)
    expect(() => eventStream([], {retry: -5})).toThrow(/retry must be a whole number/)
    expect(() => eventStream([], {heartbeatMs: 1.5})).toThrow(/heartbeatMs must be a whole number/)
  })

  it('is read by our EventSource, which resumes with Last-Event-ID after the stream ends', async () => {
    const requests: (string | null)[] = []
    const handler = (request: Request): Response => {
      requests.push(request.headers.get('last-event-id'))
      return eventStream(
        async function* ({lastEventId}) {
          const start = Number(lastEventId) || 0
          for (let n = start + 1; n <= start + 2; n++) yield {id: String(n), data: `event ${n}`}
        },
        {request, retry: 5, heartbeatMs: 0},
      )
    }
    const source = new EventSource('http://127.0.0.1:9/stream', {fetch: async (input, init) => handler(new Request(input, init))})
    const seen: string[] = []
    await new Promise<void>((resolve) => {
      source.onmessage = (event) => {
        seen.push(`${event.lastEventId}:${event.data}`)
        if (seen.length === 4) resolve()
      }
    })
    source.close()
    expect(seen).toEqual(['1:event 1', '2:event 2', '3:event 3', '4:event 4'])
    expect(requests).toEqual([null, '2'])
  })
})
