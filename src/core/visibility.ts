/** The part of `document` that page visibility needs. */
interface VisibilityDocument extends EventTarget {
  readonly visibilityState: string
}

/** The page's document where there is one (a window), else `undefined` (workers, Node, Deno, Bun). */
export function visibilityDocument(): VisibilityDocument | undefined {
  const document = (globalThis as {document?: Partial<VisibilityDocument>}).document
  const hasVisibility = typeof document?.visibilityState === 'string' && typeof document.addEventListener === 'function'
  return hasVisibility ? (document as VisibilityDocument) : undefined
}

/** Whether the page is hidden (a background tab, a minimised window). */
export function isHidden(document: VisibilityDocument): boolean {
  return document.visibilityState === 'hidden'
}

/**
 * Calls `onChange` each time the page becomes hidden (`hidden` true) or visible again (`hidden`
 * false); returns the function that stops listening.
 */
export function watchVisibility(document: VisibilityDocument, hidden: boolean, onChange: () => void): () => void {
  const listener = (): void => {
    if (isHidden(document) === hidden) onChange()
  }
  document.addEventListener('visibilitychange', listener)
  return () => document.removeEventListener('visibilitychange', listener)
}

/** Calls `onHide` each time the page becomes hidden; returns the function that stops listening. */
export function watchHidden(document: VisibilityDocument, onHide: () => void): () => void {
  return watchVisibility(document, true, onHide)
}

/** Resolves when the page becomes visible, or when `signal` aborts. */
export function whenVisible(document: VisibilityDocument, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      if (isHidden(document) && !signal.aborted) return
      document.removeEventListener('visibilitychange', done)
      signal.removeEventListener('abort', done)
      resolve()
    }
    document.addEventListener('visibilitychange', done)
    signal.addEventListener('abort', done)
    done()
  })
}
