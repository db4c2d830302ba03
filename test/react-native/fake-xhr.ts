// A stand-in for React Native's XMLHttpRequest (Libraries/Network/XMLHttpRequest.js, 0.76 to 0.88),
// driven by a real request to a loopback node:http server instead of RCTNetworking. It keeps what
// the transport depends on: redirects followed natively, `responseText` grows by each decoded chunk, readyState 3 and a
// `progress` event per chunk only when `onreadystatechange` or `onprogress` was set at `send()`
// (else the whole text arrives at the end), `responseURL` set just after readyState 2, an error
// that puts its message in `responseText` with readyState 4 before the `error` event, and abort()
// firing readyState 4 and `abort` for a request in flight.
import {request as httpRequest, type ClientRequest, type IncomingMessage} from 'node:http'
import {random} from '../helpers.js'

const UNSENT = 0
const OPENED = 1
const HEADERS_RECEIVED = 2
const LOADING = 3
const DONE = 4

/** How the fake cuts each decoded chunk before appending it (default: as it came). */
export type Splitter = (text: string) => string[]

/** What the tests see of every fake request. */
export interface XhrRecord {
  readonly method: string
  readonly url: string
  readonly headers: Record<string, string>
  readonly withCredentials: boolean
  readonly isIncremental: boolean
  readonly body: unknown
  /** The largest `responseText` this request held. */
  maxResponseText: number
  /** Whether the request is in flight (sent, neither ended nor aborted). */
  isLive: boolean
}

/** A splitter that cuts text into pieces of 1 to `maxSize` code units, at random from `seed` (replayable). */
export function randomSplit(seed: number, maxSize = 8): Splitter {
  const nextRandom = random(seed)
  return (text) => {
    const pieces: string[] = []
    for (let start = 0; start < text.length; ) {
      const size = 1 + Math.floor(nextRandom() * maxSize)
      pieces.push(text.slice(start, (start += size)))
    }
    return pieces
  }
}

type Handler = ((this: FakeXMLHttpRequest, event: Event) => void) | null

export class FakeXMLHttpRequest extends EventTarget {
  static readonly UNSENT = UNSENT
  static readonly OPENED = OPENED
  static readonly HEADERS_RECEIVED = HEADERS_RECEIVED
  static readonly LOADING = LOADING
  static readonly DONE = DONE
  /** Every request sent, in order. */
  static records: XhrRecord[] = []
  /** How each decoded chunk is cut before it is appended. */
  static split: Splitter = (text) => [text]
  /**
   * Whether the text of a response is held until it ends or fails, then delivered with its end in
   * the same turn, before any promise job runs: React Native's bridge (before the new architecture)
   * hands JavaScript the native events of a frame in one batch.
   */
  static isBatched = false

  readyState = UNSENT
  status = 0
  responseURL: string | undefined
  withCredentials = true
  timeout = 0
  onreadystatechange: Handler = null
  onprogress: Handler = null
  onload: Handler = null
  onerror: Handler = null
  onabort: Handler = null
  ontimeout: Handler = null
  onloadend: Handler = null
  onloadstart: Handler = null

  #method = 'GET'
  #url = ''
  #headers: Record<string, string> = {}
  #responseHeaders: Record<string, string> | undefined
  #response = ''
  #hasError = false
  #held = ''
  #isAborted = false
  #isSent = false
  #request: ClientRequest | undefined
  #record: XhrRecord | undefined

  /** Live requests: sent, and neither ended nor aborted. */
  static live(): number {
    return FakeXMLHttpRequest.records.filter((record) => record.isLive).length
  }

  /** Clears the records and the splitter (between tests). */
  static reset(): void {
    FakeXMLHttpRequest.records = []
    FakeXMLHttpRequest.split = (text) => [text]
    FakeXMLHttpRequest.isBatched = false
  }

  get responseText(): string {
    return this.readyState < LOADING ? '' : this.#response
  }

  open(method: string, url: string, isAsync?: boolean): void {
    if (this.readyState !== UNSENT) throw new Error('Cannot open, already sending')
    if (isAsync === false) throw new Error('Synchronous http requests are not supported')
    this.#method = method.toUpperCase()
    this.#url = url
    this.#setReadyState(OPENED)
  }

  setRequestHeader(name: string, value: string): void {
    if (this.readyState !== OPENED) throw new Error('Request has not been opened')
    const key = name.toLowerCase()
    this.#headers[key] = this.#headers[key] === undefined ? String(value) : `${this.#headers[key]}, ${value}`
  }

  getAllResponseHeaders(): string | null {
    const headers = this.#responseHeaders
    if (!headers) return null
    return Object.keys(headers)
      .sort()
      .map((name) => `${name}: ${headers[name]}`)
      .join('\r\n')
      .concat('\r\n')
  }

  send(body?: unknown): void {
    if (this.readyState !== OPENED || this.#isSent) throw new Error('Request has not been opened')
    this.#isSent = true
    // React Native: `this._incrementalEvents || !!this.onreadystatechange || !!this.onprogress`.
    const isIncremental = this.onreadystatechange !== null || this.onprogress !== null
    const record: XhrRecord = {
      method: this.#method,
      url: this.#url,
      headers: {...this.#headers},
      withCredentials: this.withCredentials,
      isIncremental,
      body,
      maxResponseText: 0,
      isLive: true,
    }
    this.#record = record
    FakeXMLHttpRequest.records.push(record)
    this.#fetch(this.#url, this.#method, typeof body === 'string' ? body : undefined, isIncremental, 0)
  }

  /** Sends one request; like the native stacks, follows redirects (a 303, or a 301/302 of a POST, as a GET). */
  #fetch(url: string, method: string, body: string | undefined, isIncremental: boolean, redirects: number): void {
    const request = httpRequest(url, {method, headers: this.#headers}, (response) => {
      const {statusCode = 0, headers} = response
      if ([301, 302, 303, 307, 308].includes(statusCode) && headers.location && redirects < 20) {
        response.resume()
        const isToGet = statusCode === 303 || (statusCode < 303 && method === 'POST')
        return this.#fetch(new URL(headers.location, url).href, isToGet ? 'GET' : method, isToGet ? undefined : body, isIncremental, redirects + 1)
      }
      this.#receive(response, isIncremental, url)
    })
    this.#request = request
    request.on('error', (error) => this.#complete(error.message))
    request.end(body)
  }

  abort(): void {
    this.#isAborted = true
    this.#stop()
    const isInFlight = !(this.readyState === UNSENT || (this.readyState === OPENED && !this.#isSent) || this.readyState === DONE)
    if (isInFlight) {
      this.#response = ''
      this.#setReadyState(DONE)
    }
    this.readyState = UNSENT
  }

  #receive(response: IncomingMessage, isIncremental: boolean, url: string): void {
    if (this.#isAborted) return
    this.status = response.statusCode ?? 0
    this.#responseHeaders = Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]))
    this.#setReadyState(HEADERS_RECEIVED)
    // The native stacks report the final URL as they serialize it (without its fragment).
    this.responseURL = new URL(url).href.replace(/#.*$/, '')
    // Android decodes through a streaming UTF-8 decoder (Java's keeps a byte order mark); iOS keeps the
    // bytes of a split character for the next chunk.
    const decoder = new TextDecoder('utf-8', {ignoreBOM: true})
    const append = (text: string): void => {
      if (FakeXMLHttpRequest.isBatched) this.#held += text
      else this.#append(text)
    }
    let whole = ''
    response.on('data', (chunk: Buffer) => {
      const text = decoder.decode(chunk, {stream: true})
      if (isIncremental) append(text)
      else whole += text
    })
    response.on('end', () => {
      const rest = decoder.decode()
      if (isIncremental) append(rest)
      else {
        this.#response = whole + rest
        this.#setReadyState(LOADING)
      }
      this.#complete('')
    })
    response.on('error', (error) => this.#complete(error.message || 'Software caused connection abort'))
    response.on('aborted', () => this.#complete('Software caused connection abort'))
  }

  #append(text: string): void {
    for (const piece of FakeXMLHttpRequest.split(text)) {
      if (this.#isAborted || this.#hasError) return
      this.#response += piece
      const record = this.#record as XhrRecord
      record.maxResponseText = Math.max(record.maxResponseText, this.#response.length)
      this.#setReadyState(LOADING)
      this.#fire('progress')
    }
  }

  /** React Native's `__didCompleteResponse`: an error replaces `responseText` with its message. */
  #complete(error: string): void {
    if (this.#isAborted || this.readyState === DONE || !this.#record?.isLive) return
    // A batch: the text held so far, then the end, in one turn.
    const held = this.#held
    this.#held = ''
    if (held) this.#append(held)
    this.#stop()
    if (error) {
      this.#response = error
      this.#hasError = true
    }
    this.#setReadyState(DONE)
  }

  #stop(): void {
    if (this.#record) this.#record.isLive = false
    this.#request?.destroy()
    this.#request = undefined
  }

  #setReadyState(state: number): void {
    this.readyState = state
    this.#fire('readystatechange')
    if (state !== DONE) return
    this.#fire(this.#isAborted ? 'abort' : this.#hasError ? 'error' : 'load')
    this.#fire('loadend')
  }

  #fire(type: string): void {
    const event = new Event(type)
    this.dispatchEvent(event)
    const handler = (this as unknown as Record<string, Handler>)[`on${type}`]
    handler?.call(this, event)
  }
}

/** Installs the fake as the global XMLHttpRequest (React Native's setUpXHR installs its own); returns what removes it. */
export function installFakeXhr(): () => void {
  FakeXMLHttpRequest.reset()
  Object.defineProperty(globalThis, 'XMLHttpRequest', {value: FakeXMLHttpRequest, configurable: true, writable: true})
  return () => Reflect.deleteProperty(globalThis, 'XMLHttpRequest')
}
