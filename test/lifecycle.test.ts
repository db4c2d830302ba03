import {backoff, retry} from '../src/reconnect/index.js'
import {afterEach, beforeAll, beforeEach, describe, expect, it, vi} from 'vitest'
import {EventSource, type EventSourceInit} from '../src/index.js'
import {fakeFetch} from './helpers.js'
import {FAKE_URL, failing, settle, staysOpen} from './resilience-helpers.js'

// [non-spec] The page lifecycle (src/lifecycle.ts): a frozen page, or one in the back/forward cache,
// holds no connection; it reconnects with Last-Event-ID when resumed or shown. Node's globalThis is
// neither a window nor a document: this file lends it both for all its tests (the lifecycle listens
// once per realm, from the first connection on). The real freeze runs in e2e/lifecycle.spec.ts.

class FakeDocument extends EventTarget {
  visibilityState: 'visible' | 'hidden' = 'hidden'
}

const document = new FakeDocument()
const window = new EventTarget()
const sources: EventSource[] = []

beforeAll(() => {
  Object.defineProperty(globalThis, 'document', {value: document, configurable: true})
  Object.assign(globalThis, {
    addEventListener: window.addEventListener.bind(window),
    removeEventListener: window.removeEventListener.bind(window),
    dispatchEvent: window.dispatchEvent.bind(window),
  })
  return () => {
    for (const name of ['document', 'addEventListener', 'removeEventListener', 'dispatchEvent']) Reflect.deleteProperty(globalThis, name)
  }
})
beforeEach(() => {
  vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval']})
})
afterEach(() => {
  for (const source of sources.splice(0)) source.close()
  // Every test leaves the page running.
  document.dispatchEvent(new Event('resume'))
  window.dispatchEvent(new Event('online'))
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

function source(init: EventSourceInit): EventSource {
  const created = new EventSource(FAKE_URL, init)
  sources.push(created)
  return created
}

const encoder = new TextEncoder()

/** A stream response the test writes to, and whether the source cancelled its body. */
function liveStream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>
  const state = {isCancelled: false, write: (text: string) => controller.enqueue(encoder.encode(text))}
  const body = new ReadableStream<Uint8Array>({
    start: (c) => void (controller = c),
    cancel: () => void (state.isCancelled = true),
  })
  return {state, respond: () => new Response(body, {headers: {'content-type': 'text/event-stream'}})}
}

/** What the source did: `open`, `error <readyState>`, or a message's data. */
function transcript(target: EventSource): string[] {
  const seen: string[] = []
  target.onopen = () => seen.push('open')
  target.onerror = () => seen.push(`error ${target.readyState}`)
  target.onmessage = (event) => seen.push(event.data)
  return seen
}

const pageTransition = (type: 'pagehide' | 'pageshow', persisted: boolean): Event => Object.assign(new Event(type), {persisted})
const lastEventIdOf = (call: {init: RequestInit} | undefined) => new Headers(call?.init.headers).get('last-event-id')

describe('[non-spec] freeze and resume', () => {
  it('drops the stream on freeze and reconnects with Last-Event-ID on resume, without an error event', async () => {
    const first = liveStream()
    const second = liveStream()
    const {fetch, calls} = fakeFetch(first.respond, second.respond)
    const created = source({fetch})
    const seen = transcript(created)
    await settle()
    first.state.write('id: 1\ndata: one\n\n')
    await settle()
    document.dispatchEvent(new Event('freeze'))
    await settle()
    // [non-spec] a frozen page holds no connection it cannot read.
    expect([first.state.isCancelled, created.readyState, calls.length]).toEqual([true, EventSource.CONNECTING, 1])
    // Frozen for a long time: no timer brings a request.
    await vi.advanceTimersByTimeAsync(60_000)
    expect(calls).toHaveLength(1)
    document.dispatchEvent(new Event('resume'))
    await settle()
    expect([calls.length, lastEventIdOf(calls[1]), created.readyState]).toEqual([2, '1', EventSource.OPEN])
    second.state.write('id: 2\ndata: two\n\n')
    await settle()
    expect(seen).toEqual(['open', 'one', 'open', 'two'])
  })

  it('drops an attempt that is still connecting', async () => {
    let signal: AbortSignal | undefined
    // A fetch waiting for its response, which rejects when its signal aborts (as fetch does).
    const pending = (_url: string, init: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        signal = init.signal ?? undefined
        signal?.addEventListener('abort', () => reject(signal?.reason))
      })
    const {fetch, calls} = fakeFetch(pending, staysOpen)
    const created = source({fetch})
    await settle()
    document.dispatchEvent(new Event('freeze'))
    await settle()
    expect([signal?.aborted, created.readyState]).toEqual([true, EventSource.CONNECTING])
    document.dispatchEvent(new Event('resume'))
    await settle()
    expect([calls.length, created.readyState]).toEqual([2, EventSource.OPEN])
  })

  it('sends nothing from a source created while the page is frozen until it resumes', async () => {
    document.dispatchEvent(new Event('freeze'))
    const {fetch, calls} = fakeFetch(staysOpen)
    const created = source({fetch})
    await vi.advanceTimersByTimeAsync(10_000)
    expect([calls.length, created.readyState]).toEqual([0, EventSource.CONNECTING])
    document.dispatchEvent(new Event('resume'))
    await settle()
    expect([calls.length, created.readyState]).toEqual([1, EventSource.OPEN])
  })

  it('sends nothing on resume after close() in the frozen page', async () => {
    const {fetch, calls} = fakeFetch(staysOpen)
    const created = source({fetch})
    await settle()
    document.dispatchEvent(new Event('freeze'))
    await settle()
    created.close()
    document.dispatchEvent(new Event('resume'))
    await settle()
    expect([calls.length, created.readyState, vi.getTimerCount()]).toEqual([1, EventSource.CLOSED, 0])
  })

  it('leaves a reconnection wait to its timer: the page froze with no connection to drop', async () => {
    const {fetch, calls} = fakeFetch(failing, staysOpen)
    const created = source({fetch, reconnectionTime: 500})
    await settle()
    document.dispatchEvent(new Event('freeze'))
    document.dispatchEvent(new Event('resume'))
    await vi.advanceTimersByTimeAsync(499)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect([calls.length, created.readyState]).toEqual([2, EventSource.OPEN])
  })

  it('takes a visible page as a running one, should its resume event be missed', async () => {
    const {fetch, calls} = fakeFetch(staysOpen)
    const created = source({fetch})
    await settle()
    document.dispatchEvent(new Event('freeze'))
    await settle()
    document.visibilityState = 'visible'
    document.dispatchEvent(new Event('visibilitychange'))
    document.visibilityState = 'hidden'
    await settle()
    expect([calls.length, created.readyState]).toEqual([2, EventSource.OPEN])
  })
})

describe('[non-spec] the back/forward cache', () => {
  it('drops the stream on pagehide with persisted and reconnects with Last-Event-ID on pageshow with persisted', async () => {
    const first = liveStream()
    const {fetch, calls} = fakeFetch(first.respond, staysOpen)
    const created = source({fetch})
    await settle()
    first.state.write('id: 7\ndata: seven\n\n')
    await settle()
    window.dispatchEvent(pageTransition('pagehide', true))
    await settle()
    expect([first.state.isCancelled, created.readyState, calls.length]).toEqual([true, EventSource.CONNECTING, 1])
    window.dispatchEvent(pageTransition('pageshow', true))
    await settle()
    expect([calls.length, lastEventIdOf(calls[1]), created.readyState]).toEqual([2, '7', EventSource.OPEN])
  })

  it('keeps the stream on a pagehide without persisted (the page is being unloaded)', async () => {
    const first = liveStream()
    const {fetch, calls} = fakeFetch(first.respond)
    const created = source({fetch})
    await settle()
    window.dispatchEvent(pageTransition('pagehide', false))
    await settle()
    expect([first.state.isCancelled, created.readyState, calls.length]).toEqual([false, EventSource.OPEN, 1])
  })
})

describe('[non-spec] offline', () => {
  it('counts no failed attempt while the browser is offline, for maxRetries or backoff', async () => {
    const {fetch, calls} = fakeFetch(failing, failing, failing, failing, staysOpen)
    const created = source({fetch, reconnectionTime: 100, reconnect: backoff({jitter: false, maxRetries: 1})})
    const delays: Array<number | null> = []
    created.addEventListener('error', (event) => delays.push(event.reconnectDelay))
    vi.stubGlobal('navigator', {onLine: false})
    window.dispatchEvent(new Event('offline'))
    await settle()
    await vi.advanceTimersByTimeAsync(100)
    await vi.advanceTimersByTimeAsync(100)
    // Three failures while offline: every one is the first reconnection, none past maxRetries.
    expect([calls.length, delays, created.readyState]).toEqual([3, [100, 100, 100], EventSource.CONNECTING])
    // Online again: the next failure is counted, as the first reconnection (within maxRetries).
    vi.unstubAllGlobals()
    window.dispatchEvent(new Event('online'))
    await settle()
    expect([calls.length, delays.length, created.readyState]).toEqual([4, 4, EventSource.CONNECTING])
    await vi.advanceTimersByTimeAsync(100)
    expect([calls.length, created.readyState]).toEqual([5, EventSource.OPEN])
  })

  it('counts a failure that the browser did not see offline', async () => {
    const {fetch, calls} = fakeFetch(failing)
    const created = source({fetch, reconnectionTime: 100, reconnect: retry({maxRetries: 1})})
    await settle()
    await vi.advanceTimersByTimeAsync(100)
    expect([calls.length, created.readyState]).toEqual([2, EventSource.CLOSED])
  })
})
