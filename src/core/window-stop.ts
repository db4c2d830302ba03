import {ignore} from './body.js'

// [spec] window.stop() "aborts the document": it cancels the document's fetches, and an EventSource
// whose fetch was aborted fails the connection (WPT: eventsource-request-cancellation). Chromium's
// fetch() reports that cancellation as a TypeError, the same as a lost network (`Failed to fetch`,
// or `network error` from a body read), so the source cannot tell it from the error: in a window it
// wraps `stop` to hear of it, and fails, at once, the connections whose fetch is in flight. A source
// waiting to reconnect has no fetch to cancel and reconnects, as Chromium's own does.

// What to run when the window stops: one callback per attempt in flight.
const onStop = new Set<() => void>()
// The `stop` installed here last: wrapped again only if someone replaced it since.
let wrapper: unknown

/**
 * Calls `abort` (synchronously, after the window's own `stop()`) if `window.stop()` is called before
 * the returned function is; does nothing outside a window.
 */
export function watchWindowStop(abort: () => void): () => void {
  const scope = globalThis as {document?: unknown; stop?: unknown}
  const {stop} = scope
  // Outside a window: nothing to stop, and nothing allocated per attempt.
  if (typeof scope.document !== 'object' || typeof stop !== 'function') return ignore
  if (stop !== wrapper) {
    scope.stop = wrapper = function (this: unknown, ...args: unknown[]): unknown {
      const result: unknown = Reflect.apply(stop, this, args)
      for (const callback of onStop) callback()
      return result
    }
  }
  onStop.add(abort)
  return () => onStop.delete(abort)
}
