import {afterEach, describe, expect, it, vi} from 'vitest'
import {EventSource} from '../src/index.js'

const scope = globalThis as {EventSource?: unknown}

afterEach(() => {
  Reflect.deleteProperty(globalThis, 'EventSource')
  vi.resetModules()
})

describe('eventsource-kit/polyfill', () => {
  it('installs EventSource on globalThis where it is missing, and nothing else', async () => {
    Reflect.deleteProperty(globalThis, 'EventSource')
    const before = new Set(Reflect.ownKeys(globalThis))
    await import('../src/polyfill.js')
    const added = Reflect.ownKeys(globalThis).filter((key) => !before.has(key))
    expect(added).toEqual(['EventSource'])
    expect(scope.EventSource).toBe(EventSource)
    expect(Object.getOwnPropertyDescriptor(globalThis, 'EventSource')).toMatchObject({writable: true, configurable: true, enumerable: false})
  })

  it('leaves a native EventSource alone', async () => {
    class NativeEventSource {}
    scope.EventSource = NativeEventSource
    await import('../src/polyfill.js')
    expect(scope.EventSource).toBe(NativeEventSource)
  })
})
