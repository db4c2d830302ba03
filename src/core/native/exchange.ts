// [non-spec] One request of the React Native build over XMLHttpRequest, read as text
// (src/core/native/xhr.ts makes the transport of it). React Native's global fetch is whatwg-fetch
// over XMLHttpRequest: its promise waits for the end of the response and its Response has no body
// stream, so an event stream never arrives through it. Its XMLHttpRequest does stream: when an
// `onreadystatechange` or `onprogress` handler is set at `send()`, the native side appends each
// decoded chunk to `responseText` and fires readyState 3 (LOADING) and a `progress` event.

import {ignore} from '../body.js'

// XMLHttpRequest's readyState values.
const HEADERS_RECEIVED = 2
const LOADING = 3
// The longest native error message (React Native puts it in `responseText`) kept as a failure's cause.
const MAX_DETAIL_LENGTH = 512

/** How a request ended: loaded, or failed (a network error, an abort) with `error`; undefined while it runs. */
export type Ending = {readonly isLoaded: true} | {readonly isLoaded: false; readonly error: unknown} | undefined

const LOADED = {isLoaded: true} as const

/**
 * Why a request was aborted, as fetch rejects with it: the signal's reason. [non-spec] An
 * AbortSignal without `reason` (React Native 0.76's, from the abort-controller package) tells none,
 * so the loop cannot tell a pause or its watchdog from close(): the request then fails as a network
 * error (a TypeError whose cause is named "AbortError"), after which the source reconnects rather
 * than fail (after a close() nothing looks at it).
 */
export function abortReason(signal: AbortSignal | null | undefined): unknown {
  if (signal?.reason !== undefined) return signal.reason
  const cause = new Error('The operation was aborted.')
  cause.name = 'AbortError'
  return new TypeError('Network request failed', {cause})
}

/** The fetch init's body as XMLHttpRequest sends it, and the Content-Type fetch would give it. */
function bodyOf(body: RequestInit['body']): {data: unknown; contentType: string | undefined} {
  if (typeof body === 'string') return {data: body, contentType: 'text/plain;charset=UTF-8'}
  if (typeof URLSearchParams === 'function' && body instanceof URLSearchParams) return {data: `${body}`, contentType: 'application/x-www-form-urlencoded;charset=UTF-8'}
  const type = (body as {type?: unknown} | null | undefined)?.type
  return {data: body ?? null, contentType: typeof type === 'string' && type !== '' ? type : undefined}
}

/** Parses `getAllResponseHeaders()` (`name: value` lines joined by CRLF) into Headers; a line Headers refuses is left out. */
export function parseResponseHeaders(text: string | null): Headers {
  const headers = new Headers()
  for (const line of (text ?? '').split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    try {
      headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim())
    } catch {
      // A name or value this platform's Headers refuses.
    }
  }
  return headers
}

/**
 * One request over XMLHttpRequest, read as text: `take()` returns only what arrived since the last
 * call (an offset into `responseText`, which is never scanned again). What arrived is taken at each
 * progress event, as it comes: React Native replaces `responseText` with the error message when the
 * request fails, and its bridge may hand over the last text and the failure in one batch, before
 * a read runs. Sent by {@link sendRequest}.
 */
export class XhrExchange {
  readonly #xhr = new XMLHttpRequest()
  readonly #signal: AbortSignal | null | undefined
  #offset = 0
  // `responseText` as of the last progress event (the string itself, not a copy).
  #text = ''
  #ending: Ending
  #wake: (() => void) | undefined
  // Settles headersReceived(): at the headers (undefined), or with the failure before them.
  #onHeaders: ((failure: Ending) => void) | undefined
  readonly #headers: Promise<void>
  readonly #onAbort = (): void => this.abort(abortReason(this.#signal))

  /** @param signal - the attempt's signal: its abort aborts the request */
  constructor(signal: AbortSignal | null | undefined) {
    this.#signal = signal
    this.#headers = new Promise((resolve, reject) => {
      this.#onHeaders = (failure) => (failure?.isLoaded === false ? reject(failure.error) : resolve())
    })
    // Nobody may wait for it (a request aborted before its headers).
    this.#headers.catch(ignore)
  }

  /** Resolves once the response's headers arrived; rejects with how the request failed before them. */
  headersReceived(): Promise<void> {
    return this.#headers
  }

  /** The response's status (0 before the headers). */
  get status(): number {
    return this.#xhr.status
  }

  /** The response's final URL (after the redirects the platform followed), or '' when it tells none. */
  get url(): string {
    return this.#xhr.responseURL ?? ''
  }

  /** The response's headers. */
  headers(): Headers {
    return parseResponseHeaders(this.#xhr.getAllResponseHeaders())
  }

  /** How the request ended, or undefined while it runs. */
  get ending(): Ending {
    return this.#ending
  }

  /**
   * The text that arrived since the last call ('' when none): after a failure, what arrived before
   * it (never the error message React Native puts in `responseText`); after an abort, nothing.
   */
  take(): string {
    const text = this.#text
    const added = text.slice(this.#offset)
    this.#offset = text.length
    return added
  }

  /** Keeps `responseText` as it is at a progress event or the end: the text to take from. */
  #collect(): void {
    const xhr = this.#xhr
    if (xhr.readyState >= LOADING) this.#text = xhr.responseText
  }

  /** Resolves at the next news from the request: more text, its end, or its failure. */
  changed(): Promise<void> {
    return new Promise((resolve) => (this.#wake = resolve))
  }

  /** Opens and sends the request; throws what XMLHttpRequest throws for a request it refuses. */
  send(url: string, init: RequestInit & {headers: Headers}): void {
    const xhr = this.#xhr
    xhr.open(init.method ?? 'GET', url, true)
    const {data, contentType} = bodyOf(init.body)
    const {headers} = init
    if (contentType !== undefined && !headers.has('content-type')) headers.set('content-type', contentType)
    // [spec] Fetch "HTTP-network-or-cache fetch": a request whose cache mode is "no-store" gets
    // `Pragma: no-cache` and `Cache-Control: no-cache` unless it has them (XMLHttpRequest has no cache mode).
    if (init.cache === 'no-store' || init.cache === 'reload') {
      if (!headers.has('pragma')) headers.set('pragma', 'no-cache')
      if (!headers.has('cache-control')) headers.set('cache-control', 'no-cache')
    }
    headers.forEach((value, name) => xhr.setRequestHeader(name, value))
    // As React Native's fetch does: "include" sends cookies, "omit" none, "same-origin" keeps the platform's default.
    if (init.credentials === 'include') xhr.withCredentials = true
    else if (init.credentials === 'omit') xhr.withCredentials = false
    // Set before send(): React Native streams `responseText` only when one of the first two is set then.
    const listener = (event: Event): void => this.#handle(event)
    xhr.onreadystatechange = xhr.onprogress = xhr.onload = xhr.onerror = xhr.ontimeout = xhr.onabort = listener
    this.#signal?.addEventListener('abort', this.#onAbort)
    xhr.send(data as XMLHttpRequestBodyInit | null)
  }

  /** Stops the request (its read ends with `reason`): no handler of it runs after this. */
  abort(reason: unknown): void {
    if (this.#ending !== undefined) return
    this.#text = ''
    this.#end({isLoaded: false, error: reason})
    const xhr = this.#xhr
    xhr.onreadystatechange = xhr.onprogress = xhr.onload = xhr.onerror = xhr.ontimeout = xhr.onabort = null
    xhr.abort()
  }

  #handle(event: Event): void {
    if (this.#ending !== undefined) return
    const xhr = this.#xhr
    switch (event.type) {
      case 'readystatechange':
      case 'progress':
        // readyState 4 comes before `load`, `error` or `abort`, which tell how it ended.
        if (xhr.readyState !== HEADERS_RECEIVED && xhr.readyState !== LOADING) return
        this.#headersReceived()
        this.#collect()
        return this.#notify()
      case 'load':
        this.#headersReceived()
        this.#collect()
        return this.#end(LOADED)
      case 'abort':
        return this.#end({isLoaded: false, error: abortReason(this.#signal)})
      default: {
        // `error` or `timeout`: [non-spec] rejected as React Native's fetch does, with the native message as the cause.
        const detail = xhr.responseText
        const cause = detail && detail.length <= MAX_DETAIL_LENGTH ? new Error(detail) : undefined
        return this.#end({isLoaded: false, error: new TypeError('Network request failed', {cause})})
      }
    }
  }

  /** Wakes the read waiting in changed(). */
  #notify(): void {
    const wake = this.#wake
    this.#wake = undefined
    wake?.()
  }

  #headersReceived(): void {
    const onHeaders = this.#onHeaders
    this.#onHeaders = undefined
    onHeaders?.(undefined)
  }

  #end(ending: NonNullable<Ending>): void {
    this.#ending = ending
    this.#signal?.removeEventListener('abort', this.#onAbort)
    const onHeaders = this.#onHeaders
    this.#onHeaders = undefined
    onHeaders?.(ending.isLoaded ? undefined : ending)
    this.#notify()
  }
}

/**
 * Sends one request over XMLHttpRequest (`init` as fetch takes it, already built by the loop) and
 * resolves once its headers arrive; rejects like fetch: a TypeError "Network request failed" for a
 * network error, the signal's reason once aborted (see abortReason()), and what XMLHttpRequest
 * throws for a request it refuses.
 */
export async function sendRequest(url: string, init: RequestInit & {headers: Headers}): Promise<XhrExchange> {
  if (init.signal?.aborted) throw abortReason(init.signal)
  const exchange = new XhrExchange(init.signal)
  try {
    exchange.send(url, init)
  } catch (error) {
    exchange.abort(error)
  }
  await exchange.headersReceived()
  return exchange
}
