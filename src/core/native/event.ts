// [non-spec] The DOM `Event` of the react-native build: React Native's own from 0.86 (with its
// `EventTarget`: the two are taken together, see ./event-target.ts), else this small one. It has what
// DOM "Interface Event" gives an event that is dispatched at one target and never propagates: the
// core's events (open, message, error) are such events.

/** What a fallback EventTarget's dispatch reads and writes on a fallback Event (see ./event-target.ts). */
export interface DispatchFlags {
  target: object | null
  currentTarget: object | null
  eventPhase: number
  isDispatching: boolean
  isStoppedImmediately: boolean
  isStopped: boolean
  isInPassiveListener: boolean
  isCanceled: boolean
}

const flagsOf = new WeakMap<object, DispatchFlags>()

/** The dispatch flags of a fallback Event, or undefined for any other object. */
export function dispatchFlags(event: object): DispatchFlags | undefined {
  return flagsOf.get(event)
}

/** The options of `new Event(type, init)` (the DOM's `EventInit`). */
export interface FallbackEventInit {
  bubbles?: boolean
  cancelable?: boolean
  composed?: boolean
}

/** [spec] DOM "Interface Event", for an event at one target: no propagation path, no shadow roots. */
export class FallbackEvent {
  static readonly NONE = 0
  static readonly CAPTURING_PHASE = 1
  static readonly AT_TARGET = 2
  static readonly BUBBLING_PHASE = 3
  readonly #type: string
  readonly #bubbles: boolean
  readonly #cancelable: boolean
  readonly #composed: boolean
  readonly #timeStamp = Date.now()

  constructor(type: string, eventInitDict: FallbackEventInit = {}) {
    if (arguments.length === 0) throw new TypeError("Failed to construct 'Event': 1 argument required, but only 0 present.")
    this.#type = `${type}`
    this.#bubbles = Boolean(eventInitDict.bubbles)
    this.#cancelable = Boolean(eventInitDict.cancelable)
    this.#composed = Boolean(eventInitDict.composed)
    flagsOf.set(this, {
      target: null,
      currentTarget: null,
      eventPhase: 0,
      isDispatching: false,
      isStoppedImmediately: false,
      isStopped: false,
      isInPassiveListener: false,
      isCanceled: false,
    })
  }

  get #flags(): DispatchFlags {
    return flagsOf.get(this) as DispatchFlags
  }

  get type(): string {
    return this.#type
  }

  get target(): object | null {
    return this.#flags.target
  }

  get srcElement(): object | null {
    return this.#flags.target
  }

  get currentTarget(): object | null {
    return this.#flags.currentTarget
  }

  get eventPhase(): number {
    return this.#flags.eventPhase
  }

  get bubbles(): boolean {
    return this.#bubbles
  }

  get cancelable(): boolean {
    return this.#cancelable
  }

  get composed(): boolean {
    return this.#composed
  }

  get defaultPrevented(): boolean {
    return this.#flags.isCanceled
  }

  get returnValue(): boolean {
    return !this.#flags.isCanceled
  }

  set returnValue(value: boolean) {
    if (!value) this.preventDefault()
  }

  get cancelBubble(): boolean {
    return this.#flags.isStopped
  }

  set cancelBubble(value: boolean) {
    if (value) this.#flags.isStopped = true
  }

  get isTrusted(): boolean {
    return false
  }

  get timeStamp(): number {
    return this.#timeStamp
  }

  /** [spec] "set the canceled flag ... if cancelable is true and the in passive listener flag is unset". */
  preventDefault(): void {
    const flags = this.#flags
    if (this.#cancelable && !flags.isInPassiveListener) flags.isCanceled = true
  }

  stopPropagation(): void {
    this.#flags.isStopped = true
  }

  stopImmediatePropagation(): void {
    const flags = this.#flags
    flags.isStopped = flags.isStoppedImmediately = true
  }

  /** [spec] the target while the event is dispatched, else nothing (there is no path beyond it). */
  composedPath(): object[] {
    const {currentTarget} = this.#flags
    return currentTarget === null ? [] : [currentTarget]
  }

  get [Symbol.toStringTag](): string {
    return 'Event'
  }
}

for (const name of ['NONE', 'CAPTURING_PHASE', 'AT_TARGET', 'BUBBLING_PHASE'] as const) {
  Object.defineProperty(FallbackEvent.prototype, name, {value: FallbackEvent[name], enumerable: true})
}

/** Whether the platform has both `Event` and `EventTarget` (React Native from 0.86): then its own are used. */
export const hasPlatformEvents = typeof globalThis.Event === 'function' && typeof globalThis.EventTarget === 'function'

/** The `Event` the react-native build uses: the platform's (with its EventTarget), else {@link FallbackEvent}. */
export const Event: typeof globalThis.Event = hasPlatformEvents ? globalThis.Event : (FallbackEvent as unknown as typeof globalThis.Event)
