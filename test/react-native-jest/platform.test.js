// The test bed itself: Node's web platform is gone, React Native's is in its place, and React
// Native's own XMLHttpRequest runs over the fake RCTNetworking against a loopback server.
import {expect, jest, test} from '@jest/globals'
import {startServer, startStream, until, writeEach} from './server.js'

test('the run takes the networking JS of its platform', () => {
  const platform = process.env.RN_PLATFORM ?? 'ios'
  expect(jest.requireActual('react-native').Platform.OS).toBe(platform)
})

test('the globals React Native lacks are absent', () => {
  for (const name of ['ReadableStream', 'MessageEvent', 'DOMException', 'TextDecoder', 'TextEncoder']) expect(typeof globalThis[name]).toBe('undefined')
})

test("XMLHttpRequest, fetch, URL, AbortController, EventTarget and Event are React Native's own", () => {
  const own = (path) => {
    const module = jest.requireActual(`react-native/${path}`)
    return module.default ?? module
  }
  for (const name of ['XMLHttpRequest', 'fetch', 'Headers', 'URL', 'AbortController']) {
    expect(typeof globalThis[name]).toBe('function')
    expect(globalThis[name]).not.toBe(globalThis.__nodeWebGlobals[name])
  }
  expect(globalThis.XMLHttpRequest).toBe(own('Libraries/Network/XMLHttpRequest'))
  expect(globalThis.fetch).toBe(own('Libraries/Network/fetch').fetch)
  expect(globalThis.Headers).toBe(own('Libraries/Network/fetch').Headers)
  expect(globalThis.URL).toBe(own('Libraries/Blob/URL').URL)
  if (globalThis.__hasReactNativeEventTarget) {
    // React Native 0.86 and later.
    expect(globalThis.EventTarget).toBe(own('src/private/webapis/dom/events/EventTarget'))
    expect(globalThis.Event).toBe(own('src/private/webapis/dom/events/Event'))
  } else {
    expect(typeof globalThis.EventTarget).toBe('undefined')
    expect(typeof globalThis.Event).toBe('undefined')
  }
  // React Native's URL: regex-based, it accepts anything (the reason the RN build has its own check).
  expect(() => new URL('not a url')).not.toThrow()
})

test("React Native's XMLHttpRequest gets each chunk as it comes, a character split across chunks whole", async () => {
  const bytes = Buffer.from('data: 😀 é\n\n', 'utf8')
  const server = await startServer(async (_request, response) => {
    startStream(response)
    // The 4 bytes of 😀 arrive in two chunks.
    await writeEach(response, [bytes.subarray(0, 8), bytes.subarray(8)], 50)
    response.end()
  })
  try {
    const xhr = new XMLHttpRequest()
    const seen = []
    xhr.onprogress = () => seen.push(xhr.responseText)
    const done = new Promise((resolve) => (xhr.onload = resolve))
    xhr.open('GET', server.url)
    xhr.send()
    await done
    expect(seen.length).toBeGreaterThanOrEqual(2)
    expect(seen[0]).toBe('data: ')
    expect(seen.at(-1)).toBe('data: 😀 é\n\n')
    expect(xhr.getResponseHeader('Content-Type')).toBe('text/event-stream')
  } finally {
    await server.close()
  }
})

test("React Native's XMLHttpRequest: abort() ends the request at the server, a dropped connection is an error", async () => {
  const server = await startServer((_request, response, index) => {
    startStream(response)
    response.write('data: a\n\n')
    if (index === 1) setTimeout(() => response.socket.destroy(), 20)
  })
  try {
    const aborted = new XMLHttpRequest()
    aborted.onprogress = () => aborted.abort()
    aborted.open('GET', server.url)
    aborted.send()
    await until(() => server.requests[0]?.closed === true, 'the aborted request to end at the server')
    const dropped = new XMLHttpRequest()
    dropped.onprogress = () => {}
    const failed = new Promise((resolve) => (dropped.onerror = resolve))
    dropped.open('GET', server.url)
    dropped.send()
    await failed
    expect(dropped.readyState).toBe(4)
    expect(globalThis.__fakeNetworkingRequests.size).toBe(0)
  } finally {
    await server.close()
  }
})

test('a 20 KB chunk reaches XMLHttpRequest, on Android in pieces of at most 8 KB (its read buffer)', async () => {
  const server = await startServer((_request, response) => {
    startStream(response)
    response.end(`data: ${'x'.repeat(20_000)}\n\n`)
  })
  try {
    const xhr = new XMLHttpRequest()
    const sizes = []
    let seen = 0
    xhr.onprogress = () => {
      sizes.push(xhr.responseText.length - seen)
      seen = xhr.responseText.length
    }
    const done = new Promise((resolve) => (xhr.onload = resolve))
    xhr.open('GET', server.url)
    xhr.send()
    await done
    expect(seen).toBe(20_008)
    if ((process.env.RN_PLATFORM ?? 'ios') === 'android') expect(Math.max(...sizes)).toBeLessThanOrEqual(8 * 1024)
    else expect(sizes.length).toBeGreaterThan(0)
  } finally {
    await server.close()
  }
})
