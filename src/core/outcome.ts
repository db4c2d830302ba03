import {NetworkError} from './errors.js'
import {watchWait} from './platform.js'
import {MAX_DELAY_MS, type Outcome, type ReconnectPolicy} from './policy.js'
import {reportException} from './report.js'

// Schemes a fetch can load; a network error for any other scheme will not go away by retrying.
const FETCHABLE_SCHEMES = /^(?:https?|data|blob):$/

/**
 * A network error of the request to `url`: [spec] "If res is an aborted network error, then fail the
 * connection." (After a close() the outcome is not looked at.) "Otherwise, if res is a network error,
 * then reestablish the connection, unless the user agent knows that to be futile, in which case the
 * user agent may fail the connection." A URL scheme that fetch cannot load (ftp:, mailto:, about:,
 * javascript:) is futile.
 */
export function networkOutcome(url: string, cause: unknown): Outcome {
  const isRetryable = (cause as {name?: unknown} | null)?.name !== 'AbortError' && FETCHABLE_SCHEMES.test(new URL(url).protocol)
  return {error: new NetworkError(url, cause), isRetryable}
}

/**
 * [spec] "Wait a delay equal to the reconnection time of the event source" when the outcome is one to
 * reconnect after; [non-spec] the `reconnect` policy decides instead when there is one (a throwing
 * one is reported, and the standard's decision stands).
 * @param attempt - 1 for the first reconnection since the last successful open
 * @returns the delay in ms (at most what a timer can wait), or undefined to fail the connection
 */
export function decideDelay(
  policy: ReconnectPolicy | undefined,
  outcome: Outcome,
  attempt: number,
  reconnectionTime: number,
  serverRetryMs: number | undefined,
): number | undefined {
  let delayMs = outcome.isRetryable ? reconnectionTime : undefined
  if (policy) {
    try {
      delayMs = policy({...outcome, attempt, reconnectionTime, serverRetryMs})
    } catch (error) {
      reportException(error)
    }
  }
  return delayMs === undefined ? undefined : Math.min(delayMs, MAX_DELAY_MS)
}

/**
 * The wait before a reconnection, as the loop's sleep takes it: calls `done` after `delayMs` ([non-spec]
 * or when the browser build hears the network come back); returns what stops waiting.
 */
export function wait(delayMs: number): (done: () => void) => () => void {
  return (done) => {
    // The timer keeps a Node process alive: users expect the stream to come back.
    const timer = setTimeout(done, delayMs)
    const stopWatching = watchWait(done)
    return () => {
      clearTimeout(timer)
      stopWatching()
    }
  }
}
