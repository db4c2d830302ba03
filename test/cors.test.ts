import {retry} from '../src/reconnect/index.js'
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'
import {CorsError, EventSource, type EventSourceInit, NetworkError} from '../src/index.js'
import {streamResponse, until} from './helpers.js'
import {errorsOf, source as createSource} from './resilience-helpers.js'

// [spec] A failed CORS check is a network error, and a network error reestablishes the connection
// "unless the user agent knows that to be futile, in which case the user agent may fail the
// connection". fetch() rejects a CORS refusal with the same TypeError as an offline network; the
// source tells them apart with a no-cors probe of the same URL, in a page or worker only (the
// environments whose fetch enforces CORS). The browser's own behaviour: e2e/standard-cors.spec.ts.

const PAGE_ORIGIN = 'http://127.0.0.1:8080'
const CROSS_URL = 'http://127.0.0.1:8082/stream'

/** Makes globalThis look like a window of PAGE_ORIGIN: a document and a location. */
function inPage(): void {
  vi.stubGlobal('document', {baseURI: `${PAGE_ORIGIN}/page.html`})
  vi.stubGlobal('location', {origin: PAGE_ORIGIN, href: `${PAGE_ORIGIN}/page.html`})
}

interface Call {
  url: string
  init: RequestInit
}

/**
 * A fetch as a browser's behaves against a server that answers without CORS headers: a "cors" request
 * rejects with a TypeError, a "no-cors" one resolves (an opaque response). `reachable: false` is
 * being offline: everything rejects. `allowFirst` lets the first cors request through with `body`.
 */
function browserFetch({reachable = true, allowFirst}: {reachable?: boolean; allowFirst?: string} = {}) {
  const calls: Call[] = []
  const fetch = async (url: string, init: RequestInit): Promise<Response> => {
    calls.push({url, init})
    if (!reachable) throw new TypeError('Failed to fetch')
    if (init.mode === 'no-cors') {
      return new Response(new ReadableStream<Uint8Array>({}), {status: 200})
    }
    if (allowFirst !== undefined && calls.length === 1) return streamResponse([new TextEncoder().encode(allowFirst)])
    throw new TypeError('Failed to fetch')
  }
  return {fetch, calls}
}

/** A source on the cross origin (or `url`). */
const source = (init: EventSourceInit, url = CROSS_URL) => createSource(init, url)

const probes = (calls: Call[]) => calls.filter((call) => call.init.mode === 'no-cors')

beforeEach(() => {
  vi.useRealTimers()
})
afterEach(() => {
  vi.unstubAllGlobals()
})

describe('a cross-origin stream refused by CORS', () => {
  it('exports CorsError, a NetworkError', () => {
    expect(CorsError.prototype).toBeInstanceOf(NetworkError)
    expect(new CorsError('http://127.0.0.1:8082/', undefined).name).toBe('CorsError')
  })

  it('fails the connection with a CorsError after a no-cors probe reached the server', async () => {
    inPage()
    const browser = browserFetch()
    const created = source({fetch: browser.fetch, reconnectionTime: 10})
    const errors = errorsOf(created)
    await until(() => errors.length > 0)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(errors).toHaveLength(1)
    const [{error, willReconnect, readyState}] = errors as [(typeof errors)[number]]
    expect([willReconnect, readyState]).toEqual([false, EventSource.CLOSED])
    expect(error).toBeInstanceOf(CorsError)
    expect(error).toBeInstanceOf(NetworkError)
    expect(error?.name).toBe('CorsError')
    expect(error?.message).toContain('Access-Control-Allow-Origin')
    expect(error?.cause).toBeInstanceOf(TypeError)
    // The request, one probe, the request once more at once, nothing after.
    expect(browser.calls.map((call) => call.init.mode)).toEqual(['cors', 'no-cors', 'cors'])
  }, 10_000)

  it('goes on when the request sent again after the probe succeeds: a blip (a network change), not CORS', async () => {
    inPage()
    const calls: Call[] = []
    const blip = async (url: string, init: RequestInit): Promise<Response> => {
      calls.push({url, init})
      if (init.mode === 'no-cors') return new Response(new ReadableStream<Uint8Array>({}), {status: 200})
      if (calls.length === 1) throw new TypeError('Failed to fetch')
      return streamResponse([new TextEncoder().encode('data: after the blip\n\n')])
    }
    const created = source({fetch: blip, reconnectionTime: 10_000})
    const errors = errorsOf(created)
    const data: string[] = []
    created.onmessage = (event) => data.push(event.data)
    await until(() => data.length > 0)
    created.close()
    expect(data).toEqual(['after the blip'])
    // No failure: at most the reconnection after the stream's end (no error in it).
    expect(errors.filter((seen) => seen.error !== undefined || !seen.willReconnect)).toEqual([])
    expect(calls.map((call) => call.init.mode)).toEqual(['cors', 'no-cors', 'cors'])
  })

  it('probes with a plain GET of the same URL: no custom header, no body, aborted once its response came', async () => {
    inPage()
    const browser = browserFetch()
    const created = source({
      fetch: browser.fetch,
      method: 'POST',
      body: '{"prompt":"hi"}',
      headers: {'content-type': 'application/json', 'x-trace': '1'},
      lastEventId: '7',
      withCredentials: true,
    })
    const errors = errorsOf(created)
    await until(() => errors.length > 0)
    const [probe] = probes(browser.calls) as [Call]
    expect(probe.url).toBe(created.url)
    expect(probe.init.method ?? 'GET').toBe('GET')
    expect(probe.init.body).toBeUndefined()
    expect([...new Headers(probe.init.headers)]).toEqual([])
    expect(probe.init.credentials).toBe('include')
    expect(probe.init.cache).toBe('no-store')
    expect(probe.init.signal?.aborted).toBe(true)
  })

  it('fails the connection when a reconnection (with Last-Event-ID, so preflighted) is refused', async () => {
    inPage()
    const browser = browserFetch({allowFirst: 'retry: 1\nid: c1\ndata: a\n\n'})
    const created = source({fetch: browser.fetch})
    const errors = errorsOf(created)
    await until(() => errors.length >= 2)
    expect(errors.map((seen) => [seen.error?.name, seen.willReconnect, seen.readyState])).toEqual([
      [undefined, true, EventSource.CONNECTING],
      ['CorsError', false, EventSource.CLOSED],
    ])
    expect(browser.calls.map((call) => [call.init.mode, new Headers(call.init.headers).get('last-event-id')])).toEqual([
      ['cors', null],
      ['cors', 'c1'],
      ['no-cors', null],
      ['cors', 'c1'],
    ])
    expect(errors[1]?.error?.message).toContain('Last-Event-ID')
  })

  it('reconnects when the probe fails too: offline is not CORS', async () => {
    inPage()
    const browser = browserFetch({reachable: false})
    const created = source({fetch: browser.fetch, reconnectionTime: 1})
    const errors = errorsOf(created)
    await until(() => errors.length >= 3)
    expect(errors.every((seen) => seen.willReconnect && seen.readyState === EventSource.CONNECTING)).toBe(true)
    expect(errors.every((seen) => seen.error instanceof NetworkError && seen.error.name === 'NetworkError')).toBe(true)
  })

  it('does not probe a same-origin URL, nor where fetch has no CORS (no document: Node, Deno, Bun)', async () => {
    inPage()
    const sameOrigin = browserFetch()
    const errorsSame = errorsOf(source({fetch: sameOrigin.fetch, reconnectionTime: 1}, `${PAGE_ORIGIN}/stream`))
    await until(() => errorsSame.length >= 2)
    expect(probes(sameOrigin.calls)).toEqual([])
    expect(errorsSame[0]?.willReconnect).toBe(true)
    vi.unstubAllGlobals()
    const node = browserFetch()
    const errorsNode = errorsOf(source({fetch: node.fetch, reconnectionTime: 1}, CROSS_URL))
    await until(() => errorsNode.length >= 2)
    expect(probes(node.calls)).toEqual([])
    expect(errorsNode[0]?.error?.name).toBe('NetworkError')
  })

  it('[non-spec] shouldReconnect can keep reconnecting after a CorsError', async () => {
    inPage()
    const browser = browserFetch()
    const errors = errorsOf(source({fetch: browser.fetch, reconnectionTime: 1, reconnect: retry({shouldReconnect: (error) => (error instanceof CorsError ? true : undefined)})}))
    await until(() => errors.length >= 2)
    expect(errors.slice(0, 2).map((seen) => [seen.error?.name, seen.willReconnect])).toEqual([
      ['CorsError', true],
      ['CorsError', true],
    ])
  })

  it('does not probe after a rejection that is no TypeError (a custom fetch giving up on purpose)', async () => {
    inPage()
    const calls: RequestInit[] = []
    const fetch = async (_url: string, init: RequestInit): Promise<Response> => {
      calls.push(init)
      throw new Error('token expired')
    }
    const errors = errorsOf(source({fetch, reconnectionTime: 1}))
    await until(() => errors.length >= 2)
    expect(calls.every((init) => init.mode === 'cors')).toBe(true)
    expect(errors[0]?.error?.name).toBe('NetworkError')
  })

  it('close() during the probe aborts it and fires nothing', async () => {
    inPage()
    let probeSignal: AbortSignal | undefined
    const fetch = (_url: string, init: RequestInit): Promise<Response> => {
      if (init.mode !== 'no-cors') return Promise.reject(new TypeError('Failed to fetch'))
      probeSignal = init.signal ?? undefined
      return new Promise((_resolve, reject) => probeSignal?.addEventListener('abort', () => reject(probeSignal?.reason)))
    }
    const created = source({fetch})
    const errors = errorsOf(created)
    await until(() => probeSignal !== undefined)
    created.close()
    expect(probeSignal?.aborted).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(errors).toEqual([])
  })
})
