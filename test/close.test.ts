import {afterEach, describe, expect, it, vi} from 'vitest'
import {EventSource} from '../src/index.js'
import {bytesOf, fakeFetch, next, record, startServer, streamResponse, until} from './helpers.js'

afterEach(() => {
  vi.useRealTimers()
})

const tick = () => new Promise((resolve) => setTimeout(resolve, 10))

describe('close()', () => {
  it('during CONNECTING aborts the pending fetch and fires nothing', async () => {
    let signal: AbortSignal | undefined
    const fetch = (_url: string, init: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        signal = init.signal ?? undefined
        signal?.addEventListener('abort', () => reject(signal?.reason))
      })
    const source = new EventSource('http://127.0.0.1:9/', {fetch})
    const seen = record(source, ['open', 'message', 'error'])
    await until(() => signal !== undefined)
    source.close()
    expect(source.readyState).toBe(EventSource.CLOSED)
    expect(signal?.aborted).toBe(true)
    await tick()
    expect(seen).toEqual([])
  })

  it('right after construction sends no request at all', async () => {
    const {fetch, calls} = fakeFetch(() => streamResponse([]))
    const source = new EventSource('http://127.0.0.1:9/', {fetch})
    source.close()
    await tick()
    expect(calls).toHaveLength(0)
  })

  it('while OPEN aborts the body over real HTTP and the server sees the socket close', async () => {
    let closedByClient = false
    const server = await startServer((req, res) => {
      res.writeHead(200, {'content-type': 'text/event-stream'})
      res.write('data: first\n\n')
      req.socket.on('close', () => {
        closedByClient = true
      })
    })
    try {
      const source = new EventSource(server.url)
      const seen = record(source, ['open', 'message', 'error'])
      await next(source, 'message')
      source.close()
      await until(() => closedByClient)
      expect(seen.map((event) => event.type)).toEqual(['open', 'message'])
      expect(source.readyState).toBe(EventSource.CLOSED)
    } finally {
      await server.close()
    }
  })

  it('inside a listener stops the events already parsed from the same chunk', async () => {
    const {fetch} = fakeFetch(() => streamResponse([bytesOf('data: 1\n\ndata: 2\n\nevent: x\ndata: 3\n\n')]))
    const source = new EventSource('http://127.0.0.1:9/', {fetch})
    const seen = record(source, ['open', 'message', 'x', 'error'])
    source.addEventListener('message', () => source.close())
    await next(source, 'message')
    await tick()
    expect(seen.map((event) => [event.type, event.data])).toEqual([
      ['open', undefined],
      ['message', '1'],
    ])
  })

  it('in a microtask queued by a listener still stops the next event of the chunk', async () => {
    const {fetch} = fakeFetch(() => streamResponse([bytesOf('data: 1\n\ndata: 2\n\n')]))
    const source = new EventSource('http://127.0.0.1:9/', {fetch})
    const data: string[] = []
    source.onmessage = (event) => {
      data.push(event.data)
      queueMicrotask(() => source.close())
    }
    await tick()
    expect(data).toEqual(['1'])
  })

  it('inside the open listener prevents every message', async () => {
    const {fetch} = fakeFetch(() => streamResponse([bytesOf('data: 1\n\n')]))
    const source = new EventSource('http://127.0.0.1:9/', {fetch})
    const seen = record(source, ['open', 'message', 'error'])
    source.onopen = () => source.close()
    await tick()
    expect(seen.map((event) => event.type)).toEqual(['open'])
  })

  it('during the reconnection wait cancels the wait and its timer', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
    const {fetch, calls} = fakeFetch(() => streamResponse([]))
    const source = new EventSource('http://127.0.0.1:9/', {fetch})
    const seen = record(source, ['open', 'error'])
    await vi.advanceTimersByTimeAsync(0)
    expect(vi.getTimerCount()).toBe(1)
    source.close()
    await vi.advanceTimersByTimeAsync(0)
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(calls).toHaveLength(1)
    expect(seen.map((event) => event.type)).toEqual(['open', 'error'])
  })

  it('cancels the body even when a custom fetch ignores the abort signal', async () => {
    let cancelled = false
    const endless = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytesOf('data: first\n\n'))
      },
      cancel() {
        cancelled = true
      },
    })
    const fetch = async () => new Response(endless, {headers: {'content-type': 'text/event-stream'}})
    const source = new EventSource('http://127.0.0.1:9/', {fetch})
    await next(source, 'message')
    source.close()
    await until(() => cancelled)
    expect(cancelled).toBe(true)
  })

  it('inside a listener leaves lastEventId at the last event the page saw', async () => {
    const {fetch} = fakeFetch(() => streamResponse([bytesOf('id: 1\ndata: a\n\nid: 2\ndata: b\n\nid: 3\n\n')]))
    const source = new EventSource('http://127.0.0.1:9/', {fetch})
    const seen: string[] = []
    source.onmessage = (event) => {
      seen.push(`${event.data}@${event.lastEventId}`)
      source.close()
    }
    await next(source, 'message')
    await tick()
    expect(seen).toEqual(['a@1'])
    expect(source.lastEventId).toBe('1')
  })

  it('can be called repeatedly', () => {
    const source = new EventSource('http://127.0.0.1:9/', {fetch: fakeFetch(() => streamResponse([])).fetch})
    source.close()
    source.close()
    expect(source.readyState).toBe(EventSource.CLOSED)
  })
})

describe('[non-spec] the signal option', () => {
  it('closes the source when aborted, at any state', async () => {
    const controller = new AbortController()
    const {fetch} = fakeFetch(() => streamResponse([bytesOf('data: 1\n\n')]))
    const source = new EventSource('http://127.0.0.1:9/', {fetch, signal: controller.signal, reconnectionTime: 5})
    const seen = record(source, ['open', 'message', 'error'])
    await next(source, 'error')
    controller.abort()
    expect(source.readyState).toBe(EventSource.CLOSED)
    await tick()
    expect(seen.map((event) => event.type)).toEqual(['open', 'message', 'error'])
  })

  it('that is already aborted leaves the source CLOSED without a request', async () => {
    const {fetch, calls} = fakeFetch(() => streamResponse([]))
    const source = new EventSource('http://127.0.0.1:9/', {fetch, signal: AbortSignal.abort()})
    expect(source.readyState).toBe(EventSource.CLOSED)
    await tick()
    expect(calls).toHaveLength(0)
  })
})
