// [non-spec] The React Native build with a `fetch` option (`expo/fetch`'s, say): called as in the
// other builds; a response with a readable body is read as usual, even where `ReadableStream` is not
// a global; one without (React Native's own fetch) fails the connection with an error naming the fix.
import {describe, expect, it, vi} from 'vitest'
import {EventSource, type EventSourceErrorEvent, EventSourceError, HttpError} from '../../src/index.js'
import {next, record, until, useCleanups} from '../helpers.js'
import {FakeXMLHttpRequest, installFakeXhr} from './fake-xhr.js'


const {defer} = useCleanups()

function source(init: ConstructorParameters<typeof EventSource>[1]): EventSource {
  const created = new EventSource('https://example.test/stream', init)
  defer(() => created.close())
  return created
}

/** A body as web-streams-polyfill gives it: an object with getReader(), not the platform's ReadableStream. */
function polyfilledBody(chunks: Array<Uint8Array | string>) {
  let index = 0
  return {
    getReader: () => ({
      read: async () => (index < chunks.length ? {done: false, value: chunks[index++]} : {done: true, value: undefined}),
      cancel: async () => {},
      releaseLock() {},
    }),
  }
}

/** A Response-shaped object, as a fetch of another library returns it. */
function responseOf(body: unknown, status = 200, contentType = 'text/event-stream') {
  return {status, statusText: '', ok: status === 200, headers: new Headers({'content-type': contentType}), url: 'https://example.test/stream', redirected: false, body}
}

describe('[non-spec] the react-native build with a fetch option', () => {
  it('reads a body that only has getReader(), with no global ReadableStream, and never opens an XMLHttpRequest', async () => {
    defer(installFakeXhr())
    const saved = globalThis.ReadableStream
    Reflect.deleteProperty(globalThis, 'ReadableStream')
    defer(() => Object.defineProperty(globalThis, 'ReadableStream', {value: saved, configurable: true, writable: true}))
    const encoder = new TextEncoder()
    const body = polyfilledBody([encoder.encode('id: 1\ndata: hel'), encoder.encode('lo\n\n')])
    const fetch = vi.fn(async () => responseOf(body) as unknown as Response)
    const created = source({fetch})
    const seen = record(created, ['open', 'message', 'error'])
    await until(() => seen.some((event) => event.type === 'error'))
    expect(seen.map((event) => [event.type, event.data])).toEqual([
      ['open', undefined],
      ['message', 'hello'],
      ['error', undefined],
    ])
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(FakeXMLHttpRequest.records).toHaveLength(0)
  })

  it('fails the connection, without retrying, when the response has no readable body, and names the fix', async () => {
    const fetch = vi.fn(async () => responseOf(undefined) as unknown as Response)
    const created = source({fetch})
    const event = (await next(created, 'error')) as EventSourceErrorEvent
    expect(created.readyState).toBe(EventSource.CLOSED)
    expect(event.error).toBeInstanceOf(EventSourceError)
    expect(event.error?.message).toMatch(/no readable body.*expo\/fetch/)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('still reports a status other than 200 as an HttpError when the response has no readable body', async () => {
    const created = source({fetch: async () => responseOf(undefined, 401, 'text/plain') as unknown as Response})
    const event = (await next(created, 'error')) as EventSourceErrorEvent
    expect(event.error).toBeInstanceOf(HttpError)
    expect((event.error as HttpError).status).toBe(401)
    expect((event.error as HttpError).body).toBeUndefined()
  })
})
