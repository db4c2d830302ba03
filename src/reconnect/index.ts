/**
 * `eventsource-kit/reconnect`: reconnection policies to pass as the `reconnect` option. Without one,
 * a source reconnects exactly as the standard says; with one, it backs off, gives up after
 * `maxRetries`, retries chosen HTTP statuses (honouring `Retry-After`) or asks `shouldReconnect`.
 * @packageDocumentation
 */
import type {EventSourceError, ReconnectPolicy} from 'eventsource-kit'
import {reportException} from '../core/report.js'
import {invalidOption, isCount, isMs} from '../core/validate.js'

export type {ReconnectContext, ReconnectPolicy} from 'eventsource-kit'

/**
 * Decides whether and when to reconnect; `attempt` is 1 for the first reconnection since the last open.
 * `false` stops, a number is the delay in ms, `true` reconnects, `undefined` keeps the default decision.
 *
 * @example
 * ```ts
 * const shouldReconnect: ShouldReconnect = (error) => (error instanceof HttpError && error.status === 401 ? false : undefined)
 * ```
 */
export type ShouldReconnect = (error: EventSourceError | undefined, attempt: number) => boolean | number | undefined

/**
 * The options of {@link retry}: when to reconnect besides what the standard says.
 *
 * @example
 * ```ts
 * const options: RetryOptions = {maxRetries: 5, retryOnStatus: [502, 503]}
 * ```
 */
export interface RetryOptions {
  /**
   * Reconnections in a row without a successful open; past it the source closes with a final error event.
   * @defaultValue Infinity
   */
  maxRetries?: number | undefined
  /**
   * HTTP statuses that reconnect (honouring `Retry-After`) instead of failing the connection, e.g. `[429, 502, 503, 504]`.
   * @defaultValue []
   */
  retryOnStatus?: false | readonly number[] | undefined
  /**
   * Overrides every other rule: `false` closes, a number is the delay in ms, `true` reconnects with the
   * computed delay, `undefined` keeps the default decision.
   */
  shouldReconnect?: ShouldReconnect | undefined
}

/**
 * The options of {@link backoff}: {@link RetryOptions} plus how the delay grows.
 *
 * @example
 * ```ts
 * const options: BackoffOptions = {factor: 2, maxDelay: 30_000, jitter: true, maxRetries: 10}
 * ```
 */
export interface BackoffOptions extends RetryOptions {
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

const HTTP_DATE_START = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /

/**
 * Parses a `Retry-After` header: delay-seconds or an HTTP-date.
 * @returns the delay in ms (not capped: the loop caps every delay), or `undefined` when absent or unparsable
 * @example
 * ```ts
 * parseRetryAfter('120') // 120000
 * ```
 */
export function parseRetryAfter(value: string | null | undefined, nowMs = Date.now()): number | undefined {
  const trimmed = value?.trim() ?? ''
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  // An HTTP-date starts with a day name (IMF-fixdate, RFC 850 and asctime forms); Date.parse alone
  // would also take "-1" or "1.5" as dates long past and reconnect at once.
  if (!HTTP_DATE_START.test(trimmed)) return undefined
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs)
}

/** The validated growth of a backoff, or null for none. */
type Growth = {factor: number; maxDelay: number; jitter: boolean} | null

function createPolicy(options: RetryOptions, growth: Growth): ReconnectPolicy {
  const {maxRetries = Number.POSITIVE_INFINITY, retryOnStatus = [], shouldReconnect} = options
  if (!isCount(maxRetries, 0)) throw invalidOption('maxRetries', 'a whole number >= 0 or Infinity', maxRetries)
  if (retryOnStatus !== false && !(Array.isArray(retryOnStatus) && retryOnStatus.every((status) => Number.isInteger(status) && status >= 100 && status <= 599))) {
    throw invalidOption('retryOnStatus', 'false or an array of HTTP status codes', retryOnStatus)
  }
  if (shouldReconnect !== undefined && typeof shouldReconnect !== 'function') throw invalidOption('shouldReconnect', 'a function', shouldReconnect)
  const statuses = new Set(retryOnStatus || [])
  return ({error, isRetryable, attempt, reconnectionTime, serverRetryMs}) => {
    // An HttpError with a status to retry: reconnect after its Retry-After, if it has one.
    const {status, headers} = (error ?? {}) as {status?: number; headers?: Headers}
    const isStatusRetried = status !== undefined && statuses.has(status)
    const retryAfterMs = isStatusRetried ? parseRetryAfter(headers?.get('retry-after')) : undefined
    // [spec] "Wait a delay equal to the reconnection time of the event source."
    let delayMs = retryAfterMs ?? reconnectionTime
    if (growth && retryAfterMs === undefined) {
      // [spec] "Optionally, wait some more. In particular, if the previous attempt failed, then user
      // agents might introduce an exponential backoff delay."
      // Capping the power first keeps 0 x Infinity (a NaN delay) out.
      const grown = Math.min(growth.maxDelay, reconnectionTime * Math.min(growth.factor ** (attempt - 1), Number.MAX_VALUE))
      delayMs = Math.max(growth.jitter ? Math.random() * grown : grown, serverRetryMs ?? 0)
    }
    let reconnect = (isRetryable || isStatusRetried) && attempt <= maxRetries
    if (shouldReconnect) {
      try {
        const verdict = shouldReconnect(error, attempt)
        if (isMs(verdict)) {
          reconnect = true
          delayMs = verdict
        } else if (typeof verdict === 'boolean') {
          reconnect = verdict
        } else if (verdict !== undefined) {
          throw new TypeError(`EventSource: shouldReconnect must return a boolean or ms >= 0, got ${String(verdict)}`)
        }
      } catch (thrown) {
        // A throwing callback is a bug in the caller: report it and keep the default decision.
        reportException(thrown)
      }
    }
    return reconnect ? delayMs : undefined
  }
}

/**
 * A policy that reconnects as the standard says (the reconnection time, or the server's `retry:`),
 * plus `maxRetries`, `retryOnStatus` and `shouldReconnect`.
 * @throws TypeError naming a bad option
 * @example
 * ```ts
 * import {retry} from 'eventsource-kit/reconnect'
 * new EventSource(url, {reconnect: retry({maxRetries: 5, retryOnStatus: [503]})})
 * ```
 */
export function retry(options: RetryOptions = {}): ReconnectPolicy {
  return createPolicy(options, null)
}

/**
 * A policy with exponential backoff between consecutive failed attempts (full jitter by default),
 * plus `maxRetries`, `retryOnStatus` and `shouldReconnect`. A delay starts from the reconnection
 * time; a `Retry-After` of a retried status is waited as sent.
 * @throws TypeError naming a bad option
 * @example
 * ```ts
 * import {backoff} from 'eventsource-kit/reconnect'
 * new EventSource(url, {reconnect: backoff({maxDelay: 60_000, maxRetries: 10})})
 * ```
 */
export function backoff(options: BackoffOptions = {}): ReconnectPolicy {
  const {factor = 2, maxDelay = 30_000, jitter = true} = options
  if (!(Number.isFinite(factor) && factor >= 1)) throw invalidOption('factor', 'a finite number >= 1', factor)
  if (!isMs(maxDelay)) throw invalidOption('maxDelay', 'a finite number of milliseconds >= 0', maxDelay)
  if (typeof jitter !== 'boolean') throw invalidOption('jitter', 'a boolean', jitter)
  return createPolicy(options, {factor, maxDelay, jitter})
}
