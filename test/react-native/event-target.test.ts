import {afterEach, describe, expect, it, vi} from 'vitest'
import {FallbackDOMException} from '../../src/core/native/dom-exception.js'
import {FallbackEvent} from '../../src/core/native/event.js'
import {FallbackEventTarget} from '../../src/core/native/event-target.js'

// [spec] DOM "Interface EventTarget" and "Interface Event", as far as the core relies on them (one
// target, no propagation path): the react-native build's fallbacks, and Node's own for comparison
// (the same expectations hold for both).

type Target = typeof EventTarget
type EventClass = typeof Event
const IMPLEMENTATIONS: Array<[string, Target, EventClass]> = [
  ['the fallback', FallbackEventTarget as unknown as Target, FallbackEvent as unknown as EventClass],
  ["Node's", EventTarget, Event],
]

afterEach(() => {
  vi.unstubAllGlobals()
})

describe.each(IMPLEMENTATIONS)('%s EventTarget and Event', (_name, Target, Event) => {
  it('calls the listeners of a type in the order they were added, with the target as this, target and currentTarget', () => {
    const target = new Target()
    const calls: unknown[] = []
    target.addEventListener('ping', function (this: unknown, event) {
      calls.push(['first', this === target, event.target === target, event.currentTarget === target, event.eventPhase])
    })
    target.addEventListener('ping', () => calls.push('second'))
    target.addEventListener('other', () => calls.push('other'))
    const event = new Event('ping')
    expect(target.dispatchEvent(event)).toBe(true)
    expect(calls).toEqual([['first', true, true, true, 2], 'second'])
    // After the dispatch: the target stays, currentTarget and the phase are cleared.
    expect([event.target === target, event.currentTarget, event.eventPhase]).toEqual([true, null, 0])
  })

  it('adds a callback once per type and capture, and removes the one with the same capture', () => {
    const target = new Target()
    const listener = vi.fn()
    target.addEventListener('ping', listener)
    target.addEventListener('ping', listener)
    target.addEventListener('ping', listener, {capture: true})
    target.dispatchEvent(new Event('ping'))
    expect(listener).toHaveBeenCalledTimes(2)
    target.removeEventListener('ping', listener, {capture: true})
    target.dispatchEvent(new Event('ping'))
    expect(listener).toHaveBeenCalledTimes(3)
    target.removeEventListener('ping', listener)
    target.dispatchEvent(new Event('ping'))
    expect(listener).toHaveBeenCalledTimes(3)
  })

  it('removes a `once` listener before calling it, so a dispatch from inside it does not call it again', () => {
    const target = new Target()
    let calls = 0
    target.addEventListener(
      'ping',
      () => {
        calls++
        target.dispatchEvent(new Event('ping'))
      },
      {once: true},
    )
    target.dispatchEvent(new Event('ping'))
    target.dispatchEvent(new Event('ping'))
    expect(calls).toBe(1)
  })

  it('calls handleEvent of a listener object, looked up at each dispatch, with the object as this', () => {
    const target = new Target()
    const seen: unknown[] = []
    const listener = {
      handleEvent(this: unknown, event: Event) {
        seen.push([this === listener, event.type])
      },
    }
    target.addEventListener('ping', listener)
    target.dispatchEvent(new Event('ping'))
    listener.handleEvent = function (this: unknown) {
      seen.push('replaced')
    }
    target.dispatchEvent(new Event('ping'))
    expect(seen).toEqual([[true, 'ping'], 'replaced'])
  })

  it('stops at stopImmediatePropagation(), but not at stopPropagation(), on the one target', () => {
    const target = new Target()
    const calls: string[] = []
    target.addEventListener('stop', (event) => {
      calls.push('a')
      event.stopPropagation()
    })
    target.addEventListener('stop', (event) => {
      calls.push('b')
      event.stopImmediatePropagation()
    })
    target.addEventListener('stop', () => calls.push('c'))
    target.dispatchEvent(new Event('stop'))
    expect(calls).toEqual(['a', 'b'])
    // The flags are cleared after the dispatch: the next one calls them all again.
    calls.length = 0
    target.dispatchEvent(new Event('stop'))
    expect(calls).toEqual(['a', 'b'])
  })

  it('returns false from dispatchEvent when a listener canceled a cancelable event, not for a passive one or a non-cancelable event', () => {
    const target = new Target()
    target.addEventListener('cancel', (event) => event.preventDefault())
    const cancelable = new Event('cancel', {cancelable: true})
    expect(target.dispatchEvent(cancelable)).toBe(false)
    expect(cancelable.defaultPrevented).toBe(true)
    expect(target.dispatchEvent(new Event('cancel'))).toBe(true)
    const passiveTarget = new Target()
    passiveTarget.addEventListener('cancel', (event) => event.preventDefault(), {passive: true})
    expect(passiveTarget.dispatchEvent(new Event('cancel', {cancelable: true}))).toBe(true)
  })

  it('skips a listener removed during the dispatch and does not call one added during it', () => {
    const target = new Target()
    const calls: string[] = []
    const second = (): void => void calls.push('second')
    target.addEventListener('ping', () => {
      calls.push('first')
      target.removeEventListener('ping', second)
      target.addEventListener('ping', () => calls.push('added'))
    })
    target.addEventListener('ping', second)
    target.dispatchEvent(new Event('ping'))
    expect(calls).toEqual(['first'])
  })

  it('removes a listener when its signal aborts, and adds none with an aborted signal', () => {
    const target = new Target()
    const listener = vi.fn()
    const controller = new AbortController()
    target.addEventListener('ping', listener, {signal: controller.signal})
    target.addEventListener('pong', listener, {signal: AbortSignal.abort()})
    target.dispatchEvent(new Event('ping'))
    controller.abort()
    target.dispatchEvent(new Event('ping'))
    target.dispatchEvent(new Event('pong'))
    expect(listener).toHaveBeenCalledTimes(1)
  })

  it('never calls an on<type> property itself (the core calls its handlers from listeners)', () => {
    const target = new Target() as EventTarget & {onping?: () => void}
    target.onping = vi.fn()
    target.dispatchEvent(new Event('ping'))
    expect(target.onping).not.toHaveBeenCalled()
  })

  it('lets a subclass of Event carry its own fields through a dispatch', () => {
    class DetailEvent extends Event {
      readonly detail: string
      constructor(detail: string) {
        super('detail')
        this.detail = detail
      }
    }
    const target = new Target()
    let seen: unknown
    target.addEventListener('detail', (event) => (seen = [(event as DetailEvent).detail, event instanceof DetailEvent, event instanceof Event]))
    target.dispatchEvent(new DetailEvent('x'))
    expect(seen).toEqual(['x', true, true])
  })
})

describe('the fallback EventTarget', () => {
  it('takes `capture` as a boolean third argument too', () => {
    const target = new FallbackEventTarget()
    const calls: number[] = []
    const listener = (event: Event): void => void calls.push(event.eventPhase)
    target.addEventListener('ping', listener, true)
    target.addEventListener('ping', listener)
    // [spec] a null callback is ignored (Node's warns).
    target.addEventListener('ping', null)
    target.removeEventListener('ping', listener, true)
    target.dispatchEvent(new FallbackEvent('ping') as unknown as Event)
    target.removeEventListener('ping', listener, false)
    target.dispatchEvent(new FallbackEvent('ping') as unknown as Event)
    expect(calls).toEqual([2])
  })

  it('reports an exception of a listener and goes on with the next one', () => {
    const reported = vi.fn()
    vi.stubGlobal('reportError', reported)
    const target = new FallbackEventTarget()
    const next = vi.fn()
    const failure = new Error('listener failed')
    target.addEventListener('ping', () => {
      throw failure
    })
    target.addEventListener('ping', {handleEvent: 'not callable'} as never)
    target.addEventListener('ping', next)
    target.dispatchEvent(new FallbackEvent('ping') as unknown as Event)
    expect(reported.mock.calls.map(([error]) => error)).toEqual([failure, expect.any(TypeError)])
    expect(next).toHaveBeenCalledOnce()
  })

  it('refuses to dispatch an event that is being dispatched, or an object that is no fallback Event', () => {
    const target = new FallbackEventTarget()
    let error: unknown
    target.addEventListener('ping', (event) => {
      try {
        target.dispatchEvent(event)
      } catch (caught) {
        error = caught
      }
    })
    target.dispatchEvent(new FallbackEvent('ping') as unknown as Event)
    expect(error).toMatchObject({name: 'InvalidStateError', code: 11})
    expect(() => target.dispatchEvent({type: 'ping'} as Event)).toThrow(TypeError)
  })
})

describe('the fallback DOMException', () => {
  it('is an Error with the name and the legacy code of the name', () => {
    const exception = new FallbackDOMException('bad URL', 'SyntaxError')
    expect([exception instanceof Error, exception.name, exception.message, exception.code]).toEqual([true, 'SyntaxError', 'bad URL', 12])
    expect([new FallbackDOMException('x', 'AbortError').code, new FallbackDOMException().name, new FallbackDOMException('x', 'NotAllowedError').code]).toEqual([20, 'Error', 0])
  })
})
