// Every event goes through the platform's dispatchEvent(), whoever listens: the handler and the
// listeners must see what the DOM's dispatch shows them. These tests run the same observations with
// the handler alone and with a listener added beside it: the two must not be told apart.
import {iterate} from '../src/iterate/index.js'
import {afterEach, describe, expect, it} from 'vitest'
import {EventSource} from '../src/index.js'
import {bytesOf, fakeFetch, next, SPLITS, splitBytes, streamResponse} from './helpers.js'

type Path = 'handler alone' | 'handler beside a listener'
const PATHS: Path[] = ['handler alone', 'handler beside a listener']

function sourceOf(chunks: Uint8Array[], path: Path): EventSource {
  const {fetch} = fakeFetch(() => streamResponse(chunks))
  const source = new EventSource('http://127.0.0.1:9/stream', {fetch})
  if (path === 'handler beside a listener') source.addEventListener('message', () => {})
  return source
}

function describeEvent(event: Event, source: EventSource, self: unknown) {
  return {
    isThisTheSource: self === source,
    isTargetTheSource: event.target === source,
    isCurrentTargetTheSource: event.currentTarget === source,
    isSrcElementTheSource: event.srcElement === source,
    eventPhase: event.eventPhase,
    composedPath: event.composedPath().map((target) => target === source),
    isTrusted: event.isTrusted,
    bubbles: event.bubbles,
    cancelable: event.cancelable,
    defaultPrevented: event.defaultPrevented,
    isMessageEvent: event instanceof MessageEvent,
    enumerated: enumeratedKeys(event),
  }
}

function enumeratedKeys(event: Event): string[] {
  const keys: string[] = []
  for (const key in event) keys.push(key)
  return keys.sort()
}

// Node reports a listener's exception as an uncaught exception: collected here.
const reported: unknown[] = []
const onUncaught = (error: unknown) => reported.push(error)
const uncaughtListeners = process.listeners('uncaughtException')
afterEach(() => {
  process.removeListener('uncaughtException', onUncaught)
  for (const listener of uncaughtListeners) if (!process.listeners('uncaughtException').includes(listener)) process.on('uncaughtException', listener)
  reported.length = 0
})

describe('an onmessage handler without listeners beside it', () => {
  it('sees the event as the DOM dispatch shows it: this, target, currentTarget, eventPhase, composedPath', async () => {
    const results: Record<string, unknown> = {}
    for (const path of PATHS) {
      const source = sourceOf([bytesOf('data: one\n\n')], 'handler alone')
      let during: unknown
      let event: Event | undefined
      source.onmessage = function (this: unknown, received) {
        event = received
        during = describeEvent(received, source, this)
      }
      // After the handler: Node's EventTarget shows listeners after the first one no currentTarget
      // and eventPhase NONE (it clears its dispatch flag after each listener), a departure from the DOM.
      if (path === 'handler beside a listener') source.addEventListener('message', () => {})
      await next(source, 'error')
      source.close()
      if (!event) throw new Error(`${path}: no event`)
      results[path] = {
        during,
        after: {
          isTargetTheSource: event.target === source,
          currentTarget: event.currentTarget,
          eventPhase: event.eventPhase,
          composedPath: event.composedPath(),
          data: (event as MessageEvent).data,
        },
      }
    }
    expect(results['handler alone']).toEqual(results['handler beside a listener'])
    // And what the DOM says, so that both paths cannot be wrong the same way.
    expect(results['handler alone']).toMatchObject({
      during: {
        isThisTheSource: true,
        isTargetTheSource: true,
        isCurrentTargetTheSource: true,
        isSrcElementTheSource: true,
        eventPhase: Event.AT_TARGET,
        composedPath: [true],
        isTrusted: false,
        bubbles: false,
        cancelable: false,
        isMessageEvent: true,
        // for...in lists what it lists on the platform's own MessageEvent
        enumerated: enumeratedKeys(new MessageEvent('message')),
      },
      after: {isTargetTheSource: true, currentTarget: null, eventPhase: Event.NONE, composedPath: [], data: 'one'},
    })
  })

  it('gets every event in order, whatever the chunking, on both paths', async () => {
    const stream = 'id: 1\ndata: a\n\nevent: other\ndata: skipped\n\ndata: b\ndata: c\n\nid: 7\ndata: d\n\n'
    for (const split of SPLITS.slice(0, 8)) {
      for (const path of PATHS) {
        const source = sourceOf(splitBytes(bytesOf(stream), split), path)
        const seen: string[] = []
        source.onmessage = (event) => seen.push(`${event.data}@${event.lastEventId}`)
        await next(source, 'error')
        source.close()
        expect(seen, `${path}, ${JSON.stringify(split)}`).toEqual(['a@1', 'b\nc@1', 'd@7'])
      }
    }
  })

  it('reports an exception it throws and still gets the next events', async () => {
    process.removeAllListeners('uncaughtException')
    process.on('uncaughtException', onUncaught)
    const source = sourceOf([bytesOf('data: 1\n\ndata: 2\n\n')], 'handler alone')
    const seen: string[] = []
    source.onmessage = (event) => {
      seen.push(event.data)
      throw new Error(`handler ${event.data}`)
    }
    await next(source, 'error')
    source.close()
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(seen).toEqual(['1', '2'])
    expect(reported.map((error) => (error as Error).message)).toEqual(['handler 1', 'handler 2'])
  })

  it('reports a TypeError for a non-callable handler object, event after event', async () => {
    process.removeAllListeners('uncaughtException')
    process.on('uncaughtException', onUncaught)
    const source = sourceOf([bytesOf('data: 1\n\ndata: 2\n\n')], 'handler alone')
    ;(source as unknown as {onmessage: unknown}).onmessage = {handleEvent() {}}
    await next(source, 'error')
    source.close()
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(reported.map((error) => [(error as Error).name, (error as Error).message])).toEqual([
      ['TypeError', 'EventSource: the onmessage handler is not callable'],
      ['TypeError', 'EventSource: the onmessage handler is not callable'],
    ])
  })

  it('adds a listener that gets the next events, not the one being dispatched ([spec] listeners are cloned at dispatch)', async () => {
    const source = sourceOf([bytesOf('data: 1\n\ndata: 2\n\ndata: 3\n\n')], 'handler alone')
    const seen: string[] = []
    source.onmessage = (event) => {
      seen.push(`handler ${event.data}`)
      if (event.data === '1') source.addEventListener('message', (later) => seen.push(`listener ${(later as MessageEvent).data}`))
    }
    await next(source, 'error')
    source.close()
    expect(seen).toEqual(['handler 1', 'handler 2', 'listener 2', 'handler 3', 'listener 3'])
  })

  it('keeps the handler listener first when a listener is added after it, and runs listeners added before it first', async () => {
    for (const isListenerFirst of [false, true]) {
      const source = sourceOf([bytesOf('data: 1\n\ndata: 2\n\n')], 'handler alone')
      const seen: string[] = []
      const listener = (event: Event) => seen.push(`listener ${(event as MessageEvent).data}`)
      if (isListenerFirst) source.addEventListener('message', listener)
      source.onmessage = (event) => seen.push(`handler ${event.data}`)
      if (!isListenerFirst) source.addEventListener('message', listener)
      await next(source, 'error')
      source.close()
      expect(seen).toEqual(isListenerFirst ? ['listener 1', 'handler 1', 'listener 2', 'handler 2'] : ['handler 1', 'listener 1', 'handler 2', 'listener 2'])
    }
  })

  it('still goes through an overridden dispatchEvent (a subclass, or an own property)', async () => {
    class Observed extends EventSource {
      readonly dispatched: string[] = []
      override dispatchEvent(event: Event): boolean {
        this.dispatched.push(event.type)
        return super.dispatchEvent(event)
      }
    }
    const {fetch} = fakeFetch(() => streamResponse([bytesOf('data: 1\n\nevent: named\ndata: 2\n\n')]))
    const observed = new Observed('http://127.0.0.1:9/', {fetch})
    const handled: string[] = []
    observed.onmessage = (event) => handled.push(event.data)
    await next(observed, 'error')
    observed.close()
    expect(observed.dispatched).toEqual(['open', 'message', 'named', 'error'])
    expect(handled).toEqual(['1'])

    const source = sourceOf([bytesOf('data: 1\n\n')], 'handler alone')
    const relayed: string[] = []
    source.onmessage = () => relayed.push('handler')
    source.dispatchEvent = (event) => {
      relayed.push(`own ${event.type}`)
      return true
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
    source.close()
    expect(relayed).toEqual(['own open', 'own message', 'own error'])
  })

  it('[non-spec] async iteration gets events of a type nobody listens to, with the source as target', async () => {
    const source = sourceOf([bytesOf('data: 1\n\nevent: named\ndata: 2\n\n')], 'handler alone')
    const seen: string[] = []
    const done = (async () => {
      for await (const event of iterate(source)) {
        seen.push(`${event.type} ${event.data} ${event.target === source ? 'at the source' : 'without target'}`)
        if (seen.length === 2) break
      }
    })()
    await done
    // Their target is the source: they were dispatched at it.
    expect(seen).toEqual(['message 1 at the source', 'named 2 at the source'])
  })

  it('dispatches events of a type with listeners in stream order with the handler\'s', async () => {
    const source = sourceOf([bytesOf('event: named\ndata: 1\n\ndata: 2\n\n')], 'handler alone')
    const seen: string[] = []
    source.addEventListener('named', (event) => seen.push(`named ${(event as MessageEvent).data}`))
    source.onmessage = (event) => seen.push(`message ${event.data}`)
    await next(source, 'error')
    source.close()
    expect(seen).toEqual(['named 1', 'message 2'])
  })
})

describe('the one listener function of a type', () => {
  const stream = 'id: 1\ndata: a\n\nevent: named\ndata: b\n\ndata: c\n\n'

  it('sees the event as the DOM dispatch shows it, like a first listener beside another one', async () => {
    const results: unknown[] = []
    for (const hasSecond of [false, true]) {
      const source = sourceOf([bytesOf(stream)], 'handler alone')
      const seen: unknown[] = []
      source.addEventListener('named', function (this: unknown, event) {
        seen.push(describeEvent(event, source, this))
      })
      if (hasSecond) source.addEventListener('named', () => {})
      await next(source, 'error')
      source.close()
      results.push(seen)
    }
    expect(results[0]).toEqual(results[1])
    expect(results[0]).toMatchObject([{isThisTheSource: true, isCurrentTargetTheSource: true, eventPhase: Event.AT_TARGET, composedPath: [true]}])
  })

  it('is called once per event when added twice, and no more once removed', async () => {
    const source = sourceOf([bytesOf(stream)], 'handler alone')
    const seen: string[] = []
    const listener = (event: MessageEvent) => {
      seen.push(`${event.data}@${event.lastEventId}`)
      if (event.data === 'a') source.removeEventListener('message', listener)
    }
    source.addEventListener('message', listener)
    source.addEventListener('message', listener)
    await next(source, 'error')
    source.close()
    expect(seen).toEqual(['a@1'])
  })

  it('leaves once, capture and signal registrations to the platform, which honours them', async () => {
    const source = sourceOf([bytesOf('data: 1\n\ndata: 2\n\ndata: 3\n\n')], 'handler alone')
    const seen: string[] = []
    const controller = new AbortController()
    source.addEventListener('message', (event) => seen.push(`once ${event.data}`), {once: true})
    const removedWithCapture = (event: MessageEvent) => seen.push(`kept ${event.data}`)
    source.addEventListener('message', removedWithCapture)
    // A capture flag that does not match removes nothing.
    source.removeEventListener('message', removedWithCapture, {capture: true})
    source.addEventListener(
      'message',
      (event) => {
        seen.push(`signal ${event.data}`)
        controller.abort()
      },
      {signal: controller.signal},
    )
    await next(source, 'error')
    source.close()
    expect(seen).toEqual(['once 1', 'kept 1', 'signal 1', 'kept 2', 'kept 3'])
  })

  it('is removed by removeEventListener with options that match', async () => {
    const source = sourceOf([bytesOf('data: 1\n\ndata: 2\n\n')], 'handler alone')
    const seen: string[] = []
    const listener = (event: MessageEvent) => {
      seen.push(event.data)
      source.removeEventListener('message', listener, {capture: false})
    }
    source.addEventListener('message', listener)
    await next(source, 'error')
    source.close()
    expect(seen).toEqual(['1'])
  })

  it('calls a listener object through handleEvent, with the object as this', async () => {
    const source = sourceOf([bytesOf('data: 1\n\n')], 'handler alone')
    const seen: unknown[] = []
    const listener = {
      handleEvent(this: unknown, event: MessageEvent) {
        seen.push(this === listener, event.currentTarget === source, event.data)
      },
    }
    source.addEventListener('message', listener)
    await next(source, 'error')
    source.close()
    expect(seen).toEqual([true, true, '1'])
  })

  it('runs with the onmessage handler in registration order while both are there', async () => {
    const source = sourceOf([bytesOf('data: 1\n\ndata: 2\n\ndata: 3\n\n')], 'handler alone')
    const seen: string[] = []
    const listener = (event: MessageEvent) => seen.push(`listener ${event.data}`)
    source.addEventListener('message', listener)
    source.onmessage = (event) => {
      seen.push(`handler ${event.data}`)
      if (event.data === '1') source.removeEventListener('message', listener)
      if (event.data === '2') source.onmessage = null
    }
    source.addEventListener('message', (event) => {
      if (event.data === '2') source.addEventListener('message', listener)
    })
    await next(source, 'error')
    source.close()
    expect(seen).toEqual(['listener 1', 'handler 1', 'handler 2', 'listener 3'])
  })
})

describe('dispatch corners a review found', () => {
  it('[spec] runs onerror and onopen for events the server names "error" and "open", alone or beside a listener', async () => {
    for (const hasListener of [false, true]) {
      const source = sourceOf([bytesOf('event: error\ndata: app-failure\n\nevent: open\ndata: x\n\n')], 'handler alone')
      const seen: string[] = []
      source.onopen = (event) => seen.push(`onopen ${(event as MessageEvent).data ?? '(connection)'}`)
      source.onerror = (event) => seen.push(`onerror ${(event as unknown as MessageEvent).data ?? '(connection)'}`)
      if (hasListener) source.addEventListener('error', (event) => seen.push(`listener ${(event as unknown as MessageEvent).data ?? '(connection)'}`))
      await new Promise<void>((resolve) => {
        const stop = () => seen.length >= (hasListener ? 6 : 4) && resolve()
        source.addEventListener('open', stop)
        source.addEventListener('error', stop)
      })
      source.close()
      const expected = hasListener
        ? ['onopen (connection)', 'onerror app-failure', 'listener app-failure', 'onopen x', 'onerror (connection)', 'listener (connection)']
        : ['onopen (connection)', 'onerror app-failure', 'onopen x', 'onerror (connection)']
      expect(seen, hasListener ? 'beside a listener' : 'alone').toEqual(expected)
    }
  })

  it('converts the type to a string once, as WebIDL does', async () => {
    let calls = 0
    const type = {
      toString() {
        calls++
        return calls === 1 ? 'tick' : 'tock'
      },
    }
    const source = sourceOf([bytesOf('event: tick\ndata: 1\n\n')], 'handler alone')
    const seen: string[] = []
    source.addEventListener(type as unknown as string, (event) => seen.push((event as MessageEvent).data))
    await next(source, 'error')
    source.close()
    expect(calls).toBe(1)
    expect(seen).toEqual(['1'])
  })

  it('serves listeners of many types, after listeners come and go', async () => {
    const names = Array.from({length: 40}, (_, i) => `t${i}`)
    const stream = names.map((name, i) => `event: ${name}\ndata: ${i}\n\n`).join('')
    const source = sourceOf([bytesOf(stream)], 'handler alone')
    const seen: string[] = []
    for (const name of names) {
      const gone = () => seen.push(`removed ${name}`)
      source.addEventListener(name, gone)
      source.removeEventListener(name, gone)
      source.addEventListener(name, (event) => seen.push(`${name}=${(event as MessageEvent).data}`))
    }
    await next(source, 'error')
    source.close()
    expect(seen).toEqual(names.map((name, i) => `${name}=${i}`))
  })

  it("reports a listener's exception before other I/O callbacks run, as Node's EventTarget does", async () => {
    process.removeAllListeners('uncaughtException')
    process.on('uncaughtException', onUncaught)
    const source = sourceOf([bytesOf('data: 1\n\n')], 'handler alone')
    const order: string[] = []
    source.onmessage = () => {
      setImmediate(() => order.push(`immediate (reported so far: ${reported.length})`))
      throw new Error('boom')
    }
    await next(source, 'error')
    source.close()
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(order).toEqual(['immediate (reported so far: 1)'])
  })
})

describe('a body whose reader throws', () => {
  it('fails the attempt with a NetworkError and reconnects, instead of staying OPEN', async () => {
    let attempts = 0
    const throwingBody = {
      getReader: () => ({
        read: () => {
          throw new Error('sync read failure')
        },
        cancel: () => Promise.resolve(),
        releaseLock: () => {},
      }),
    }
    const fetch = async () => {
      attempts++
      if (attempts === 1) return {status: 200, ok: true, url: 'http://127.0.0.1:9/', redirected: false, headers: new Headers({'content-type': 'text/event-stream'}), body: throwingBody} as unknown as Response
      return streamResponse([bytesOf('data: after\n\n')])
    }
    const source = new EventSource('http://127.0.0.1:9/', {fetch, reconnectionTime: 1})
    const seen: string[] = []
    source.onerror = (event) => seen.push(`error ${(event as {error?: Error}).error?.name} readyState ${source.readyState}`)
    source.onmessage = (event) => seen.push(`message ${event.data}`)
    await new Promise<void>((resolve) => source.addEventListener('message', () => resolve()))
    source.close()
    expect(seen).toEqual(['error NetworkError readyState 0', 'message after'])
  })
})

