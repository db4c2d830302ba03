// [non-spec] The transport of the React Native build when no `fetch` option is given: an event
// stream over XMLHttpRequest (src/core/native/exchange.ts), seen by the loop as a fetch Response
// whose body yields strings (the decoder takes a string as text already decoded). Before
// `responseText` grows large, the body renews its request with the current Last-Event-ID at an
// event boundary (src/core/native/renewal.ts): the loop sees one response and one open event.
import {extractMimeEssence} from '../mime.js'
import {toUtf8ByteString} from '../request.js'
import {withoutFragment} from '../userinfo.js'
import {abortReason, sendRequest, XhrExchange} from './exchange.js'
import {BoundaryScanner, renewalLimit} from './renewal.js'
import {URL} from './url.js'

const BOM = '\uFEFF'

/** What the body reads the current last event ID from when it renews its request: the loop's state. */
export interface LastEventIdSource {
  /** [spec] the EventSource's last event ID string, as of the events dispatched so far. */
  readonly lastEventId: string
}

/**
 * The body of an event stream over XMLHttpRequest, and its own reader: `read()` yields the text that
 * arrived since the last read (strings, never bytes), `cancel()` aborts the request. Past half the
 * {@link renewalLimit} it yields text up to the end of the first block with an `id` field, and the next `read()` first
 * sends the request again with the last event ID the loop then has (every event before the boundary
 * was dispatched by then, the last of them carried that ID); the rest of the old response is
 * dropped: the server sends it again.
 */
class XhrBody {
  #exchange: XhrExchange
  readonly #url: string
  readonly #init: RequestInit & {headers: Headers}
  readonly #source: LastEventIdSource | undefined
  // Code units of the current response read so far, and its boundary scan (from half the limit on).
  #received = 0
  #scanner: BoundaryScanner | undefined
  #isRenewalDue = false
  #isRenewed = false
  #isCancelled = false

  constructor(exchange: XhrExchange, url: string, init: RequestInit & {headers: Headers}, source: LastEventIdSource | undefined) {
    this.#exchange = exchange
    this.#url = url
    this.#init = init
    this.#source = source
  }

  /** The body is its own reader (one reader: the loop's). */
  getReader(): this {
    return this
  }

  /** The next text of the stream, `done` at its end; rejects when the request failed or was aborted. */
  async read(): Promise<ReadableStreamReadResult<string>> {
    try {
      for (;;) {
        if (this.#isCancelled) return {done: true, value: undefined}
        if (this.#isRenewalDue) await this.#renew()
        const exchange = this.#exchange
        const text = exchange.take()
        if (text !== '') {
          const piece = this.#piece(text)
          if (piece !== '') return {done: false, value: piece}
          continue
        }
        const {ending} = exchange
        if (ending?.isLoaded) return {done: true, value: undefined}
        if (ending) throw ending.error
        await exchange.changed()
      }
    } catch (error) {
      if (this.#isCancelled) return {done: true, value: undefined}
      throw error
    }
  }

  /** Aborts the request: a pending read ends with `done`. */
  async cancel(): Promise<void> {
    this.#isCancelled = true
    this.#exchange.abort(abortReason(undefined))
  }

  /** Nothing to release: the body is its own reader. */
  releaseLock(): void {}

  /** What to yield of `text`, the next text of the response: up to the boundary to renew at, if it has one. */
  #piece(text: string): string {
    if (this.#isRenewed && this.#received === 0 && text[0] === BOM) {
      // [spec] "One leading U+FEFF BYTE ORDER MARK character must be ignored": a renewed response is a stream of its own.
      text = text.slice(1)
      if (text === '') return ''
    }
    const start = this.#received
    this.#received += text.length
    const half = renewalLimit() / 2
    if (this.#received <= half) return text
    // Only a boundary past half the limit: each renewal moves the stream on by that much at least.
    const from = Math.max(0, Math.ceil(half - start))
    this.#scanner ??= new BoundaryScanner(start + from === 0)
    const cut = this.#scanner.scan(from === 0 ? text : text.slice(from))
    if (cut < 0) return text
    this.#isRenewalDue = true
    return text.slice(0, from + cut)
  }

  /**
   * Sends the request again with the current last event ID, and reads on from its response. A
   * failure (a network error, a status other than 200, another Content-Type) rejects the read: the
   * loop reconnects as after any failed read, with an error event.
   */
  async #renew(): Promise<void> {
    this.#isRenewalDue = false
    this.#exchange.abort(abortReason(undefined))
    const init = {...this.#init, headers: new Headers(this.#init.headers)}
    const lastEventId = this.#source?.lastEventId
    if (lastEventId !== undefined) {
      // [spec] "If the EventSource object's last event ID string is not the empty string, set
      // (`Last-Event-ID`, last event ID string, encoded as UTF-8) in request's header list."
      init.headers.delete('last-event-id')
      if (lastEventId !== '') init.headers.set('last-event-id', toUtf8ByteString(lastEventId))
    }
    const exchange = (this.#exchange = new XhrExchange(init.signal))
    this.#received = 0
    this.#scanner = undefined
    this.#isRenewed = true
    exchange.send(this.#url, init)
    await exchange.headersReceived()
    const contentType = exchange.headers().get('content-type')
    if (exchange.status === 200 && extractMimeEssence(contentType) === 'text/event-stream') return
    const error = new TypeError(`EventSource: the renewed request to ${this.#url} got status ${exchange.status}, Content-Type ${contentType ?? 'none'}`)
    exchange.abort(error)
    throw error
  }
}

/**
 * [non-spec] Fetches an event stream over XMLHttpRequest: resolves at the response's headers with a
 * Response-shaped object (status, headers, url, redirected, and a body whose reader yields strings),
 * rejects as fetch would (see sendRequest). `source` gives the current last event ID for a renewal.
 */
export async function fetchOverXhr(url: string, init: RequestInit & {headers: Headers}, source?: LastEventIdSource): Promise<Response> {
  const exchange = await sendRequest(url, init)
  const {status} = exchange
  // XMLHttpRequest does not tell whether it followed a redirect: a final URL other than the request's
  // (both serialized by the build's URL parser: the native side may normalize the URL it reports).
  const finalUrl = exchange.url
  const redirected = finalUrl !== '' && serialize(finalUrl) !== serialize(url)
  const response = {
    status,
    statusText: '',
    ok: status >= 200 && status < 300,
    headers: exchange.headers(),
    url: redirected ? finalUrl : url,
    redirected,
    body: new XhrBody(exchange, url, init, source),
  }
  return response as unknown as Response
}

/** A URL as the URL parser serializes it, without its fragment (a URL that does not parse: as it is). */
function serialize(url: string): string {
  try {
    return withoutFragment(new URL(url).href)
  } catch {
    return withoutFragment(url)
  }
}
