/**
 * [spec] "Report the exception" the platform's way: `reportError` where it exists, else an uncaught
 * error thrown from a microtask, before any other I/O runs (Node's EventTarget reports a listener's
 * exception from `process.nextTick`).
 */
export function reportException(error: unknown): void {
  if (typeof reportError === 'function') reportError(error)
  else
    queueMicrotask(() => {
      throw error
    })
}
