import {afterEach, beforeAll, beforeEach, describe, expect, it, vi} from 'vitest'
import {EventSource} from '../src/index.js'
import {fakeFetch} from './helpers.js'
import {FAKE_URL, settle, staysOpen} from './resilience-helpers.js'

// [non-spec] A dedicated worker of a frozen page gets no freeze or resume event: it is stopped with
// its page, and its fetch body is as dead after the thaw. While it holds a connection it looks at its
// clock every second; a clock that jumped means it was not running, and the attempt is dropped and
// made again at once. Node is no worker: this file lends globalThis a DedicatedWorkerGlobalScope
// that it belongs to. (Shared and service workers are not frozen with a page; workerd has neither.)

const sources: EventSource[] = []

beforeAll(() => {
  class DedicatedWorkerGlobalScope {
    static [Symbol.hasInstance](value: unknown): boolean {
      return value === globalThis
    }
  }
  Object.assign(globalThis, {DedicatedWorkerGlobalScope})
  return () => void Reflect.deleteProperty(globalThis, 'DedicatedWorkerGlobalScope')
})
beforeEach(() => {
  vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date']})
})
afterEach(() => {
  for (const source of sources.splice(0)) source.close()
  vi.useRealTimers()
})

function liveSource(): {created: EventSource; calls: Array<{init: RequestInit}>; bodies: Array<{isCancelled: boolean}>} {
  const bodies: Array<{isCancelled: boolean}> = []
  const respond = () => {
    const state = {isCancelled: false}
    bodies.push(state)
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => controller.enqueue(new TextEncoder().encode(`id: ${bodies.length}\ndata: x\n\n`)),
      cancel: () => void (state.isCancelled = true),
    })
    return new Response(body, {headers: {'content-type': 'text/event-stream'}})
  }
  const {fetch, calls} = fakeFetch(respond)
  const created = new EventSource(FAKE_URL, {fetch})
  sources.push(created)
  return {created, calls, bodies}
}

describe('[non-spec] a worker whose clock jumped', () => {
  it('drops its stream and reconnects at once with Last-Event-ID, without an error event', async () => {
    const {created, calls, bodies} = liveSource()
    const errors: number[] = []
    created.onerror = () => errors.push(created.readyState)
    await settle()
    expect([calls.length, created.lastEventId]).toEqual([1, '1'])
    // Frozen for 10 s: the clock moves, no timer runs. Thawed: the overdue check runs first.
    vi.setSystemTime(Date.now() + 10_000)
    await vi.advanceTimersByTimeAsync(1000)
    expect(bodies[0]?.isCancelled).toBe(true)
    expect([calls.length, new Headers(calls[1]?.init.headers).get('last-event-id'), created.readyState, errors]).toEqual([2, '1', EventSource.OPEN, []])
  })

  it('keeps its stream while its timers run on time', async () => {
    const {created, calls, bodies} = liveSource()
    await settle()
    await vi.advanceTimersByTimeAsync(30_000)
    expect([calls.length, bodies[0]?.isCancelled, created.readyState]).toEqual([1, false, EventSource.OPEN])
  })

  it('stops looking at its clock once no connection is open', async () => {
    const {created} = liveSource()
    await settle()
    expect(vi.getTimerCount()).toBe(1)
    created.close()
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('[non-spec] outside a worker', () => {
  it('keeps no clock for a connection', async () => {
    const {fetch} = fakeFetch(staysOpen)
    const saved = (globalThis as {DedicatedWorkerGlobalScope?: unknown}).DedicatedWorkerGlobalScope
    Reflect.deleteProperty(globalThis, 'DedicatedWorkerGlobalScope')
    try {
      sources.push(new EventSource(FAKE_URL, {fetch}))
      await settle()
      expect(vi.getTimerCount()).toBe(0)
    } finally {
      Object.assign(globalThis, {DedicatedWorkerGlobalScope: saved})
    }
  })
})
