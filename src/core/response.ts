import {discard, readSnippet} from './body.js'
import {ContentTypeError, HttpError} from './errors.js'
import {extractMimeEssence} from './mime.js'

/**
 * [spec] The EventSource's check of a response: "if res's status is not 200, or if res's
 * `Content-Type` is not `text/event-stream`, then fail the connection." Returns the error that
 * fails it (an HttpError carries the start of the body; a wrong type's body is cancelled), or
 * `undefined` for a response to interpret. Shared by the connection and `parseEventStream`.
 */
export async function checkResponse(response: Response, url: string): Promise<HttpError | ContentTypeError | undefined> {
  if (response.status !== 200) return new HttpError(response, url, await readSnippet(response.body))
  const contentType = response.headers.get('content-type')
  if (extractMimeEssence(contentType) === 'text/event-stream') return undefined
  discard(response.body)
  return new ContentTypeError(contentType, url)
}
