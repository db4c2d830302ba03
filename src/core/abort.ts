/**
 * [non-spec] The `signal` option: an aborted signal means close(). Calls `close` at once when
 * `signal` is already aborted, else once it aborts.
 * @returns what stops listening to `signal` (call it when the source closes otherwise), or
 *   undefined when there is nothing to stop
 */
export function closeOnAbort(signal: AbortSignal | undefined, close: () => void): (() => void) | undefined {
  if (signal?.aborted) {
    close()
  } else if (signal) {
    signal.addEventListener('abort', close, {once: true})
    return () => signal.removeEventListener('abort', close)
  }
  return undefined
}
