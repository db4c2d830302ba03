/** [spec] "Report the exception" the platform's way: `reportError` where it exists, else an uncaught error. */
export function reportException(error: unknown): void {
  if (typeof reportError === 'function') reportError(error)
  else
    setTimeout(() => {
      throw error
    })
}
