import {reportException} from './report.js'

interface HandlerSlot {
  value: unknown
  readonly listener: (event: Event) => void
}

/**
 * [spec] Event handler attributes (`onopen` and friends) as the DOM does them: the handler's
 * listener is added when first set to a non-null value, keeps its place while the value changes,
 * and is removed when set to null.
 */
export class EventHandlerAttributes {
  readonly #target: EventTarget
  readonly #slots = new Map<string, HandlerSlot>()

  constructor(target: EventTarget) {
    this.#target = target
  }

  get<T>(type: string): T | null {
    return (this.#slots.get(type)?.value as T | undefined) ?? null
  }

  set(type: string, value: unknown): void {
    // [spec] WebIDL [LegacyTreatNonObjectAsNull]: any non-object becomes null.
    const handler = typeof value === 'function' || (typeof value === 'object' && value !== null) ? value : null
    const slot = this.#slots.get(type)
    if (handler === null) {
      if (slot) this.#target.removeEventListener(type, slot.listener)
      this.#slots.delete(type)
    } else if (slot) {
      slot.value = handler
    } else {
      const created: HandlerSlot = {
        value: handler,
        listener: (event) => {
          // [spec] "the event handler processing algorithm": call with the event's currentTarget (the
          // target: these events do not propagate) as this; calling a non-callable object is a
          // TypeError, reported like any listener exception.
          if (typeof created.value === 'function') created.value.call(this.#target, event)
          else reportException(new TypeError(`EventSource: the on${type} handler is not callable`))
        },
      }
      this.#slots.set(type, created)
      this.#target.addEventListener(type, created.listener)
    }
  }
}
