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

/** The `MessageEvent` the react-native build uses: the platform's (with its Event), else {@link FallbackMessageEvent}. */
export const MessageEvent: typeof globalThis.MessageEvent =
  hasPlatformEvents && typeof globalThis.MessageEvent === 'function'
    ? globalThis.MessageEvent
    : (FallbackMessageEvent as unknown as typeof globalThis.MessageEvent)
