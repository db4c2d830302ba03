import type {StringMessageEvent} from './events.js'

const NO_PORTS: readonly MessagePort[] = Object.freeze([])

/**
 * A `MessageEvent` for runtimes whose own is written in JavaScript (Node's and Deno's run WebIDL
 * conversions on every construction, several times the cost of parsing the event). It is an `Event`
 * with the `MessageEvent` attributes as getters, and `MessageEvent.prototype` in its prototype
 * chain, so `instanceof MessageEvent` holds and it is dispatched like any event.
 */
class MessageEvent extends Event {
  readonly #data: string
  readonly #origin: string
  readonly #lastEventId: string

  constructor(type: string, data: string, origin: string, lastEventId: string) {
    super(type)
    this.#data = data
    this.#origin = origin
    this.#lastEventId = lastEventId
  }

  get data(): string {
    return this.#data
  }

  get origin(): string {
    return this.#origin
  }

  get lastEventId(): string {
    return this.#lastEventId
  }

  get source(): null {
    return null
  }

  get ports(): readonly MessagePort[] {
    return NO_PORTS
  }
}

const PlatformMessageEvent = globalThis.MessageEvent
Object.setPrototypeOf(MessageEvent.prototype, PlatformMessageEvent.prototype)
for (const name of ['data', 'origin', 'lastEventId', 'source', 'ports']) Object.defineProperty(MessageEvent.prototype, name, {enumerable: true})

// Browsers and Bun build events natively, cheaply: there the platform's own class is used.
const isNative = /\[native code\]/.test(Function.prototype.toString.call(PlatformMessageEvent))

/**
 * [spec] "Create an event that uses the MessageEvent interface, with the event type ..., data ...,
 * origin ..., lastEventId ..." (source null, ports empty).
 */
export const createMessageEvent: (type: string, data: string, origin: string, lastEventId: string) => StringMessageEvent = isNative
  ? (type, data, origin, lastEventId) => new PlatformMessageEvent(type, {data, origin, lastEventId})
  : (type, data, origin, lastEventId) => new MessageEvent(type, data, origin, lastEventId) as unknown as StringMessageEvent
