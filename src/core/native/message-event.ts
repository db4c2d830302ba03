// [non-spec] The base of the core's MessageEvent in the react-native build (src/core/message-event.ts
// puts it in its prototype chain): the platform's `MessageEvent` where it has one and its `Event` is
// the one in use (./event.ts), else this empty subclass of that `Event`. React Native has none.
import {Event, hasPlatformEvents} from './event.js'

/** [spec] HTML "MessageEvent", as far as the core needs it: an Event class whose prototype its events inherit. */
export class FallbackMessageEvent extends Event {
  get [Symbol.toStringTag](): string {
    return 'MessageEvent'
  }
}

// [non-spec] Babel's class transform, which React Native's Babel preset applies for Hermes before V1
// (and always in 0.76), makes `super()` construct with `Object.getPrototypeOf(this).constructor` as
// new.target. The core's MessageEvent deletes its prototype's `constructor` (so that
// `event.constructor` is this class), which would make that new.target this class, and the event
// would lose the core's prototype and its `data`, `origin` and `lastEventId` getters. Read on a
// prototype directly under this one, `constructor` is therefore a stand-in whose `prototype` is that
// prototype; read on an event (or on this prototype), it is this class, as before.
const standIns = new WeakMap<object, () => void>()
Object.defineProperty(FallbackMessageEvent.prototype, 'constructor', {
  get(this: object): unknown {
    if (Object.getPrototypeOf(this) !== FallbackMessageEvent.prototype) return FallbackMessageEvent
    let standIn = standIns.get(this)
    if (standIn === undefined) {
      standIn = function () {}
      standIn.prototype = this
      standIns.set(this, standIn)
    }
    return standIn
  },
  configurable: true,
})

/** The `MessageEvent` the react-native build uses: the platform's (with its Event), else {@link FallbackMessageEvent}. */
export const MessageEvent: typeof globalThis.MessageEvent =
  hasPlatformEvents && typeof globalThis.MessageEvent === 'function'
    ? globalThis.MessageEvent
    : (FallbackMessageEvent as unknown as typeof globalThis.MessageEvent)
