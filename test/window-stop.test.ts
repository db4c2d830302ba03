import {afterEach, describe, expect, it, vi} from 'vitest'
import {EventSource, NetworkError} from '../src/index.js'
import {fakeFetch, streamResponse, until} from './helpers.js'
import {errorsOf, source} from './resilience-helpers.js'

// [spec] window.stop() aborts the document: its fetches are cancelled, and the EventSource fails
// the connection (WPT eventsource/eventsource-request-cancellation: error, readyState CLOSED, no
// reconnection). Chromium's fetch() reports that cancellation as the TypeError of an offline network,
// so the source learns of window.stop() itself. The browser's own behaviour: e2e/window-stop.spec.ts.

/** The window's own stop(), as a spy; globalThis gets a document and this stop. */
const nativeStop = vi.fn()
function inWindow(): void {
  vi.stubGlobal('document', {baseURI: 'http://127.0.0.1:8080/page.html'})
  // Assigned, not stubbed: the source may wrap it, and unstubbing must not bring a stale wrapper back.
  Object.assign(globalThis, {stop: nativeStop})
}

afterEach(() => {
  vi.unstubAllGlobals()
  Reflect.deleteProperty(globalThis, 'stop')
  nativeStop.mockClear()
})

/** A fetch whose request never gets an answer until its signal aborts. */
function pendingFetch() {
  const signals: AbortSignal[] = []
  const fetch = (_url: string, init: RequestInit): Promise<Response> =>
    new Promise((_resolve, reject) => {
      const signal = init.signal as AbortSignal
      signals.push(signal)
      // As Chromium does for window.stop() (and for a lost network): a TypeError, not an AbortError.
      signal.addEventListener('abort', () => reject(new TypeError('Failed to fetch')))
    })
  return {fetch, signals}
}

const stop = (): void => (globalThis as unknown as {stop: () => void}).stop()

describe('window.stop()', () => {
  it('while connecting fails the connection at once: readyState CLOSED, one error event', async () => {
    inWindow()
    const {fetch, signals} = pendingFetch()
    const created = source({fetch, reconnectionTime: 1})
    const errors = errorsOf(created)
    await until(() => signals.length === 1)
    stop()
    expect(nativeStop).toHaveBeenCalledOnce()
    expect(created.readyState).toBe(EventSource.CLOSED)
    expect(errors.map((seen) => [seen.error?.name, seen.willReconnect, seen.readyState])).toEqual([['NetworkError', false, EventSource.CLOSED]])
    expect(signals[0]?.aborted).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect([signals.length, errors.length]).toEqual([1, 1])
  })

  it('while open fails the connection and stops reading', async () => {
    inWindow()
    let cancelled = false
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => controller.enqueue(new TextEncoder().encode('data: a\n\n')),
      cancel: () => void (cancelled = true),
    })
    const {fetch, calls} = fakeFetch(() => new Response(body, {headers: {'content-type': 'text/event-stream'}}))
    const created = source({fetch, reconnectionTime: 1})
    const errors = errorsOf(created)
    await new Promise((resolve) => created.addEventListener('message', resolve, {once: true}))
    stop()
    expect(created.readyState).toBe(EventSource.CLOSED)
    expect(errors).toHaveLength(1)
    expect(errors[0]?.error).toBeInstanceOf(NetworkError)
    await until(() => cancelled)
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(calls).toHaveLength(1)
  })

  it('during the reconnection wait changes nothing: no fetch to cancel, the source reconnects (as Chromium does)', async () => {
    inWindow()
    const {fetch, calls} = fakeFetch(
      () => streamResponse([]),
      () => new Response(new ReadableStream<Uint8Array>({}), {headers: {'content-type': 'text/event-stream'}}),
    )
    const created = source({fetch, reconnectionTime: 50})
    const errors = errorsOf(created)
    await until(() => errors.length === 1)
    stop()
    expect(created.readyState).toBe(EventSource.CONNECTING)
    await until(() => created.readyState === EventSource.OPEN)
    expect(calls).toHaveLength(2)
  })

  it('fails every source in flight, calls the window\'s own stop() once, and survives another wrapper of stop()', async () => {
    inWindow()
    const first = pendingFetch()
    const a = source({fetch: first.fetch})
    await until(() => first.signals.length === 1)
    // Another library wraps stop() after ours; a later source must not wrap it again around itself.
    const scope = globalThis as unknown as {stop: (...args: unknown[]) => unknown}
    const ours = scope.stop
    const theirs = vi.fn((...args: unknown[]) => ours(...args))
    scope.stop = theirs
    const second = pendingFetch()
    const b = source({fetch: second.fetch})
    await until(() => second.signals.length === 1)
    stop()
    expect(nativeStop).toHaveBeenCalledOnce()
    expect([a.readyState, b.readyState]).toEqual([EventSource.CLOSED, EventSource.CLOSED])
    expect(theirs).toHaveBeenCalledOnce()
  })

  it('only concerns sources of this window; an offline network still reconnects', async () => {
    inWindow()
    const failing = vi.fn(() => Promise.reject(new TypeError('Failed to fetch')))
    const created = source({fetch: failing, reconnectionTime: 1})
    const errors = errorsOf(created)
    await until(() => errors.length >= 3)
    expect(errors.every((seen) => seen.willReconnect && seen.readyState === EventSource.CONNECTING)).toBe(true)
    created.close()
    // A stop() after close() has nothing left to do.
    const seen = errors.length
    stop()
    expect(nativeStop).toHaveBeenCalledOnce()
    expect([errors.length, created.readyState]).toEqual([seen, EventSource.CLOSED])
  })
})
