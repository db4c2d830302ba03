import type {EventSourceError} from './errors.js'

/**
 * The `error` event of an EventSource: a plain, non-bubbling, non-cancelable `Event` named "error",
 * so handlers written for the native API keep working, with the reason attached.
 *
 * @example
 * ```ts
 * source.addEventListener('error', (event) => console.warn(event.error?.message ?? 'stream ended'))
 * ```
 */
export class EventSourceErrorEvent extends Event {
  /** Why the error event fired, or `undefined` when the server simply ended the stream. */
  readonly error: EventSourceError | undefined

  constructor(error: EventSourceError | undefined) {
    super('error')
    this.error = error
  }
}
