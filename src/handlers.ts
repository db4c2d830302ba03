import {reportException} from './report.js'

/**
 * [spec] Event handler attributes (`onopen` and friends) as the DOM does them: the handler's
 * listener is added when first set to a non-null value, keeps its place while the value changes,
 * and is removed when set to null. One listener function serves every handler name (each name is
 * its own registration on the target). The main EventSource inlines the same steps.
 */
export class EventHandlerAttributes {
  readonly #target: EventTarget
  // The handler of each name whose listener is registered.
  readonly #values: Record<string, unknown> = {}
  #listener: ((event: Event) => void) | undefined

  constructor(target: EventTarget) {
    this.#target = target
  }

  get<T>(type: string): T | null {
    return (this.#values[type] as T | undefined) ?? null
  }

  set(type: string, value: unknown): void {
    // [spec] WebIDL [LegacyTreatNonObjectAsNull]: any non-object becomes null.
    const handler = typeof value === 'function' || (typeof value === 'object' && value !== null) ? value : null
    const isRegistered = this.#values[type] != null
    const listener = (this.#listener ??= (event) => {
      // [spec] "the event handler processing algorithm": call with the event's currentTarget (the
      // target: these events do not propagate) as this; calling a non-callable object is a
      // TypeError, reported like any listener exception.
      const callback = this.#values[event.type]
      if (typeof callback === 'function') callback.call(this.#target, event)
      else if (callback != null) reportException(new TypeError(`EventSource: the on${event.type} handler is not callable`))
    })
    this.#values[type] = handler
    if (handler === null) {
      if (isRegistered) this.#target.removeEventListener(type, listener)
    } else if (!isRegistered) {
      this.#target.addEventListener(type, listener)
    }
  }
}
