const SNIPPET_BYTES = 1024
const SNIPPET_TIMEOUT_MS = 1000

/** Does nothing: swallows a rejection nobody waits for (a cancel that may fail), or stands for a callback with nothing to do. */
export const ignore = (): void => {}

/** Cancels a body we will not read, so its connection is released. */
export function discard(body: ReadableStream<Uint8Array> | null): void {
  body?.cancel().catch(ignore)
}

/**
 * Reads the first 1 KiB of an error response as text for `HttpError.body`, giving up after one
 * second (a server may stall or stream forever), then cancels the rest. [non-spec] A body of
 * strings (the React Native build's XHR transport) counts UTF-16 code units instead of bytes.
 */
export async function readSnippet(body: ReadableStream<Uint8Array | string> | null | undefined): Promise<string | undefined> {
  if (!body) return undefined
  const reader = body.getReader()
  const decoder = new TextDecoder()
  const cancel = (): void => void reader.cancel().catch(ignore)
  let hasTimedOut = false
  const timer = setTimeout(() => {
    hasTimedOut = true
    cancel()
  }, SNIPPET_TIMEOUT_MS)
  let text = ''
  try {
    for (let bytes = 0; bytes < SNIPPET_BYTES; ) {
      const {done, value} = await reader.read()
      // A stalled body (the cancel above ends the pending read): what arrived in time, below.
      if (done || hasTimedOut) break
      const part = value.slice(0, SNIPPET_BYTES - bytes)
      text += typeof part === 'string' ? part : decoder.decode(part, {stream: true})
      bytes += part.length
    }
    if (!hasTimedOut) return text + decoder.decode()
  } catch {
    // A body that broke off: what arrived before, below.
  } finally {
    clearTimeout(timer)
    cancel()
  }
  return text || undefined
}
