// A scripted XMLHttpRequest for the Hermes smoke run, shaped as React Native's own
// (Libraries/Network/XMLHttpRequest.js) shows itself to a caller: `responseText` grows by each
// decoded chunk, and only when an `onreadystatechange`/`onprogress` handler (or a listener for
// those events) was there at send(); otherwise it all arrives at the end. A network error sets
// `responseText` to the error message, readyState DONE, then fires `error`; abort() empties the
// response, fires readystatechange (DONE) and `abort` where a request was under way. Each request
// plays the next response of the script with one virtual millisecond between steps.

const UNSENT = 0
const OPENED = 1
const HEADERS_RECEIVED = 2
const LOADING = 3
const DONE = 4

/**
 * The scripted server: the responses still to play, and every request sent.
 * A response: `{status = 200, headers = {'content-type': 'text/event-stream'}, url, chunks = [], end = 'close' | 'error' | 'hold'}`.
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
  responseText = ''
  responseURL = ''
  responseType = ''
  withCredentials = false
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
  #listeners = {}
  #method = 'GET'
  #url = ''
  #requestHeaders = {}
  #responseHeaders = {}
  #hasIncrementalEvents = false
  #isSent = false
  #isFinished = false
  #held = ''

  open(method, url) {
    this.#method = method
    this.#url = url
    this.#setReadyState(OPENED)
  }

  setRequestHeader(name, value) {
    if (this.readyState !== OPENED) throw new Error('Request has not been opened')
    const key = String(name).toLowerCase()
    this.#requestHeaders[key] = key in this.#requestHeaders ? `${this.#requestHeaders[key]}, ${value}` : String(value)
  }

  getResponseHeader(name) {
    return this.#responseHeaders[String(name).toLowerCase()] ?? null
  }

  getAllResponseHeaders() {
    if (this.readyState < HEADERS_RECEIVED) return null
    return Object.keys(this.#responseHeaders)
      .sort()
      .map((name) => `${name}: ${this.#responseHeaders[name]}\r\n`)
      .join('')
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
    if (this.readyState !== OPENED || this.#isSent) throw new Error('Request has not been opened')
    this.#isSent = true
    this.#hasIncrementalEvents ||= Boolean(this.onreadystatechange || this.onprogress)
    server.requests.push({method: this.#method, url: this.#url, headers: {...this.#requestHeaders}, body, xhr: this, sentAtMs: clock()})
    const response = server.responses.shift() ?? {end: 'error', message: 'no scripted response left'}
    void this.#play(response)
  }

  abort() {
    this.isAborted = true
    const isUnderWay = !(this.readyState === UNSENT || (this.readyState === OPENED && !this.#isSent) || this.readyState === DONE)
    this.#isFinished = true
    if (isUnderWay) {
      this.#reset()
      this.#setReadyState(DONE)
      this.#fire('abort')
      this.#fire('loadend')
    }
    this.#reset()
  }

  #reset() {
    this.responseText = ''
    this.status = 0
    this.#responseHeaders = {}
  }

  async #play({status = 200, headers = {'content-type': 'text/event-stream'}, url, chunks = [], end = 'close', message = 'Network request failed'}) {
    const step = () => new Promise((resolve) => setTimeout(resolve, 1))
    await step()
    if (this.#isFinished) return
    this.status = status
    this.responseURL = url ?? this.#url
    this.#responseHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]))
    this.#setReadyState(HEADERS_RECEIVED)
    for (const chunk of chunks) {
      await step()
      if (this.#isFinished) return
      if (!this.#hasIncrementalEvents) {
        this.#held += chunk
        continue
      }
      this.responseText += chunk
      this.#setReadyState(LOADING)
      this.#fire('progress', {lengthComputable: false, loaded: this.responseText.length, total: -1})
    }
    if (end === 'hold') return
    await step()
    if (this.#isFinished) return
    this.#isFinished = true
    if (end === 'error') {
      this.responseText = message
      this.#setReadyState(DONE)
      this.#fire('error')
    } else {
      this.responseText += this.#held
      this.#setReadyState(DONE)
      this.#fire('load')
    }
    this.#fire('loadend')
  }

  #setReadyState(state) {
    this.readyState = state
    this.#fire('readystatechange')
  }

  #fire(type, fields = {}) {
    const event = {type, target: this, currentTarget: this, ...fields}
    const handler = this[`on${type}`]
    if (typeof handler === 'function') handler.call(this, event)
    for (const listener of this.#listeners[type] ?? []) listener.call(this, event)
  }
}
