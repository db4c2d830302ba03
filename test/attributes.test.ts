import {afterEach, describe, expect, it} from 'vitest'
import {EventSource} from '../src/index.js'
import {fakeFetch} from './helpers.js'

const sources: EventSource[] = []
afterEach(() => {
  for (const source of sources.splice(0)) source.close()
})

// A source that opens, receives one message, then waits (the stream never ends).
function openSource(body = 'data: hi\n\n'): EventSource {
  const {fetch} = fakeFetch(
    () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(body))
          },
        }),
        {headers: {'content-type': 'text/event-stream'}},
      ),
  )
  const source = new EventSource('http://127.0.0.1/stream', {fetch})
  sources.push(source)
  return source
}

describe('the EventSource interface', () => {
  it('has CONNECTING, OPEN and CLOSED on the constructor and the prototype, read-only', () => {
    const expected = {CONNECTING: 0, OPEN: 1, CLOSED: 2}
    for (const target of [EventSource, EventSource.prototype]) {
      for (const [name, value] of Object.entries(expected)) {
        expect(Object.getOwnPropertyDescriptor(target, name)).toEqual({value, writable: false, enumerable: true, configurable: false})
        expect(() => {
          ;(target as unknown as Record<string, number>)[name] = 9
        }).toThrow(TypeError)
      }
    }
    const source = openSource()
    expect([source.CONNECTING, source.OPEN, source.CLOSED]).toEqual([0, 1, 2])
  })

  it('has read-only url, withCredentials and readyState accessors on the prototype', () => {
    for (const name of ['url', 'withCredentials', 'readyState']) {
      const descriptor = Object.getOwnPropertyDescriptor(EventSource.prototype, name)
      expect(typeof descriptor?.get, name).toBe('function')
      expect(descriptor?.set, name).toBeUndefined()
      expect(descriptor?.enumerable, name).toBe(true)
      expect(() => descriptor?.get?.call({}), name).toThrow(TypeError)
    }
    const source = openSource()
    expect(Object.keys(source)).toEqual([])
    expect(() => {
      ;(source as unknown as {readyState: number}).readyState = 2
    }).toThrow(TypeError)
    expect(source.readyState).toBe(0)
  })

  it('is a real EventTarget with the EventSource class tag', () => {
    const source = openSource()
    expect(source).toBeInstanceOf(EventTarget)
    expect(Object.prototype.toString.call(source)).toBe('[object EventSource]')
    expect(Object.getPrototypeOf(EventSource.prototype)).toBe(EventTarget.prototype)
  })

  it('dispatches real Event and MessageEvent objects', async () => {
    const source = openSource()
    const open = await new Promise<Event>((resolve) => source.addEventListener('open', resolve))
    expect(open).toBeInstanceOf(Event)
    expect([open.bubbles, open.cancelable, open.type]).toEqual([false, false, 'open'])
    const message = await new Promise<MessageEvent>((resolve) => source.addEventListener('message', resolve))
    expect(message).toBeInstanceOf(MessageEvent)
    expect(message.data).toBe('hi')
    expect(message.origin).toBe('http://127.0.0.1')
    expect(message.lastEventId).toBe('')
    expect(message.source).toBeNull()
    expect(message.ports).toEqual([])
    expect([message.bubbles, message.cancelable]).toEqual([false, false])
    expect(message.target).toBe(source)
    // Node's own MessageEvent is replaced by a lighter one with the same face.
    expect(Object.prototype.toString.call(message)).toBe('[object MessageEvent]')
    expect(message.constructor.name).toBe('MessageEvent')
    // [spec] "an event that uses the MessageEvent interface": its constructor is the realm's MessageEvent.
    expect(message.constructor).toBe(globalThis.MessageEvent)
    expect(Object.hasOwn(Object.getPrototypeOf(message) as object, 'constructor')).toBe(false)
    expect(Object.isFrozen(message.ports)).toBe(true)
    expect(message.isTrusted).toBe(false)
    expect({...Object.fromEntries(['data', 'origin', 'lastEventId'].map((key) => [key, Reflect.get(message, key)]))}).toEqual({
      data: 'hi',
      origin: 'http://127.0.0.1',
      lastEventId: '',
    })
    expect(() => Reflect.get(Object.getPrototypeOf(message) as object, 'data', {})).toThrow(TypeError)
  })
})

describe('event handler attributes', () => {
  it('are null by default and accessors on the prototype', () => {
    const source = openSource()
    for (const name of ['onopen', 'onmessage', 'onerror'] as const) {
      expect(source[name], name).toBeNull()
      const descriptor = Object.getOwnPropertyDescriptor(EventSource.prototype, name)
      expect(typeof descriptor?.get).toBe('function')
      expect(typeof descriptor?.set).toBe('function')
    }
  })

  it('turn non-object values into null and keep objects', () => {
    const source = openSource()
    const handler = () => {}
    source.onmessage = handler
    expect(source.onmessage).toBe(handler)
    ;(source as unknown as {onmessage: unknown}).onmessage = 'alert(1)'
    expect(source.onmessage).toBeNull()
    const object = {}
    ;(source as unknown as {onmessage: unknown}).onmessage = object
    expect(source.onmessage).toBe(object)
    source.onmessage = null
  })

  it('call the handler with this set to the source', async () => {
    const source = openSource()
    const seen = await new Promise<unknown>((resolve) => {
      source.onmessage = function (this: unknown) {
        resolve(this)
      }
    })
    expect(seen).toBe(source)
  })

  it('keep their listener position when changed and move to the end when reset through null', async () => {
    const order: string[] = []
    const source = openSource('data: 1\n\ndata: 2\n\n')
    source.onmessage = () => order.push('handler A')
    source.addEventListener('message', () => order.push('listener'))
    // Changing the value keeps the first position.
    source.onmessage = () => order.push('handler B')
    await new Promise<void>((resolve) => {
      source.addEventListener('message', () => {
        if (order.length === 2) {
          // Null removes the listener; setting again appends it after "listener".
          source.onmessage = null
          source.onmessage = () => order.push('handler C')
        } else resolve()
      })
    })
    expect(order).toEqual(['handler B', 'listener', 'listener', 'handler C'])
  })

  it('stop firing once set to null', async () => {
    const source = openSource('data: 1\n\n')
    let calls = 0
    source.onmessage = () => calls++
    source.onmessage = null
    await new Promise((resolve) => source.addEventListener('message', resolve))
    expect(calls).toBe(0)
  })
})
