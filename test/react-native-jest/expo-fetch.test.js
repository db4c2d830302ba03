// [non-spec] A `fetch` option with expo/fetch's stream shape: its Response has a `body` that is a
// ReadableStream from web-streams-polyfill (Expo's own streams are not the global `ReadableStream`,
// which React Native does not have), of the bytes the loopback server sends. React Native's own
// fetch gives no body: a `fetch` option like it fails the connection with a clear error.
import http from 'node:http'
import {expect, test} from '@jest/globals'
import {EventSource} from 'eventsource-kit'
import {ReadableStream as PolyfillReadableStream} from 'web-streams-polyfill'
import {randomFrom} from './random.js'
import {pause, startServer, startStream, until, writeEach} from './server.js'

/** The request headers as a plain object, from a Headers (React Native's) or a record. */
function headersOf(headers) {
  const result = {}
  if (typeof headers?.forEach === 'function') headers.forEach((value, name) => (result[name] = value))
  else Object.assign(result, headers)
  return result
}

/** A fetch with expo/fetch's shape: resolves at the response head, streams the body as bytes. */
function expoLikeFetch(url, init = {}) {
  return new Promise((resolve, reject) => {
    const request = http.request(String(url), {method: init.method ?? 'GET', headers: headersOf(init.headers)})
    init.signal?.addEventListener('abort', () => {
      request.destroy()
      reject(Object.assign(new Error('aborted'), {name: 'AbortError'}))
    })
    request.on('error', () => reject(new TypeError('Network request failed')))
    request.on('response', (response) => {
      const body = new PolyfillReadableStream({
        start(controller) {
          response.on('data', (chunk) => controller.enqueue(new Uint8Array(chunk)))
          response.on('end', () => controller.close())
          response.on('close', () => {
            if (!response.complete) controller.error(new TypeError('Network request failed'))
          })
        },
        cancel() {
          request.destroy()
        },
      })
      const headers = {get: (name) => response.headers[name.toLowerCase()] ?? null, has: (name) => name.toLowerCase() in response.headers}
      resolve({status: response.statusCode, statusText: response.statusMessage, ok: response.statusCode === 200, url: String(url), redirected: false, headers, body})
    })
    request.end(init.body ?? undefined)
  })
}

test('ReadableStream is not a global here', () => {
  expect(typeof globalThis.ReadableStream).toBe('undefined')
})

test('[non-spec] a fetch option whose body is a web-streams-polyfill stream is read: events across split UTF-8, Last-Event-ID on reconnection, close', async () => {
  const text = 'id: 1\ndata: héllo 😀\n\nevent: update\ndata: 日本語\n\n'
  const bytes = Buffer.from(text, 'utf8')
  const random = randomFrom(Number(process.env.RN_SEED ?? 7))
  const pieces = []
  for (let start = 0; start < bytes.length; ) {
    const size = 1 + Math.floor(random() * 5)
    pieces.push(bytes.subarray(start, start + size))
    start += size
  }
  const server = await startServer(async (request, response, index) => {
    startStream(response)
    if (index === 0) {
      await writeEach(response, pieces)
      response.end()
    } else response.write(`data: again after ${request.headers['last-event-id']}\n\n`)
  })
  try {
    const source = new EventSource(server.url, {fetch: expoLikeFetch, reconnectionTime: 20, headers: {'X-Trace': 'expo'}})
    const seen = []
    const errors = []
    source.addEventListener('message', (event) => seen.push(event.data))
    source.addEventListener('update', (event) => seen.push(`update ${event.data}`))
    source.addEventListener('error', (event) => errors.push(event.error))
    await until(() => seen.length >= 3, 'three events')
    source.close()
    expect(seen).toEqual(['héllo 😀', 'update 日本語', 'again after 1'])
    // The end of the first response is an error event without an error, then the reconnection.
    expect(errors).toEqual([undefined])
    expect(server.requests[0].headers['x-trace']).toBe('expo')
    await until(() => server.requests[1].closed, 'the request to end at the server after close()')
  } finally {
    await server.close()
  }
})

test('[non-spec] a fetch option whose response has no body (React Native\'s own fetch) fails the connection with an error naming the fix', async () => {
  const server = await startServer((_request, response) => startStream(response))
  try {
    // React Native's fetch (whatwg-fetch over XMLHttpRequest): a Response without `body`.
    const bufferingFetch = async (url) => ({status: 200, statusText: 'OK', ok: true, url: String(url), redirected: false, headers: new globalThis.Headers({'content-type': 'text/event-stream'}), body: undefined})
    const source = new EventSource(server.url, {fetch: bufferingFetch, reconnectionTime: 20})
    const errors = []
    source.addEventListener('error', (event) => errors.push(event))
    await until(() => errors.length > 0, 'an error event')
    await pause(100)
    expect(errors).toHaveLength(1)
    expect(source.readyState).toBe(EventSource.CLOSED)
    expect(errors[0].error.message).toMatch(/no readable body/)
    expect(errors[0].error.message).toMatch(/expo\/fetch/)
  } finally {
    await server.close()
  }
})
