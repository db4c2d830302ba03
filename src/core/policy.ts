import type {EventSourceError} from './errors.js'
import type {StringMessageEvent} from './events.js'

/** How an attempt ended, as the loop sees it. */
export interface Outcome {
  /** The reason, or `undefined` when an open stream simply ended. */
  readonly error: EventSourceError | undefined
  /** Whether the standard says to reconnect rather than fail the connection. */
  readonly isRetryable: boolean
}

/**
 * What the loop tells a reconnection policy after an attempt that did not end in `close()`.
 *
 * @example
 * ```ts
 * const policy: ReconnectPolicy = ({isRetryable, attempt, reconnectionTime}: ReconnectContext) => (isRetryable && attempt <= 5 ? reconnectionTime : undefined)
 * ```
 */
export interface ReconnectContext extends Outcome {
  /** 1 for the first reconnection since the last successful open, then one more each time. */
  readonly attempt: number
  /** The current reconnection time in ms: the `reconnectionTime` option, or the server's `retry:`. */
  readonly reconnectionTime: number
  /** The server's last `retry:` value in ms, or `undefined` while it sent none. */
  readonly serverRetryMs: number | undefined
}

/**
 * [non-spec] The seam of the `reconnect` option: called after every attempt that did not end in
 * `close()`; returns the delay in ms before the next attempt, or `undefined` to fail the connection.
 * Without one the source does what the standard says: `reconnectionTime` when `isRetryable`, else fail.
 * `eventsource-kit/reconnect` builds them (`backoff()`, `retry()`).
 *
 * @example
 * ```ts
 * new EventSource(url, {reconnect: ({isRetryable, attempt, reconnectionTime}) => (isRetryable && attempt <= 3 ? reconnectionTime : undefined)})
 * ```
 */
export type ReconnectPolicy = (context: ReconnectContext) => number | undefined

/**
 * [non-spec] The seam of `eventsource-kit/iterate`: what a source feeds while it is attached (see
 * {@link TAP}). The loop pushes every MessageEvent before dispatching it, pauses reading while
 * `isFull`, and ends every tap when the source closes or fails.
 */
export interface Tap {
  /** A MessageEvent is about to be dispatched. */
  push(event: StringMessageEvent): void
  /** The source closed (`error` undefined) or failed. */
  end(error: EventSourceError | undefined): void
  /** Whether reading from the network should pause until {@link Tap.whenDrained} resolves. */
  readonly isFull: boolean
  /** Resolves once the tap is no longer full (or has ended). */
  whenDrained(): Promise<void>
}

/**
 * [non-spec] The method key by which `eventsource-kit/iterate` attaches a {@link Tap} to a source:
 * `source[TAP](create)` calls `create` with the source's queue limit in characters and its `close`,
 * attaches the tap (or ends it at once when the source is closed) and returns it.
 */
export const TAP: unique symbol = Symbol.for('eventsource-kit.tap')

/** A source `eventsource-kit/iterate` can attach to. */
export interface Tappable {
  [TAP]<T extends Tap>(create: (maxQueuedChars: number, close: () => void) => T): T
}

// setTimeout overflows past 2^31 - 1 ms and would fire at once.
export const MAX_DELAY_MS = 2 ** 31 - 1
