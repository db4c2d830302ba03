import {describe, expect, it} from 'vitest'
import {EventSource, RequestInitError} from '../src/index.js'
import {fakeFetch, sse, streamResponse, until, useCleanups} from './helpers.js'
import {errorsOf, source} from './resilience-helpers.js'

// [spec] "id" sets the last event ID buffer to any value without NUL (CR and LF end the line), so a
// last event ID may hold C0 controls and DEL, and a reconnection sets (`Last-Event-ID`, that string
// encoded as UTF-8). Such bytes are valid in a Fetch header value, and Chromium and Bun send them; the
// fetch of Node (undici) and Deno refuses them (RFC 9110 field-value) before a byte is sent. Then
// reconnecting can never work: the source fails the connection with an error that says why.

const {server} = useCleanups()

describe('a last event ID the platform fetch will not send', () => {
  it('fails the connection on the reconnection, naming the Last-Event-ID value, after dispatching the events (Node fetch)', async () => {
    const test = await server((_req, res) => sse(res, 'retry: 1\nid: a\u0001b\ndata: first\n\n'))
    const created = new EventSource(test.url)
    const errors = errorsOf(created)
    const messages: string[] = []
    created.onmessage = (event) => messages.push(JSON.stringify([event.data, event.lastEventId]))
    try {
      await until(() => errors.length >= 2)
    } finally {
      created.close()
    }
    expect(messages).toEqual([JSON.stringify(['first', 'a\u0001b'])])
    expect(errors.map((seen) => [seen.error?.name, seen.willReconnect, seen.readyState])).toEqual([
      [undefined, true, EventSource.CONNECTING],
      ['RequestInitError', false, EventSource.CLOSED],
    ])
    const {error} = errors[1] as (typeof errors)[number]
    expect(error).toBeInstanceOf(RequestInitError)
    expect(error?.message).toContain(`last-event-id: ${JSON.stringify('a\u0001b')}`)
    expect(error?.cause).toBeInstanceOf(TypeError)
    // Nothing went out after the first request.
    expect(test.requests).toHaveLength(1)
    expect(created.lastEventId).toBe('a\u0001b')
  })

  it('fails at once for a header option Node fetch will not send, instead of retrying in silence', async () => {
    const test = await server((_req, res) => sse(res, 'data: never\n\n'))
    const created = source({headers: {'x-trace': 'tab\tok, bell\u0007not'}, reconnectionTime: 1}, test.url)
    const errors = errorsOf(created)
    await until(() => errors.length >= 1)
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(errors.map((seen) => [seen.error?.name, seen.willReconnect, seen.readyState])).toEqual([['RequestInitError', false, EventSource.CLOSED]])
    expect(errors[0]?.error?.message).toContain('x-trace')
    expect(test.requests).toHaveLength(0)
  })

  it('still reconnects when such an id meets a plain network error (a fetch that sends the bytes, offline)', async () => {
    let attempt = 0
    const {fetch, calls} = fakeFetch(() => {
      attempt++
      if (attempt === 1) return streamResponse([new TextEncoder().encode('id: a\u0001b\ndata: x\n\n')])
      throw new TypeError('Failed to fetch')
    })
    const created = source({fetch, reconnectionTime: 1})
    const errors = errorsOf(created)
    await until(() => errors.length >= 4)
    expect(errors.every((seen) => seen.willReconnect)).toBe(true)
    expect(new Headers(calls[2]?.init.headers).get('last-event-id')).toBe('a\u0001b')
  })
})
