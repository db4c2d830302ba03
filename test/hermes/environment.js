// The globals of a React Native app, on the `hermes` VM of hermes-engine-cli 0.12, for the smoke run
// (test/hermes/smoke.js imports this module first, so it runs before the library's modules). What
// React Native installs before the app's code (InitializeCore: setUpTimers, setUpXHR, setUpGlobals)
// and the 0.12 VM lacks is provided here, in the harness only, shaped as React Native's own:
// - `global`, ordered timers (test/hermes/event-loop.js), `queueMicrotask`;
// - `AbortController`/`AbortSignal` as the abort-controller 3 polyfill React Native installs: no
//   `reason`, no `throwIfAborted()`, no `AbortSignal.timeout()`/`any()`;
// - `Headers` as whatwg-fetch's, `URLSearchParams` (React Native's own: append and toString); a `fetch` that records a call and rejects (React Native's buffers
//   the whole response: the library must never use it for the stream);
// - `XMLHttpRequest`: the scripted one of test/hermes/fake-xhr.js;
// - `URL` as React Native's: it accepts anything (`new URL('not a url')` does not throw) and joins a
//   relative URL to the base as text, so the library must not trust it.
// The web globals the React Native build must do without are checked absent (and removed where a
// VM has them), and nothing else is added.
import {installTimers, virtualNow} from './event-loop.js'
import {FakeXMLHttpRequest, useClock} from './fake-xhr.js'

/** The globals the React Native build must not need: their `typeof` when the run started. */
export const WEB_GLOBALS = ['EventTarget', 'Event', 'MessageEvent', 'DOMException', 'TextDecoder', 'TextEncoder', 'ReadableStream']
export const webGlobalsAtStart = Object.fromEntries(WEB_GLOBALS.map((name) => [name, typeof globalThis[name]]))
for (const name of WEB_GLOBALS) delete globalThis[name]

/** Calls of the global fetch (React Native's buffers the response; the stream must not use it). */
export const fetchCalls = []

/** Promise rejections no handler took (React Native reports them in development; the smoke fails on any). */
export const unhandledRejections = []
globalThis.HermesInternal?.enablePromiseRejectionTracker?.({
  allRejections: true,
  onUnhandled: (_id, error) => unhandledRejections.push(error),
  onHandled: (id) => void id,
})

globalThis.global = globalThis
installTimers()
useClock(virtualNow)
const enqueueJob = globalThis.HermesInternal?.enqueueJob
globalThis.queueMicrotask = typeof enqueueJob === 'function' ? (callback) => enqueueJob(callback) : (callback) => void Promise.resolve().then(callback)

class AbortSignal {
  aborted = false
  onabort = null
  #listeners = []
  addEventListener(type, listener) {
    if (type === 'abort' && !this.#listeners.includes(listener)) this.#listeners.push(listener)
  }
  removeEventListener(type, listener) {
    if (type === 'abort') this.#listeners = this.#listeners.filter((entry) => entry !== listener)
  }
  dispatchEvent(event) {
    if (typeof this.onabort === 'function') this.onabort.call(this, event)
    for (const listener of [...this.#listeners]) {
      if (typeof listener === 'function') listener.call(this, event)
      else listener.handleEvent(event)
    }
    return true
  }
}

class AbortController {
  signal = new AbortSignal()
  abort() {
    if (this.signal.aborted) return
    this.signal.aborted = true
    this.signal.dispatchEvent({type: 'abort', target: this.signal})
  }
}

const HEADER_NAME = /[^a-z0-9\-#$%&'*+.^_`|~!]/i
function headerName(name) {
  const text = String(name)
  if (HEADER_NAME.test(text) || text === '') throw new TypeError(`Invalid character in header field name: "${text}"`)
  return text.toLowerCase()
}

class Headers {
  #map = {}
  constructor(init) {
    if (init instanceof Headers) init.forEach((value, name) => this.append(name, value))
    else if (Array.isArray(init)) for (const [name, value] of init) this.append(name, value)
    else if (init) for (const name of Object.getOwnPropertyNames(init)) this.append(name, init[name])
  }
  append(name, value) {
    const key = headerName(name)
    this.#map[key] = key in this.#map ? `${this.#map[key]}, ${value}` : String(value)
  }
  delete(name) {
    delete this.#map[headerName(name)]
  }
  get(name) {
    const key = headerName(name)
    return key in this.#map ? this.#map[key] : null
  }
  has(name) {
    return headerName(name) in this.#map
  }
  set(name, value) {
    this.#map[headerName(name)] = String(value)
  }
  forEach(callback, thisArg) {
    for (const name of Object.keys(this.#map)) callback.call(thisArg, this.#map[name], name, this)
  }
  *keys() {
    yield* Object.keys(this.#map)
  }
  *values() {
    for (const name of Object.keys(this.#map)) yield this.#map[name]
  }
  *entries() {
    for (const name of Object.keys(this.#map)) yield [name, this.#map[name]]
  }
  [Symbol.iterator]() {
    return this.entries()
  }
}

class URLSearchParams {
  #pairs = []
  constructor(init) {
    if (init && typeof init === 'object') for (const name of Object.keys(init)) this.append(name, init[name])
  }
  append(name, value) {
    this.#pairs.push([String(name), String(value)])
  }
  toString() {
    return this.#pairs.map((pair) => pair.map(encodeURIComponent).join('=')).join('&')
  }
}

class URL {
  constructor(url, base) {
    const text = String(url)
    this.href = base === undefined || /^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `${String(base).replace(/\/$/, '')}/${text.replace(/^\//, '')}`
  }
  toString() {
    return this.href
  }
}

globalThis.AbortController = AbortController
globalThis.AbortSignal = AbortSignal
globalThis.Headers = Headers
globalThis.URL = URL
globalThis.URLSearchParams = URLSearchParams
globalThis.XMLHttpRequest = FakeXMLHttpRequest
globalThis.fetch = (input) => {
  fetchCalls.push(input)
  return Promise.reject(new TypeError('the global fetch of React Native buffers the whole response'))
}
