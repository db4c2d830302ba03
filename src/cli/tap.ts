import type {FetchLike} from 'eventsource-kit'

/** What the tap reports about each attempt's response and the bytes of its body. */
export interface TapObserver {
  /** A response arrived (any status); its body is about to be read by the library, or discarded. */
  response(response: Response): void
  /** Bytes of the body of the last response, as received. */
  bytes(chunk: Uint8Array): void
  /** The body of the last response ended or was cancelled. */
  end(): void
}

/**
 * A `fetch` for the EventSource that reports each response and copies its body's bytes to `observer`
 * as the library reads them; the response is otherwise untouched (status, headers, URL, redirects).
 */
export function tapFetch(observer: TapObserver, fetchImpl: FetchLike = (url, init) => globalThis.fetch(url, init)): FetchLike {
  return async (url, init) => {
    const response = await fetchImpl(url, init)
    observer.response(response)
    const {body} = response
    if (body === null) {
      observer.end()
      return response
    }
    let hasEnded = false
    const end = (): void => {
      if (hasEnded) return
      hasEnded = true
      observer.end()
    }
    const reader = body.getReader()
    const tapped = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const {done, value} = await reader.read()
          if (done) {
            end()
            controller.close()
            return
          }
          observer.bytes(value)
          controller.enqueue(value)
        } catch (error) {
          end()
          controller.error(error)
        }
      },
      cancel(reason) {
        end()
        return reader.cancel(reason)
      },
    })
    // An own property shadows the prototype's getter: the library reads this body, and everything
    // else of the response (url, redirected) stays as fetch made it.
    Object.defineProperty(response, 'body', {value: tapped})
    return response
  }
}
