// workerd's EventTarget (Cloudflare Workers) calls a target's `on<type>` property itself, first, at
// every dispatch, besides the listeners (cloudflare/workerd#6022). An EventSource whose `on*`
// handlers are listeners, as the DOM says, would then run each handler twice. This file makes Node's
// EventTarget behave the same way (the library probes the platform once, at its first dispatch to a
// handler, so the patch is in place before it) and checks that each handler runs once, in its place.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {EventSource} from '../src/index.js'
import {EventSource as SharedEventSource} from '../src/shared/index.js'
import {fakeFetch, streamResponse, until, useCleanups} from './helpers.js'

const {defer} = useCleanups()
const encoder = new TextEncoder()
const originalDispatchEvent = EventTarget.prototype.dispatchEvent

beforeAll(() => {
  EventTarget.prototype.dispatchEvent = function (this: EventTarget, event: Event): boolean {
    const handler = (this as unknown as Record<string, unknown>)[`on${event.type}`]
    if (typeof handler === 'function') handler.call(this, event)
    return originalDispatchEvent.call(this, event)
  }
})

afterAll(() => {
  EventTarget.prototype.dispatchEvent = originalDispatchEvent
})

describe('[non-spec] on a platform whose EventTarget calls on<type> properties itself (workerd)', () => {
  it('is a platform that does so (the emulation works)', () => {
    const target = new EventTarget() as EventTarget & {onping?: () => void}
    let calls = 0
    target.onping = () => calls++
    target.dispatchEvent(new Event('ping'))
    expect(calls).toBe(1)
  })

  it('runs onopen, onmessage and onerror once per event, in the order they were set among the listeners', async () => {
    const {fetch} = fakeFetch(() => streamResponse([encoder.encode('retry: 5\nid: 1\ndata: a\n\ndata: b\n\n')]))
    const source = new EventSource('http://127.0.0.1:9/stream', {fetch})
    defer(() => source.close())
    const order: string[] = []
    const seenProperty: unknown[] = []
    for (const type of ['open', 'message', 'error']) source.addEventListener(type, () => order.push(`before ${type}`))
    source.onopen = () => order.push('onopen')
    const onmessage = (event: MessageEvent<string>): void => {
      order.push(`onmessage ${event.data}`)
    }
    source.onmessage = onmessage
    source.onerror = () => order.push('onerror')
    for (const type of ['open', 'message', 'error']) {
      source.addEventListener(type, () => {
        order.push(`after ${type}`)
        seenProperty.push(source[`on${type}` as 'onopen'])
      })
    }
    await until(() => order.includes('after error'))
    source.close()
    expect(order).toEqual([
      'before open',
      'onopen',
      'after open',
      'before message',
      'onmessage a',
      'after message',
      'before message',
      'onmessage b',
      'after message',
      'before error',
      'onerror',
      'after error',
    ])
    // A listener reads each handler back as it was set, during the dispatch too.
    expect(seenProperty[1]).toBe(onmessage)
    expect(seenProperty.every((value) => typeof value === 'function')).toBe(true)
    expect(source.onmessage).toBe(onmessage)
  })

  it('still removes a handler set to null', async () => {
    const {fetch} = fakeFetch(() => streamResponse([encoder.encode('data: a\n\n')]))
    const source = new EventSource('http://127.0.0.1:9/stream', {fetch})
    defer(() => source.close())
    let handled = 0
    source.onmessage = () => handled++
    source.onmessage = null
    const messages: string[] = []
    source.addEventListener('message', (event) => messages.push((event as MessageEvent<string>).data))
    await until(() => messages.length === 1)
    source.close()
    expect(handled).toBe(0)
    expect(source.onmessage).toBe(null)
  })

  it('runs the shared entry\'s onopen, onmessage and onerror once per event, in their place among the listeners', async () => {
    const {fetch} = fakeFetch(() => streamResponse([encoder.encode('retry: 5\ndata: a\n\n')]))
    // In Node the shared entry is its fallback: a connection of its own, its events fired by the shared class.
    const source = new SharedEventSource('http://127.0.0.1:9/stream', {fetch})
    defer(() => source.close())
    const order: string[] = []
    for (const type of ['open', 'message', 'error']) source.addEventListener(type, () => order.push(`before ${type}`))
    source.onopen = () => order.push('onopen')
    source.onmessage = (event) => order.push(`onmessage ${event.data}`)
    source.onerror = () => order.push('onerror')
    for (const type of ['open', 'message', 'error']) source.addEventListener(type, () => order.push(`after ${type}`))
    await until(() => order.includes('after error'))
    source.close()
    expect(order).toEqual(['before open', 'onopen', 'after open', 'before message', 'onmessage a', 'after message', 'before error', 'onerror', 'after error'])
    expect(source.isShared).toBe(false)
  })
})
