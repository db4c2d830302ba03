import {reportException} from './report.js'

// [non-spec] Whether the platform's EventTarget itself calls a target's `on<type>` property at the
// start of every dispatch, as workerd's does (cloudflare/workerd#6022); probed once, when needed.
let isCallingOnProperties: boolean | undefined

function probeOnProperties(): boolean {
  let isCalled = false
  const probe = new EventTarget() as EventTarget & {onmessage?: () => void}
  probe.onmessage = () => (isCalled = true)
  probe.dispatchEvent(new Event('message'))
  return isCalled
}

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
  // [non-spec] The type being dispatched whose `on<type>` property the platform is about to read (see dispatch()).
  #hiddenType: string | undefined

  constructor(target: EventTarget) {
    this.#target = target
  }

  get<T>(type: string): T | null {
    // [non-spec] The platform's own read, before any listener runs: it finds no handler, and every later read does.
    if (type === this.#hiddenType) return (this.#hiddenType = undefined), null
    return (this.#slots.get(type)?.value as T | undefined) ?? null
  }

  /**
   * Dispatches `event` at the target. Where the platform calls the `on<type>` property itself (it reads
   * it first, before calling any listener), that read finds none, so the handler runs once, from its
   * listener, in the place the DOM gives it.
   */
  dispatch(event: Event): void {
    if (this.#slots.has(event.type) && (isCallingOnProperties ??= probeOnProperties())) this.#hiddenType = event.type
    this.#target.dispatchEvent(event)
    this.#hiddenType = undefined
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

// The main EventSource keeps its handlers itself (one listener for the three attributes, no object
// per source); these give it the same workerd behaviour as dispatch() above.
let hiddenTarget: EventTarget | undefined
let hiddenType: string | undefined

/**
 * Dispatches `event` at `target`. Where the platform calls the `on<type>` property itself (it reads
 * it first, before calling any listener), that read finds none (see isHandlerHidden), so the handler
 * runs once, from its listener, in the place the DOM gives it.
 */
export function dispatchHidingHandler(target: EventTarget, event: Event): void {
  if ((isCallingOnProperties ??= probeOnProperties())) {
    hiddenTarget = target
    hiddenType = event.type
  }
  target.dispatchEvent(event)
  hiddenTarget = hiddenType = undefined
}

/** [non-spec] True once: for the platform's own read of `target`'s `on<type>` inside dispatchHidingHandler(). */
export function isHandlerHidden(target: EventTarget, type: string): boolean {
  if (target !== hiddenTarget || type !== hiddenType) return false
  hiddenTarget = hiddenType = undefined
  return true
}
