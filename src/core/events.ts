import type {EventSourceError} from './errors.js'

/**
 * The event of `message` and of every named event: a `MessageEvent` whose `data` is a string.
 * Taken from the global `MessageEvent` constructor, which the DOM lib and `@types/node` both declare
 * generic (unlike Node's `MessageEvent` interface), so it is exactly the DOM's `MessageEvent<string>`
 * in a browser project and Node's `MessageEvent<string>` in one without the DOM lib.
 */
export type StringMessageEvent = InstanceType<typeof MessageEvent<string>>

/** What the source will do after an error event. */
export interface ReconnectionPlan {
  /** Whether the source will reconnect (readyState CONNECTING) or has stopped (CLOSED). */
  readonly willReconnect: boolean
  /** The delay before the next attempt in ms, or `null` when it will not reconnect. */
  readonly reconnectDelay: number | null
}

/**
 * The `error` event of an EventSource: a plain, non-bubbling, non-cancelable `Event` named "error",
 * so handlers written for the native API keep working, with the reason and the plan attached.
 *
 * @example
 * ```ts
 * source.addEventListener('error', (event) => {
 *   console.warn(event.error?.message ?? 'stream ended', event.willReconnect ? `retry in ${event.reconnectDelay} ms` : 'closed')
 * })
 * ```
 */
export class EventSourceErrorEvent extends Event {
  /** Why the error event fired, or `undefined` when the server simply ended the stream. */
  declare readonly error: EventSourceError | undefined
  /** Whether the source will reconnect (readyState CONNECTING) or has stopped (CLOSED). */
  declare readonly willReconnect: boolean
  /** The delay before the next attempt in ms, or `null` when it will not reconnect. */
  declare readonly reconnectDelay: number | null

  constructor(error: EventSourceError | undefined, plan: ReconnectionPlan = {willReconnect: false, reconnectDelay: null}) {
    super('error')
    this.error = error
    this.willReconnect = plan.willReconnect
    this.reconnectDelay = plan.reconnectDelay
  }
}
