import type {StringMessageEvent} from './events.js'
import {callHandler} from './handlers.js'
import {reportException} from './report.js'

const NO_PORTS: readonly MessagePort[] = Object.freeze([])

/**
 * A light `MessageEvent`: an `Event` with the `MessageEvent` attributes as getters and
 * `MessageEvent.prototype` in its prototype chain, so `instanceof MessageEvent` holds and it is
 * dispatched like any event. The platforms' own constructors run WebIDL dictionary conversions on
 * every event: several times the cost of parsing it in Node and Deno (JavaScript implementations),
 * and about 1.9 µs against 0.3 µs for this one in Chromium.
 */
class MessageEvent extends Event {
  readonly #data: string
  readonly #origin: string
  readonly #lastEventId: string
  // [non-spec] Set by dispatchToHandler(): the source this event was handed to without the
  // platform's dispatch, and whether that handler is running (the event is "at target").
  #directTarget: EventTarget | null = null
  #isAtTarget = false

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

  // The Event attributes a dispatch sets, as the platform's dispatch would leave them (its own when
  // the event went through dispatchEvent()).

  override get target(): EventTarget | null {
    return super.target ?? this.#directTarget
  }

  override get srcElement(): EventTarget | null {
    return this.target
  }

  override get currentTarget(): EventTarget | null {
    return this.#isAtTarget ? this.#directTarget : super.currentTarget
  }

  override get eventPhase(): number {
    return this.#isAtTarget ? Event.AT_TARGET : super.eventPhase
  }

  override composedPath(): EventTarget[] {
    return this.#isAtTarget ? [this.#directTarget as EventTarget] : super.composedPath()
  }

  /**
   * [non-spec] Dispatches `event`, never dispatched before, at `target` whose only listener for its
   * type is the event handler `handler`: what the DOM's dispatch does in that case (the event is at
   * target, the listener is called, an exception is reported), without its machinery. Node's
   * EventTarget spends more on one dispatch than the parser spends on one event.
   */
  static dispatchToHandler(target: EventTarget, event: MessageEvent, handler: unknown): void {
    event.#directTarget = target
    event.#isAtTarget = true
    try {
      callHandler(target, event, handler)
    } catch (error) {
      reportException(error)
    } finally {
      event.#isAtTarget = false
    }
  }
}

Object.setPrototypeOf(MessageEvent.prototype, globalThis.MessageEvent.prototype)
// [spec] the event "uses the MessageEvent interface": `event.constructor` is the realm's own
// MessageEvent, inherited from its prototype, not this class.
delete (MessageEvent.prototype as {constructor?: unknown}).constructor
for (const name of ['data', 'origin', 'lastEventId', 'source', 'ports', 'target', 'srcElement', 'currentTarget', 'eventPhase', 'composedPath']) Object.defineProperty(MessageEvent.prototype, name, {enumerable: true})

/**
 * [spec] "Create an event that uses the MessageEvent interface, with the event type ..., data ...,
 * origin ..., lastEventId ..." (source null, ports empty).
 */
export function createMessageEvent(type: string, data: string, origin: string, lastEventId: string): StringMessageEvent {
  return new MessageEvent(type, data, origin, lastEventId) as unknown as StringMessageEvent
}

/**
 * [non-spec] Dispatches a MessageEvent made by createMessageEvent(), never dispatched before, at
 * `target` whose only listener for the event's type is the event handler `handler`.
 */
export const dispatchToHandler = MessageEvent.dispatchToHandler as unknown as (target: EventTarget, event: StringMessageEvent, handler: unknown) => void
