import {backoff} from '../src/reconnect/index.js'
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'
import {EventSource, type EventSourceInit} from '../src/index.js'
import {fakeFetch} from './helpers.js'
import {ended, FAKE_URL, failing, settle, staysOpen} from './resilience-helpers.js'

// [non-spec] When the browser reports `online` during a reconnection wait, the source reconnects at
// once. Node's globalThis is no EventTarget, so these tests lend it one and take it back afterwards.

const sources: EventSource[] = []
const GLOBALS = ['addEventListener', 'removeEventListener', 'dispatchEvent'] as const

beforeEach(() => {
  vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']})
})
afterEach(() => {
  for (const source of sources.splice(0)) source.close()
  for (const name of GLOBALS) Reflect.deleteProperty(globalThis, name)
  vi.useRealTimers()
})

function source(init: EventSourceInit): EventSource {
  const created = new EventSource(FAKE_URL, init)
  sources.push(created)
  return created
}

/** Makes globalThis an EventTarget, as in a window, with spies on (add|remove)EventListener. */
function browserGlobals() {
  const target = new EventTarget()
  const added = vi.fn(target.addEventListener.bind(target))
  const removed = vi.fn(target.removeEventListener.bind(target))
  Object.assign(globalThis, {addEventListener: added, removeEventListener: removed, dispatchEvent: target.dispatchEvent.bind(target)})
  const onlineListeners = () => {
    const live = new Set<unknown>()
    for (const [type, listener] of added.mock.calls) if (type === 'online') live.add(listener)
    for (const [type, listener] of removed.mock.calls) if (type === 'online') live.delete(listener)
    return live.size
  }
  return {
    fire: (type: string) => globalThis.dispatchEvent(new Event(type)),
    onlineListeners,
  }
}

describe('[non-spec] the online event', () => {
  it('ends a pending reconnection wait at once', async () => {
    const browser = browserGlobals()
    const {fetch, calls} = fakeFetch(ended, staysOpen)
    const created = source({fetch, reconnectionTime: 10_000})
    await settle()
    expect([created.readyState, calls.length, vi.getTimerCount()]).toEqual([EventSource.CONNECTING, 1, 1])
    expect(browser.onlineListeners()).toBe(1)
    browser.fire('online')
    await settle()
    expect([created.readyState, calls.length]).toEqual([EventSource.OPEN, 2])
    // The wait's timer and listener are gone with it.
    expect(vi.getTimerCount()).toBe(0)
    expect(browser.onlineListeners()).toBe(0)
  })

  it('does nothing while the connection is open', async () => {
    const browser = browserGlobals()
    const {fetch, calls} = fakeFetch(staysOpen)
    const created = source({fetch})
    await settle()
    expect(browser.onlineListeners()).toBe(0)
    browser.fire('online')
    await settle()
    expect([created.readyState, calls.length]).toEqual([EventSource.OPEN, 1])
  })

  it('does nothing for offline: the wait runs its course', async () => {
    const browser = browserGlobals()
    const {fetch, calls} = fakeFetch(ended, staysOpen)
    source({fetch, reconnectionTime: 500})
    await settle()
    browser.fire('offline')
    await vi.advanceTimersByTimeAsync(499)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls).toHaveLength(2)
  })

  it('removes its listener when the wait ends by the timer', async () => {
    const browser = browserGlobals()
    const {fetch, calls} = fakeFetch(ended, ended, staysOpen)
    source({fetch, reconnectionTime: 100})
    await settle()
    expect(browser.onlineListeners()).toBe(1)
    await vi.advanceTimersByTimeAsync(100)
    expect(browser.onlineListeners()).toBe(1)
    await vi.advanceTimersByTimeAsync(100)
    expect(calls).toHaveLength(3)
    expect(browser.onlineListeners()).toBe(0)
  })

  it('is ignored after close(), which also removes the listener', async () => {
    const browser = browserGlobals()
    const {fetch, calls} = fakeFetch(ended)
    const created = source({fetch, reconnectionTime: 10_000})
    await settle()
    created.close()
    await settle()
    expect(browser.onlineListeners()).toBe(0)
    browser.fire('online')
    await settle()
    expect([created.readyState, calls.length, vi.getTimerCount()]).toEqual([EventSource.CLOSED, 1, 0])
  })

  it('reconnects every waiting source', async () => {
    const browser = browserGlobals()
    const first = fakeFetch(ended, staysOpen)
    const second = fakeFetch(failing, staysOpen)
    const waiting = [source({fetch: first.fetch, reconnectionTime: 10_000}), source({fetch: second.fetch, reconnect: backoff()})]
    await settle()
    expect(browser.onlineListeners()).toBe(2)
    browser.fire('online')
    await settle()
    expect(waiting.map((created) => created.readyState)).toEqual([EventSource.OPEN, EventSource.OPEN])
    expect([first.calls.length, second.calls.length]).toEqual([2, 2])
  })

  it('skips a backoff wait without resetting the backoff', async () => {
    const browser = browserGlobals()
    const {fetch, calls} = fakeFetch(failing, failing, staysOpen)
    const created = source({fetch, reconnectionTime: 100, reconnect: backoff({jitter: false})})
    const delays: Array<number | null> = []
    created.onerror = (event) => delays.push(event.reconnectDelay)
    await settle()
    browser.fire('online')
    await settle()
    // The second failure is attempt 2 since the last open: 200 ms.
    expect([calls.length, delays]).toEqual([2, [100, 200]])
    await vi.advanceTimersByTimeAsync(199)
    expect(calls).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    expect([calls.length, created.readyState]).toEqual([3, EventSource.OPEN])
  })

  it('is not listened for where globalThis is no EventTarget (Node): the wait is the timer alone', async () => {
    expect(typeof (globalThis as Partial<EventTarget>).addEventListener).toBe('undefined')
    const {fetch, calls} = fakeFetch(ended, staysOpen)
    source({fetch, reconnectionTime: 300})
    await settle()
    await vi.advanceTimersByTimeAsync(299)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls).toHaveLength(2)
  })
})

describe('[non-spec] validating pauseWhenHidden', () => {
  it.for([
    ['"yes"', 'yes'],
    ['1', 1],
    ['null', null],
  ] as const)('throws a TypeError naming "pauseWhenHidden" for %s', ([, pauseWhenHidden]) => {
    const construct = () => new EventSource(FAKE_URL, {pauseWhenHidden} as unknown as EventSourceInit)
    expect(construct).toThrow(TypeError)
    expect(construct).toThrow('option "pauseWhenHidden"')
  })

  it('accepts true and false', () => {
    for (const pauseWhenHidden of [true, false]) {
      const created = source({pauseWhenHidden, fetch: fakeFetch(staysOpen).fetch})
      created.close()
      expect(created.readyState).toBe(EventSource.CLOSED)
    }
  })
})
