import {afterEach, describe, expect, it} from 'vitest'
import {EventSource} from '../src/index.js'
import {record, sse, startServer, type TestServer, until} from './helpers.js'

// A stand-in for a window's document: an EventTarget with a visibilityState the test flips.
class FakeDocument extends EventTarget {
  visibilityState: 'visible' | 'hidden' = 'visible'
  set(state: 'visible' | 'hidden'): void {
    this.visibilityState = state
    this.dispatchEvent(new Event('visibilitychange'))
  }
}

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  Reflect.deleteProperty(globalThis, 'document')
})

function install(): FakeDocument {
  const document = new FakeDocument()
  Object.defineProperty(globalThis, 'document', {value: document, configurable: true})
  return document
}

async function server(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const started = await startServer(handler)
  cleanups.push(() => started.close())
  return started
}

/** A stream that stays open: one event per request, numbered by request. */
function openStream(_req: unknown, res: Parameters<typeof sse>[0], index: number): void {
  res.writeHead(200, {'content-type': 'text/event-stream'})
  res.write(`id: ${index + 1}\ndata: ${index + 1}\n\n`)
}

describe('[non-spec] pauseWhenHidden', () => {
  it('sends nothing while the page is hidden and connects when it becomes visible', async () => {
    const document = install()
    document.visibilityState = 'hidden'
    const target = await server(openStream)
    const source = new EventSource(target.url, {pauseWhenHidden: true})
    cleanups.push(() => source.close())
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(target.requests).toHaveLength(0)
    expect(source.readyState).toBe(EventSource.CONNECTING)
    document.set('visible')
    await until(() => source.readyState === EventSource.OPEN)
    expect(target.requests).toHaveLength(1)
  })

  it('drops the stream when hidden and resumes at once with Last-Event-ID when visible, without error events', async () => {
    const document = install()
    let closedSockets = 0
    const target = await server((req, res, index) => {
      req.socket.on('close', () => closedSockets++)
      openStream(req, res, index)
    })
    const source = new EventSource(target.url, {pauseWhenHidden: true})
    cleanups.push(() => source.close())
    const seen = record(source, ['open', 'message', 'error'])
    await until(() => seen.length === 2)
    document.set('hidden')
    await until(() => closedSockets === 1)
    expect(source.readyState).toBe(EventSource.CONNECTING)
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(target.requests).toHaveLength(1)
    document.set('visible')
    await until(() => seen.length === 4)
    expect(target.requests[1]?.headers['last-event-id']).toBe('1')
    expect(seen.map((event) => [event.type, event.data, event.readyState])).toEqual([
      ['open', undefined, 1],
      ['message', '1', 1],
      ['open', undefined, 1],
      ['message', '2', 1],
    ])
  })

  it('has no effect when the option is off', async () => {
    const document = install()
    const target = await server(openStream)
    const source = new EventSource(target.url)
    cleanups.push(() => source.close())
    await until(() => source.readyState === EventSource.OPEN)
    document.set('hidden')
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(source.readyState).toBe(EventSource.OPEN)
    expect(target.requests).toHaveLength(1)
  })

  it('lets close() end a source that waits for visibility', async () => {
    const document = install()
    document.visibilityState = 'hidden'
    const target = await server(openStream)
    const source = new EventSource(target.url, {pauseWhenHidden: true})
    source.close()
    document.set('visible')
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(target.requests).toHaveLength(0)
    expect(source.readyState).toBe(EventSource.CLOSED)
  })
})
