const SNIPPET_BYTES = 1024
const SNIPPET_TIMEOUT_MS = 1000

/** Cancels a body we will not read, so its connection is released. */
export function discard(body: ReadableStream<Uint8Array> | null): void {
  body?.cancel().catch(() => {})
}

/**
 * Reads the first 1 KiB of an error response as text for `HttpError.body`, giving up after one
 * second (a server may stall or stream forever), then cancels the rest.
 */
export async function readSnippet(body: ReadableStream<Uint8Array> | null): Promise<string | undefined> {
  if (body === null) return undefined
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let hasTimedOut = false
  const timer = setTimeout(() => {
    hasTimedOut = true
    reader.cancel().catch(() => {})
  }, SNIPPET_TIMEOUT_MS)
  let text = ''
  try {
    for (let bytes = 0; bytes < SNIPPET_BYTES; ) {
      const {done, value} = await reader.read()
      // A stalled body: what arrived in time, or nothing at all.
      if (hasTimedOut) return text === '' ? undefined : text
      if (done) break
      const part = value.subarray(0, SNIPPET_BYTES - bytes)
      text += decoder.decode(part, {stream: true})
      bytes += part.byteLength
    }
    return text + decoder.decode()
  } catch {
    return text === '' ? undefined : text
  } finally {
    clearTimeout(timer)
    reader.cancel().catch(() => {})
  }
}
