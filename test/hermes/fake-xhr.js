// A scripted XMLHttpRequest for the Hermes smoke run, shaped as React Native's own
// (Libraries/Network/XMLHttpRequest.js) shows itself to a caller: `responseText` grows by each
// decoded chunk, and only when an `onreadystatechange`/`onprogress` handler (or a listener for
// those events) was there at send(); otherwise it all arrives at the end. `responseURL` is set
// after the readystatechange of HEADERS_RECEIVED. A network error sets `responseText` to the error
// message, readyState DONE, then fires `error`; abort() empties the response, fires
// readystatechange (DONE), `abort` and `loadend` where a request was under way, and leaves
// readyState UNSENT. Each request plays the next response of the script, one virtual millisecond
// between steps.

const UNSENT = 0
const OPENED = 1
const HEADERS_RECEIVED = 2
const LOADING = 3
const DONE = 4

/**
 * The scripted server: the responses still to play, and every request sent. A response:
 * `{status = 200, headers = {'content-type': 'text/event-stream'}, url, chunks = [], end = 'close' | 'error' | 'hold'}`,
 * or a function of the request that returns one.
 */
export const server = {
  /** @type {object[]} */
  responses: [],
  /** @type {{method: string, url: string, headers: Record<string, string>, body: unknown, xhr: FakeXMLHttpRequest, sentAtMs: number}[]} */
  requests: [],
}

let clock = () => 0

/** Gives the requests their send time (the virtual clock of test/hermes/event-loop.js). */
export function useClock(now) {
  clock = now
}

export class FakeXMLHttpRequest {
  static UNSENT = UNSENT
  static OPENED = OPENED
  static HEADERS_RECEIVED = HEADERS_RECEIVED
  static LOADING = LOADING
  static DONE = DONE

  readyState = UNSENT
  status = 0
  responseURL = undefined
  responseType = ''
  withCredentials = true
  timeout = 0
  onreadystatechange = null
  onprogress = null
  onload = null
  onerror = null
  onabort = null
  onloadend = null
  ontimeout = null
  /** Whether abort() was called (what the smoke checks after close()). */
  isAborted = false
  /** The longest `responseText` this request held (what the long-stream case bounds). */
  maxResponseLength = 0
  #listeners = {}
  #method = 'GET'
  #url = ''
  #requestHeaders = {}
  #responseHeaders = {}
  #response = ''
  #hasIncrementalEvents = false
  #isSent = false
  #isFinished = false
  #hasError = false

  /** As React Native's: '' before LOADING; after a network error, the error's message. */
  get responseText() {
    return this.readyState < LOADING ? '' : this.#response
  }

  open(method, url, isAsync) {
    if (this.readyState !== UNSENT) throw new Error('Cannot open, already sending')
    if (isAsync !== undefined && !isAsync) throw new Error('Synchronous http requests are not supported')
    if (!url) throw new Error('Cannot load an empty url')
    this.#method = String(method).toUpperCase()
    this.#url = url
    this.#setReadyState(OPENED)
  }

  setRequestHeader(name, value) {
    if (this.readyState !== OPENED) throw new Error('Request has not been opened')
    this.#requestHeaders[String(name).toLowerCase()] = String(value)
  }

  getResponseHeader(name) {
    return this.#responseHeaders[String(name).toLowerCase()] ?? null
  }

  getAllResponseHeaders() {
    if (this.readyState < HEADERS_RECEIVED) return null
    const names = Object.keys(this.#responseHeaders).sort()
    return `${names.map((name) => `${name}: ${this.#responseHeaders[name]}`).join('\r\n')}\r\n`
  }

  addEventListener(type, listener) {
    if (type === 'readystatechange' || type === 'progress') this.#hasIncrementalEvents = true
    ;(this.#listeners[type] ??= []).push(listener)
  }

  removeEventListener(type, listener) {
    const list = this.#listeners[type]
    if (list) this.#listeners[type] = list.filter((entry) => entry !== listener)
  }

  send(body) {
    if (this.readyState !== OPENED) throw new Error('Request has not been opened')
    if (this.#isSent) throw new Error('Request has already been sent')
    this.#isSent = true
    this.#hasIncrementalEvents ||= Boolean(this.onreadystatechange || this.onprogress)
    const request = {method: this.#method, url: this.#url, headers: {...this.#requestHeaders}, body, xhr: this, sentAtMs: clock()}
    server.requests.push(request)
    const next = server.responses.shift() ?? {end: 'error', message: 'no scripted response left'}
    void this.#play(typeof next === 'function' ? next(request) : next)
  }

  abort() {
    this.isAborted = true
    const isUnderWay = !(this.readyState === UNSENT || (this.readyState === OPENED && !this.#isSent) || this.readyState === DONE)
    this.#isFinished = true
    if (isUnderWay) {
      this.#reset()
      this.#setReadyState(DONE)
    }
    // As React Native's: reset again, so readyState is UNSENT after an abort.
    this.#reset()
  }

  #reset() {
    this.readyState = UNSENT
    this.status = 0
    this.responseURL = undefined
    this.#response = ''
    this.#hasError = false
    this.#responseHeaders = {}
  }

  async #play({status = 200, headers = {'content-type': 'text/event-stream'}, url, chunks = [], end = 'close', message = 'Network request failed'}) {
    const step = () => new Promise((resolve) => setTimeout(resolve, 1))
    await step()
    if (this.#isFinished) return
    this.status = status
    this.#responseHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]))
    this.#setReadyState(HEADERS_RECEIVED)
    // As React Native's: responseURL is set after the readystatechange of HEADERS_RECEIVED.
    this.responseURL = url ?? this.#url
    let loaded = 0
    for (const chunk of chunks) {
      await step()
      if (this.#isFinished) return
      loaded += chunk.length
      if (!this.#hasIncrementalEvents) continue
      this.#response += chunk
      this.maxResponseLength = Math.max(this.maxResponseLength, this.#response.length)
      this.#setReadyState(LOADING)
      this.#fire('progress', {lengthComputable: false, loaded, total: -1})
    }
    if (end === 'hold') return
    await step()
    if (this.#isFinished) return
    this.#isFinished = true
    if (end === 'error') {
      this.#response = message
      this.#hasError = true
    } else if (!this.#hasIncrementalEvents) {
      // Without incremental events, the whole text arrives once, at the end.
      this.#response = chunks.join('')
      this.#setReadyState(LOADING)
    }
    this.#setReadyState(DONE)
  }

  /** As React Native's setReadyState: readystatechange, then at DONE abort, error or load, then loadend. */
  #setReadyState(state) {
    this.readyState = state
    this.#fire('readystatechange')
    if (state !== DONE) return
    this.#fire(this.isAborted ? 'abort' : this.#hasError ? 'error' : 'load')
    this.#fire('loadend')
  }

  #fire(type, fields = {}) {
    const event = {type, target: this, currentTarget: this, ...fields}
    const handler = this[`on${type}`]
    if (typeof handler === 'function') handler.call(this, event)
    for (const listener of this.#listeners[type] ?? []) listener.call(this, event)
  }
}
