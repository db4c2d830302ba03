import type {EventSourceError} from './errors.js'
import {reportException} from './report.js'
import {invalidOption, isCount, isMs} from './validate.js'

/** Exponential backoff between consecutive failed attempts. */
export interface BackoffOptions {
  /**
   * Each consecutive reconnection waits this many times longer.
   * @defaultValue 2
   */
  factor?: number | undefined
  /**
   * The longest wait in ms (a server's `retry:` above it still wins).
   * @defaultValue 30000
   */
  maxDelay?: number | undefined
  /**
   * Full jitter: wait a random time between the server's `retry:` (or 0) and the computed delay.
   * @defaultValue true
   */
  jitter?: boolean | undefined
}

/**
 * Decides whether and when to reconnect; `attempt` is 1 for the first reconnection since the last open.
 * `false` stops, a number is the delay in ms, `true` reconnects, `undefined` keeps the default decision.
 */
export type ShouldReconnect = (error: EventSourceError | undefined, attempt: number) => boolean | number | undefined

/** The reconnection options; all opt-in: without them the source reconnects exactly as the standard says. */
export interface ReconnectionInit {
  /**
   * Grow the delay on consecutive reconnections without a successful open; `true` uses the defaults.
   * @defaultValue false
   */
  backoff?: boolean | BackoffOptions | undefined
  /**
   * Reconnections in a row without a successful open; past it the source closes with a final error event.
   * @defaultValue Infinity
   */
  maxRetries?: number | undefined
  /**
   * HTTP statuses that reconnect (honouring `Retry-After`) instead of failing the connection, e.g. `[429, 502, 503, 504]`.
   * @defaultValue false
   */
  retryOnStatus?: false | readonly number[] | undefined
  /**
   * Overrides every other rule: `false` closes, a number is the delay in ms, `true` reconnects with the
   * computed delay, `undefined` keeps the default decision.
   */
  shouldReconnect?: ShouldReconnect | undefined
}

/** The validated reconnection options. */
export interface ReconnectionOptions {
  readonly backoff: Required<{[K in keyof BackoffOptions]: NonNullable<BackoffOptions[K]>}> | null
  readonly maxRetries: number
  readonly retryOnStatus: ReadonlySet<number>
  readonly shouldReconnect: ShouldReconnect | undefined
}

/** How an attempt ended, as far as the policy cares. */
export interface Outcome {
  /** The reason, or `undefined` when an open stream simply ended. */
  readonly error: EventSourceError | undefined
  /** Whether the standard (or `retryOnStatus`) says to reconnect rather than fail. */
  readonly isRetryable: boolean
  /** A `Retry-After` delay in ms, when the response had one. */
  readonly retryAfterMs?: number | undefined
}

/** Reconnect as the standard says: no backoff, no limit, no status retried. */
const STANDARD_RECONNECTION: ReconnectionOptions = Object.freeze({backoff: null, maxRetries: Number.POSITIVE_INFINITY, retryOnStatus: new Set<number>(), shouldReconnect: undefined})

// setTimeout overflows past 2^31 - 1 ms and would fire at once.
export const MAX_DELAY_MS = 2 ** 31 - 1
const HTTP_DATE_START = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /

function normalizeBackoff(value: unknown): ReconnectionOptions['backoff'] {
  if (value === undefined || value === false) return null
  const options = value === true ? {} : value
  if (typeof options !== 'object' || options === null) throw invalidOption('backoff', 'a boolean or {factor, maxDelay, jitter}', value)
  const {factor = 2, maxDelay = 30_000, jitter = true} = options as BackoffOptions
  if (!(Number.isFinite(factor) && factor >= 1)) throw invalidOption('backoff.factor', 'a finite number >= 1', factor)
  if (!isMs(maxDelay)) throw invalidOption('backoff.maxDelay', 'a finite number of milliseconds >= 0', maxDelay)
  if (typeof jitter !== 'boolean') throw invalidOption('backoff.jitter', 'a boolean', jitter)
  return {factor, maxDelay, jitter}
}

/** Validates the reconnection options once, at construction. */
export function normalizeReconnectionOptions(init: ReconnectionInit): ReconnectionOptions {
  const {maxRetries = Number.POSITIVE_INFINITY, retryOnStatus = false, shouldReconnect} = init
  if (!isCount(maxRetries, 0)) throw invalidOption('maxRetries', 'a whole number >= 0 or Infinity', maxRetries)
  if (retryOnStatus !== false && !(Array.isArray(retryOnStatus) && retryOnStatus.every((status) => Number.isInteger(status) && status >= 100 && status <= 599))) {
    throw invalidOption('retryOnStatus', 'false or an array of HTTP status codes', retryOnStatus)
  }
  if (shouldReconnect !== undefined && typeof shouldReconnect !== 'function') throw invalidOption('shouldReconnect', 'a function', shouldReconnect)
  const backoff = normalizeBackoff(init.backoff)
  // Without reconnection options (the usual case) every source shares one frozen object.
  if (!backoff && !retryOnStatus && !shouldReconnect && maxRetries === Number.POSITIVE_INFINITY) return STANDARD_RECONNECTION
  return {backoff, maxRetries, retryOnStatus: new Set(retryOnStatus || []), shouldReconnect}
}

/**
 * Parses a `Retry-After` header: delay-seconds or an HTTP-date.
 * @returns the delay in ms (not capped: {@link decideDelay} caps every delay), or `undefined` when
 *   absent or unparsable
 */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | undefined {
  const trimmed = value?.trim() ?? ''
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  // An HTTP-date starts with a day name (IMF-fixdate, RFC 850 and asctime forms); Date.parse alone
  // would also take "-1" or "1.5" as dates long past and reconnect at once.
  if (!HTTP_DATE_START.test(trimmed)) return undefined
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs)
}

/**
 * Turns a failed or ended attempt into a decision: the delay in ms before the next attempt, or
 * `undefined` to stop. Without options it always answers what the standard does.
 * @param attempt - 1 for the first reconnection since the last successful open
 * @param reconnectionTimeMs - the current reconnection time (the option, or the server's `retry:`)
 * @param serverRetryMs - the server's `retry:` value, when it sent one: no backoff delay goes below it
 */
export function decideDelay(
  options: ReconnectionOptions,
  outcome: Outcome,
  attempt: number,
  reconnectionTimeMs: number,
  serverRetryMs: number | undefined,
): number | undefined {
  const {backoff, shouldReconnect} = options
  // [spec] "Wait a delay equal to the reconnection time of the event source."
  let delayMs = outcome.retryAfterMs ?? reconnectionTimeMs
  if (backoff && outcome.retryAfterMs === undefined) {
    // [spec] "Optionally, wait some more. In particular, if the previous attempt failed, then user
    // agents might introduce an exponential backoff delay."
    // Capping the power first keeps 0 x Infinity (a NaN delay) out.
    const grown = Math.min(backoff.maxDelay, reconnectionTimeMs * Math.min(backoff.factor ** (attempt - 1), Number.MAX_VALUE))
    delayMs = Math.max(backoff.jitter ? Math.random() * grown : grown, serverRetryMs ?? 0)
  }
  let reconnect = outcome.isRetryable && attempt <= options.maxRetries
  if (shouldReconnect) {
    try {
      const verdict = shouldReconnect(outcome.error, attempt)
      if (isMs(verdict)) {
        reconnect = true
        delayMs = verdict
      } else if (typeof verdict === 'boolean') {
        reconnect = verdict
      } else if (verdict !== undefined) {
        throw new TypeError(`EventSource: shouldReconnect must return a boolean or a delay in ms >= 0, got ${String(verdict)}`)
      }
    } catch (error) {
      // A throwing callback is a bug in the caller: report it and keep the default decision.
      reportException(error)
    }
  }
  return reconnect ? Math.min(delayMs, MAX_DELAY_MS) : undefined
}
