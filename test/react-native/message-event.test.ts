import {describe, expect, it} from 'vitest'
import {Event} from '../../src/core/native/event.js'
import {FallbackMessageEvent} from '../../src/core/native/message-event.js'

// [non-spec] Babel's class transform (React Native's Babel preset for Hermes before V1, and always in
// 0.76) constructs a subclass's `super()` with `Object.getPrototypeOf(this).constructor` as new.target.
// The core's MessageEvent (src/core/message-event.ts) puts FallbackMessageEvent under its prototype
// and deletes that prototype's `constructor`: the fallback's `constructor` must then lead back to the
// core's prototype, or the events lose their `data` getters (seen on Hermes: scripts/hermes.mjs).

/** A class shaped as the core's MessageEvent in the react-native build. */
function coreShapedClass() {
  class Light extends Event {
    get data(): string {
      return 'payload'
    }
  }
  Object.setPrototypeOf(Light.prototype, FallbackMessageEvent.prototype)
  delete (Light.prototype as {constructor?: unknown}).constructor
  return Light
}

describe('the MessageEvent fallback under a class transform', () => {
  it('gives Babel’s new.target lookup a constructor of the subclass’s prototype', () => {
    const Light = coreShapedClass()
    const newTarget = (Light.prototype as unknown as {constructor: new () => object}).constructor
    // What Babel's `_callSuper` does in place of `super(type)`.
    const event = Reflect.construct(Event, ['message'], newTarget) as {data?: string; type: string}
    expect([Object.getPrototypeOf(event) === Light.prototype, event.data, event.type]).toEqual([true, 'payload', 'message'])
    expect((Light.prototype as unknown as {constructor: unknown}).constructor).toBe(newTarget)
  })

  it('keeps event.constructor the fallback class, for an event and for its own prototype', () => {
    const Light = coreShapedClass()
    expect([new Light('message').constructor, FallbackMessageEvent.prototype.constructor]).toEqual([FallbackMessageEvent, FallbackMessageEvent])
  })
})
