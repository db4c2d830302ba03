// [non-spec] The DOM `EventTarget` of the react-native build: React Native's own from 0.86 (with its
// `Event`), else this small one. It has what DOM "Interface EventTarget" gives a target that is no
// node: listeners in the order they were added, `once`, `passive`, `signal`, `capture` (which only
// tells two registrations apart here), `handleEvent` objects, stopImmediatePropagation(), and
// dispatchEvent() returning false when a listener canceled the event.
import {reportException} from '../report.js'
import {DOMException} from './dom-exception.js'
import {dispatchFlags, type DispatchFlags, hasPlatformEvents} from './event.js'

type Callback = ((event: Event) => unknown) | {handleEvent(event: Event): unknown}

/** [spec] an event listener: type, callback, capture, passive, once, signal and a removed flag. */
interface EventListenerEntry {
  readonly callback: Callback
  readonly capture: boolean
  readonly passive: boolean
  readonly once: boolean
  removed: boolean
  // Stops listening to the signal when the listener is removed otherwise.
  detach: (() => void) | undefined
}

/** The `addEventListener` options (or the `capture` boolean), flattened. */
function flatten(options: boolean | {capture?: boolean; once?: boolean; passive?: boolean; signal?: AbortSignal} | undefined) {
  if (typeof options !== 'object' || options === null) return {capture: Boolean(options), once: false, passive: false, signal: undefined}
  return {capture: Boolean(options.capture), once: Boolean(options.once), passive: Boolean(options.passive), signal: options.signal}
}

/** [spec] DOM "Interface EventTarget", for a target that is no node (an event at it never propagates). */
export class FallbackEventTarget {
  readonly #listeners = new Map<string, EventListenerEntry[]>()

  /** [spec] "add an event listener": a null callback, or one already added with the same type and capture, is ignored. */
  addEventListener(type: string, callback: Callback | null, options?: boolean | {capture?: boolean; once?: boolean; passive?: boolean; signal?: AbortSignal}): void {
    const {capture, once, passive, signal} = flatten(options)
    // [spec] "If listener's signal is not null and is aborted, then return."
    if (callback === null || callback === undefined || signal?.aborted) return
    type = `${type}`
    const list = this.#listeners.get(type) ?? []
    if (list.some((entry) => entry.callback === callback && entry.capture === capture)) return
    const entry: EventListenerEntry = {callback, capture, passive, once, removed: false, detach: undefined}
    list.push(entry)
    this.#listeners.set(type, list)
    if (signal) {
      const remove = (): void => this.#remove(type, entry)
      signal.addEventListener('abort', remove, {once: true})
      entry.detach = () => signal.removeEventListener('abort', remove)
    }
  }

  /** [spec] "remove an event listener": the one with the same type, callback and capture, if any. */
  removeEventListener(type: string, callback: Callback | null, options?: boolean | {capture?: boolean}): void {
    const capture = typeof options === 'object' && options !== null ? Boolean(options.capture) : Boolean(options)
    type = `${type}`
    const entry = this.#listeners.get(type)?.find((candidate) => candidate.callback === callback && candidate.capture === capture)
    if (entry) this.#remove(type, entry)
  }

  #remove(type: string, entry: EventListenerEntry): void {
    // [spec] "set listener's removed to true": a dispatch under way skips it.
    entry.removed = true
    entry.detach?.()
    const list = this.#listeners.get(type)
    const index = list?.indexOf(entry) ?? -1
    if (list && index >= 0) list.splice(index, 1)
    if (list?.length === 0) this.#listeners.delete(type)
  }

  /**
   * [spec] "dispatch": the target's listeners of the event's type (capturing ones first, as at the
   * target of a path), then the flags are cleared.
   * @returns false when a listener canceled the event, else true
   */
  dispatchEvent(event: Event): boolean {
    const flags = dispatchFlags(event)
    if (flags === undefined) throw new TypeError("Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'.")
    // [spec] "If event's dispatch flag is set, or if its initialized flag is not set, then throw an "InvalidStateError" DOMException."
    if (flags.isDispatching) throw new DOMException("Failed to execute 'dispatchEvent' on 'EventTarget': The event is already being dispatched.", 'InvalidStateError')
    flags.isDispatching = true
    flags.target = flags.currentTarget = this
    flags.eventPhase = 2
    // [spec] "inner invoke" works on a clone of the list: listeners added meanwhile are not called.
    const listeners = [...(this.#listeners.get(event.type) ?? [])]
    for (const phase of [true, false]) {
      if (flags.isStopped) break
      this.#invoke(event, flags, listeners, phase)
    }
    flags.eventPhase = 0
    flags.currentTarget = null
    flags.isDispatching = flags.isStopped = flags.isStoppedImmediately = false
    return !flags.isCanceled
  }

  #invoke(event: Event, flags: DispatchFlags, listeners: EventListenerEntry[], capture: boolean): void {
    for (const entry of listeners) {
      if (entry.removed || entry.capture !== capture) continue
      // [spec] "If listener's once is true, then remove an event listener."
      if (entry.once) this.#remove(event.type, entry)
      flags.isInPassiveListener = entry.passive
      try {
        const {callback} = entry
        if (typeof callback === 'function') callback.call(this, event)
        else callback.handleEvent(event)
      } catch (error) {
        // [spec] "report the exception" (a handleEvent that is not callable is a TypeError).
        reportException(error)
      }
      flags.isInPassiveListener = false
      // [spec] "If event's stop immediate propagation flag is set, then break."
      if (flags.isStoppedImmediately) return
    }
  }

  get [Symbol.toStringTag](): string {
    return 'EventTarget'
  }
}

/** The `EventTarget` the react-native build uses: the platform's (with its Event), else {@link FallbackEventTarget}. */
export const EventTarget: typeof globalThis.EventTarget = hasPlatformEvents
  ? globalThis.EventTarget
  : (FallbackEventTarget as unknown as typeof globalThis.EventTarget)
