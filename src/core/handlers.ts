import {reportException} from './report.js'

// [non-spec] Whether the platform's EventTarget itself calls a target's `on<type>` property at the
// start of every dispatch, as workerd's does (cloudflare/workerd#6022); probed once, when needed.
let isCallingOnProperties: boolean | undefined

/** [non-spec] Whether the platform's EventTarget calls `on<type>` properties itself (workerd). */
function isCallingOnPropertiesItself(): boolean {
  return (isCallingOnProperties ??= probeOnProperties())
}

function probeOnProperties(): boolean {
  let isCalled = false
  const probe = new EventTarget() as EventTarget & {onmessage?: () => void}
  probe.onmessage = () => (isCalled = true)
  probe.dispatchEvent(new Event('message'))
  return isCalled
}

/**
 * [spec] Setting an event handler attribute, as the DOM does it: `listener` (one function may serve
 * every attribute of a target, each name its own registration) is added when the handler is first set
 * to a non-null value, keeps its place while the value changes, and is removed when it is set to null.
 * @returns the value to store: the handler, or null ([LegacyTreatNonObjectAsNull]: any non-object)
 */
export function setHandler(target: EventTarget, type: string, previous: unknown, value: unknown, listener: (event: Event) => void): unknown {
  const handler = typeof value === 'function' || (typeof value === 'object' && value !== null) ? value : null
  if (handler === null && previous !== null) target.removeEventListener(type, listener)
  if (handler !== null && previous === null) target.addEventListener(type, listener)
  return handler
}

/**
 * The one listener of a class's three `on*` attributes, for every source of the class (see
 * setHandler()). [spec] A listener is called with the event's currentTarget as `this`; workerd (old
 * compatibility dates) calls it with another `this`, and Node gives listeners after the first no
 * currentTarget: one or the other is the source.
 * @param handlerOf - the source's handler for an event type
 */
export function createHandlerListener<Source extends EventTarget>(
  Class: abstract new (...args: never[]) => Source,
  handlerOf: (source: Source, type: string) => unknown,
): (event: Event) => void {
  return function (this: unknown, event: Event): void {
    const source = (this instanceof Class ? this : event.currentTarget) as Source
    callHandler(source, event, handlerOf(source, event.type))
  }
}

/**
 * [spec] "the event handler processing algorithm": calls `handler` with the event's currentTarget (the
 * target: these events do not propagate) as this; calling a non-callable object is a TypeError,
 * reported like any listener exception.
 */
export function callHandler(target: EventTarget, event: Event, handler: unknown): void {
  if (typeof handler === 'function') handler.call(target, event)
  else if (handler !== null) reportException(new TypeError(`EventSource: the on${event.type} handler is not callable`))
}

// [non-spec] The one dispatch whose `on<type>` read by the platform must find no handler.
let hiddenTarget: EventTarget | undefined
let hiddenType: string | undefined

/**
 * Dispatches `event` at `target`. Where the platform calls the `on<type>` property itself (it reads
 * it first, before calling any listener), that read finds none (see isHandlerHidden), so the handler
 * runs once, from its listener, in the place the DOM gives it.
 */
export function dispatchHidingHandler(target: EventTarget, event: Event): void {
  if (isCallingOnPropertiesItself()) {
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
