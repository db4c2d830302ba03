import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'

// [non-spec] The react-native build loads and runs where none of EventTarget, Event, MessageEvent,
// DOMException, TextDecoder, TextEncoder and ReadableStream is a global (React Native before 0.86):
// this file removes them before it loads the sources (with the react-native build's swaps, see
// vite.config.ts), so every module picks its fallback, and puts them back at the end.

// The build imports React Native (AppState, for pauseWhenHidden): the app stays active here.
vi.mock('react-native', () => ({AppState: {currentState: 'active', addEventListener: () => ({remove() {}})}}))

const MISSING = ['EventTarget', 'Event', 'MessageEvent', 'DOMException', 'TextDecoder', 'TextEncoder', 'ReadableStream'] as const
const saved = new Map<string, PropertyDescriptor>()
let kit: typeof import('eventsource-kit')
let fallbacks: {
  EventTarget: typeof import('../../src/core/native/event-target.js')
  Event: typeof import('../../src/core/native/event.js')
  MessageEvent: typeof import('../../src/core/native/message-event.js')
  DOMException: typeof import('../../src/core/native/dom-exception.js')
}

beforeAll(async () => {
  // Node's own fetch classes load on first use and need the globals: load them now (React Native has its own).
  void new Request('http://127.0.0.1/', {headers: new Headers()})
  void new Response('')
  for (const name of MISSING) {
    saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name) as PropertyDescriptor)
    delete (globalThis as Record<string, unknown>)[name]
  }
  kit = await import('eventsource-kit')
  fallbacks = {
    EventTarget: await import('../../src/core/native/event-target.js'),
    Event: await import('../../src/core/native/event.js'),
    MessageEvent: await import('../../src/core/native/message-event.js'),
    DOMException: await import('../../src/core/native/dom-exception.js'),
  }
})

afterAll(() => {
  for (const [name, descriptor] of saved) Object.defineProperty(globalThis, name, descriptor)
})

/** A scripted fetch: each call answers the next response of `script`, a status, headers and a body of chunks (strings or bytes). */
function scriptedFetch(script: Array<{status?: number; contentType?: string; chunks: Array<string | Uint8Array>}>) {
  const requests: Array<{url: string; lastEventId: string | null}> = []
  const fetch = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    requests.push({url: `${url}`, lastEventId: new Headers(init?.headers).get('last-event-id')})
    const step = script[requests.length - 1]
    if (step === undefined) return new Promise(() => {})
    const chunks = [...step.chunks]
    const body = {
      getReader: () => ({
        read: async () => (chunks.length > 0 ? {done: false, value: chunks.shift()} : {done: true, value: undefined}),
        cancel: async () => void (chunks.length = 0),
        releaseLock() {},
      }),
      cancel: async () => void (chunks.length = 0),
    }
    return {status: step.status ?? 200, statusText: '', url: `${url}`, redirected: false, headers: new Headers({'content-type': step.contentType ?? 'text/event-stream'}), body} as unknown as Response
  }
  return {fetch, requests}
}

/** Runs `source` until `isDone` says so after an event, and returns what it saw. */
function record(source: EventSource, types: string[], isDone: (log: unknown[]) => boolean): Promise<unknown[]> {
  const log: unknown[] = []
  return new Promise((resolve) => {
    for (const type of types) {
      source.addEventListener(type, (event) => {
        const {data, lastEventId, origin} = event as MessageEvent
        log.push(type === 'open' || type === 'error' ? [type, source.readyState] : [type, data, lastEventId, origin])
        if (isDone(log)) {
          source.close()
          resolve(log)
        }
      })
    }
  })
}

describe('the react-native build without the platform globals', () => {
  it('has none of the globals, and its EventSource and events are the fallbacks', () => {
    for (const name of MISSING) expect(typeof (globalThis as Record<string, unknown>)[name]).toBe('undefined')
    expect(kit.EventSource.prototype).toBeInstanceOf(fallbacks.EventTarget.FallbackEventTarget)
    expect(fallbacks.Event.hasPlatformEvents).toBe(false)
    expect(fallbacks.DOMException.DOMException).toBe(fallbacks.DOMException.FallbackDOMException)
  })

  it('constructs, opens and dispatches events from a body of strings split anywhere', async () => {
    const {fetch, requests} = scriptedFetch([{chunks: ['\uFEFFda', 'ta: hé', 'llo\n\nid: 7\nevent: tick\ndata: ', '😀\n', '\n: comment\ndata: last\r\n\r\n']}])
    const source = new kit.EventSource('https://example.com/stream', {fetch})
    const log = await record(source, ['open', 'message', 'tick'], (entries) => entries.length === 4)
    expect(log).toEqual([
      ['open', 1],
      ['message', 'héllo', '', 'https://example.com'],
      ['tick', '😀', '7', 'https://example.com'],
      ['message', 'last', '7', 'https://example.com'],
    ])
    expect(requests).toEqual([{url: 'https://example.com/stream', lastEventId: null}])
  })

  it('decodes a body of bytes with a character split across chunks, and a BOM split too', async () => {
    const bytes = new globalThis.Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('data: caf'), 0xc3, 0xa9, 0x0a, 0x0a])
    const chunks = [bytes.subarray(0, 2), bytes.subarray(2, 12), bytes.subarray(12, 13), bytes.subarray(13)]
    const source = new kit.EventSource('https://example.com/bytes', {fetch: scriptedFetch([{chunks}]).fetch})
    expect(await record(source, ['message'], (entries) => entries.length === 1)).toEqual([['message', 'café', '', 'https://example.com']])
  })

  it('gives a MessageEvent of the fallback classes, with the standard attributes', async () => {
    const source = new kit.EventSource('https://example.com/s', {fetch: scriptedFetch([{chunks: ['data: x\n\n']}]).fetch})
    const event = await new Promise<MessageEvent>((resolve) => source.addEventListener('message', resolve))
    source.close()
    expect(event).toBeInstanceOf(fallbacks.MessageEvent.FallbackMessageEvent)
    expect(event).toBeInstanceOf(fallbacks.Event.FallbackEvent)
    expect([event.type, event.data, event.origin, event.lastEventId, event.source, event.ports, event.target === source]).toEqual(['message', 'x', 'https://example.com', '', null, [], true])
  })

  it('reconnects after the body ends, sending the last event ID encoded as UTF-8 bytes', async () => {
    const {fetch, requests} = scriptedFetch([{chunks: ['retry: 1\nid: é1\ndata: a\n\n']}, {chunks: ['data: b\n\n']}])
    const source = new kit.EventSource('https://example.com/r', {fetch})
    const log = await record(source, ['open', 'message', 'error'], (entries) => entries.length === 5)
    expect(log).toEqual([
      ['open', 1],
      ['message', 'a', 'é1', 'https://example.com'],
      ['error', 0],
      ['open', 1],
      ['message', 'b', 'é1', 'https://example.com'],
    ])
    // [spec] the header is the ID "encoded as UTF-8": each byte one code unit of the byte string.
    expect(requests.map((request) => request.lastEventId)).toEqual([null, '\u00c3\u00a91'])
  })

  it('fails the connection on a status other than 200 and on a wrong Content-Type, with the error event', async () => {
    for (const step of [{status: 500, chunks: []}, {contentType: 'text/plain', chunks: ['data: x\n\n']}]) {
      const source = new kit.EventSource('https://example.com/f', {fetch: scriptedFetch([step]).fetch})
      const error = await new Promise<InstanceType<typeof kit.EventSourceErrorEvent>>((resolve) => (source.onerror = resolve))
      expect([source.readyState, error.willReconnect, error.error?.name]).toEqual([2, false, step.status ? 'HttpError' : 'ContentTypeError'])
    }
  })

  it('throws a SyntaxError DOMException (the fallback one) for a relative URL or one that does not parse', () => {
    for (const url of ['/stream', 'stream', '//example.com/x', 'https://exa mple.com/', 'http://example.com:99999/']) {
      let error: unknown
      try {
        new kit.EventSource(url)
      } catch (caught) {
        error = caught
      }
      expect(error).toBeInstanceOf(fallbacks.DOMException.FallbackDOMException)
      expect(error).toMatchObject({name: 'SyntaxError', code: 12})
    }
  })

  it('serializes the URL as the URL standard does, and never asks the global URL', () => {
    const {URL} = globalThis
    // A URL like React Native's: it accepts anything (here, it would say so).
    const asked: unknown[] = []
    globalThis.URL = class {
      constructor(...args: unknown[]) {
        asked.push(args)
      }
    } as unknown as typeof URL
    try {
      const source = new kit.EventSource('HTTPS://Example.COM:443/a/../stream?x=1#f', {fetch: scriptedFetch([]).fetch})
      source.close()
      expect(source.url).toBe('https://example.com/stream?x=1#f')
      expect(() => new kit.EventSource('not a url')).toThrow(fallbacks.DOMException.FallbackDOMException)
    } finally {
      globalThis.URL = URL
    }
    expect(asked).toEqual([])
  })
})
