// The `fetch` option in the Hermes smoke run: a fetch shaped as expo/fetch's, whose response `body`
// has getReader() and yields bytes while no ReadableStream is global. The bytes go through the
// build's decoder (no global TextDecoder): a BOM, CRLF, and UTF-8 sequences split between chunks.
import {CLOSED, CONNECTING, OPEN, check, ofType, record, same, until} from './checks.js'
import {sleep} from './event-loop.js'
import {EventSource} from 'eventsource-kit'

const STREAM_URL = 'https://expo.example.test/events'
const ORIGIN = 'https://expo.example.test'

/** UTF-8 bytes of a string (no TextEncoder here). */
function utf8(text) {
  const bytes = []
  for (const character of text) {
    const code = character.codePointAt(0)
    if (code < 0x80) bytes.push(code)
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 63))
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63))
    else bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63))
  }
  return new Uint8Array(bytes)
}

/** `bytes` cut at each offset. */
function cut(bytes, offsets) {
  return [0, ...offsets].map((start, index) => bytes.slice(start, offsets[index] ?? bytes.length))
}

/**
 * A scripted fetch: each call plays the next of `responses` (`{chunks, end: 'error' | 'hold', body: false}`)
 * one virtual millisecond apart, and records the URL, the init and what happened to its body.
 */
function scriptedFetch(responses) {
  const calls = []
  const fetch = async (url, init) => {
    const call = {url: String(url), lastEventId: new globalThis.Headers(init?.headers).get('last-event-id'), signal: init?.signal, isCancelled: false}
    calls.push(call)
    const {chunks = [], end = 'hold', body = true} = responses.shift() ?? {end: 'error'}
    await sleep(1)
    let index = 0
    const reader = {
      async read() {
        await sleep(1)
        if (call.isCancelled) return {done: true, value: undefined}
        if (index < chunks.length) return {done: false, value: chunks[index++]}
        if (end === 'error') throw new TypeError('Network request failed')
        while (!call.isCancelled && !call.signal?.aborted) await sleep(50)
        return {done: true, value: undefined}
      },
      cancel() {
        call.isCancelled = true
        return Promise.resolve()
      },
      releaseLock() {},
    }
    const headers = new globalThis.Headers({'content-type': 'text/event-stream; charset=utf-8'})
    return {status: 200, ok: true, url: String(url), redirected: false, headers, body: body ? {getReader: () => reader} : null}
  }
  return {fetch, calls}
}

/** The cases of a `fetch` option whose response body yields bytes. */
export async function fetchOption() {
  // 'é' is C3 A9, '😀' F0 9F 98 80: cut inside both, and between the CR and the LF of a CRLF.
  const first = utf8('\uFEFFid: a\r\ndata: é 😀\r\n\r\n: tail\nid: b\ndata: cut')
  const [bomEnd, eAt, emojiAt, crAt] = [3, first.indexOf(0xc3), first.indexOf(0xf0), first.indexOf(0x0d, first.indexOf(0xf0))]
  const {fetch, calls} = scriptedFetch([
    {chunks: cut(first, [bomEnd - 1, eAt + 1, emojiAt + 2, emojiAt + 3, crAt + 1]), end: 'error'},
    {chunks: [utf8('data: again\n\n')], end: 'hold'},
  ])
  const source = new EventSource(STREAM_URL, {fetch})
  const events = record(source, [])
  await until(() => ofType(events, 'message').length === 2)
  same('fetch option: bytes split inside a BOM, UTF-8 sequences and a CRLF decode whole', ofType(events, 'message')[0], {type: 'message', readyState: OPEN, data: 'é 😀', lastEventId: 'a', origin: ORIGIN})
  same('fetch option: a network error reconnects (error with CONNECTING) with Last-Event-ID', [ofType(events, 'error')[0]?.readyState, calls[1]?.lastEventId], [CONNECTING, 'a'])
  same('fetch option: events after the reconnection', ofType(events, 'message')[1]?.data, 'again')
  source.close()
  await sleep(100)
  check('fetch option: close() aborts the signal given to fetch and ends the read', calls[1]?.signal?.aborted === true && calls[1]?.isCancelled === true, `aborted ${calls[1]?.signal?.aborted}, cancelled ${calls[1]?.isCancelled}`)

  const bodiless = scriptedFetch([{body: false}])
  const noBody = new EventSource(STREAM_URL, {fetch: bodiless.fetch})
  const noBodyEvents = record(noBody, [])
  await until(() => noBodyEvents.length > 0)
  await sleep(5_000)
  const error = noBodyEvents.find((event) => event.type === 'error')
  check(
    'fetch option: a response without a body fails the connection with an error naming the fix',
    noBody.readyState === CLOSED && bodiless.calls.length === 1 && /body/i.test(error?.error ?? '') && /fetch/i.test(error?.error ?? ''),
    `readyState ${noBody.readyState}, ${bodiless.calls.length} request(s), error: ${error?.error}`,
  )
  noBody.close()
}
