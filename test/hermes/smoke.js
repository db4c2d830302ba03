// The smoke run of the React Native build on the Hermes VM (scripts/hermes.mjs bundles this file
// with dist/react-native/, passes it through React Native's Babel preset and runs it on the `hermes`
// VM of hermes-engine-cli 0.12). No EventTarget, Event, MessageEvent, DOMException, TextDecoder,
// TextEncoder or ReadableStream: test/hermes/environment.js checks them absent. The transport is
// the scripted XMLHttpRequest of test/hermes/fake-xhr.js, on a virtual clock. One line per check,
// then `# N passed, M failed`; any failure throws at the end, so the VM exits non-zero.
import {WEB_GLOBALS, fetchCalls, unhandledRejections, webGlobalsAtStart} from './environment.js'
import {capabilities} from './capabilities.js'
import {CLOSED, CONNECTING, OPEN, check, counts, endCase, record, same, say, until} from './checks.js'
import {pendingTimers, sleep, virtualNow} from './event-loop.js'
import {fetchOption} from './fetch-option.js'
import {longStream} from './long-stream.js'
import {server} from './fake-xhr.js'
import {appStateListeners, setAppState} from './react-native.js'
import {EventSource} from 'eventsource-kit'

const STREAM_URL = 'https://api.example.test:8443/stream?room=1'
const ORIGIN = 'https://api.example.test:8443'

function syntaxErrorOf(url) {
  try {
    new EventSource(url).close()
    return 'no error'
  } catch (error) {
    return error?.name
  }
}

async function theStream() {
  // [spec] a BOM at the start, CRLF line ends with a CR and its LF in different chunks, a character
  // outside the BMP split between two chunks, an event cut off by the drop (not dispatched).
  server.responses.push(
    {
      chunks: ['\uFEFFretry: 25\r', '\nid: 1\r\ndata: hello\r\n\r\n', 'event: update\ndata: café \uD83D', '\uDE00\ndata: line2\nid: 2\n\n', ': note\nid: 3\ndata: cut off'],
      end: 'error',
    },
    {chunks: ['data: after\n\n'], end: 'hold'},
  )
  const source = new EventSource(STREAM_URL)
  const events = record(source, ['update'])
  same('a new EventSource is CONNECTING', source.readyState, CONNECTING)
  same('url is the URL given', source.url, STREAM_URL)

  await until(() => events.some((event) => event.type === 'open'))
  const [first] = server.requests
  same('the request is a GET of the URL with Accept: text/event-stream and no Last-Event-ID', [first?.method, first?.url, first?.headers.accept, first?.headers['last-event-id']], ['GET', STREAM_URL, 'text/event-stream', undefined])
  same('open fires with readyState OPEN', events[0], {type: 'open', readyState: OPEN, data: undefined, lastEventId: undefined, origin: undefined})

  await until(() => events.some((event) => event.type === 'error'))
  const messages = events.filter((event) => event.type === 'message' || event.type === 'update')
  same('message has the data, lastEventId and origin (BOM and CRLF across chunks)', messages[0], {type: 'message', readyState: OPEN, data: 'hello', lastEventId: '1', origin: ORIGIN})
  same('a named event reaches its listeners only, with a character split across chunks', messages[1], {type: 'update', readyState: OPEN, data: 'café \uD83D\uDE00\nline2', lastEventId: '2', origin: ORIGIN})
  same('the event cut off by the drop is not dispatched', messages.length, 2)
  const error = events.find((event) => event.type === 'error')
  same('a dropped connection fires error with readyState CONNECTING', error?.readyState, CONNECTING)
  const droppedAtMs = virtualNow()

  await until(() => events.filter((event) => event.type === 'message').length === 2)
  const second = server.requests[1]
  same('the second request carries Last-Event-ID of the last dispatched event', second?.headers['last-event-id'], '2')
  const waitedMs = (second?.sentAtMs ?? 0) - droppedAtMs
  check('it waits the retry: time (25 ms of virtual time), not the default', second !== undefined && waitedMs >= 24 && waitedMs < 1000, `waited ${waitedMs} ms`)
  same('more events after the reconnection, lastEventId kept', events[events.length - 1], {type: 'message', readyState: OPEN, data: 'after', lastEventId: '2', origin: ORIGIN})
  same('open fired once per connection', events.filter((event) => event.type === 'open').length, 2)

  source.close()
  same('close() sets readyState CLOSED', source.readyState, CLOSED)
  check('close() aborts the XMLHttpRequest', second?.xhr.isAborted === true)
  const seen = events.length
  await sleep(5_000)
  same('after close(): no event, no request', [events.length - seen, server.requests.length], [0, 2])
}

async function failures() {
  for (const [title, response] of [
    ['a 500 fails the connection: error, readyState CLOSED, no retry', {status: 500, headers: {'content-type': 'text/plain'}, chunks: ['oops'], end: 'close'}],
    ['a wrong Content-Type fails the connection: error, readyState CLOSED, no retry', {headers: {'content-type': 'text/plain'}, chunks: ['data: x\n\n'], end: 'close'}],
  ]) {
    const before = server.requests.length
    server.responses.push(response)
    const source = new EventSource(STREAM_URL)
    const events = record(source, [])
    await until(() => events.length > 0)
    await sleep(5_000)
    same(title, [events.map((event) => event.type), source.readyState, server.requests.length - before], [['error'], CLOSED, 1])
    source.close()
  }
}

async function appState() {
  server.responses.push({chunks: ['id: 7\ndata: one\n\n'], end: 'hold'}, {chunks: ['data: two\n\n'], end: 'hold'})
  const before = server.requests.length
  const source = new EventSource(STREAM_URL, {pauseWhenHidden: true})
  const events = record(source, [])
  await until(() => events.some((event) => event.type === 'message'))
  const paused = server.requests[before]
  setAppState('inactive')
  await sleep(100)
  same('[non-spec] pauseWhenHidden: AppState inactive changes nothing', [source.readyState, paused?.xhr.isAborted], [OPEN, false])
  setAppState('background')
  await sleep(100)
  same('[non-spec] pauseWhenHidden: AppState background pauses (CONNECTING, request aborted, no error event)', [source.readyState, paused?.xhr.isAborted, events.filter((event) => event.type === 'error').length, server.requests.length - before], [CONNECTING, true, 0, 1])
  setAppState('active')
  await until(() => events.filter((event) => event.type === 'message').length === 2)
  same('[non-spec] pauseWhenHidden: AppState active resumes with Last-Event-ID', [server.requests[before + 1]?.headers['last-event-id'], events[events.length - 1]?.data], ['7', 'two'])
  source.close()
  same('[non-spec] pauseWhenHidden: close() removes the AppState listener', appStateListeners(), 0)
}

async function main() {
  say(`# hermes ${globalThis.HermesInternal?.getRuntimeProperties?.()['OSS Release Version'] ?? '?'}`)
  same('no EventTarget, Event, MessageEvent, DOMException, TextDecoder, TextEncoder, ReadableStream', Object.values(webGlobalsAtStart), WEB_GLOBALS.map(() => 'undefined'))
  same('a relative URL is a SyntaxError (no document)', syntaxErrorOf('/stream'), 'SyntaxError')
  same('a URL that does not parse is a SyntaxError (the lax global URL is not trusted)', syntaxErrorOf('not a url'), 'SyntaxError')
  for (const part of [theStream, failures, appState, fetchOption, capabilities, longStream]) {
    try {
      await part()
    } catch (error) {
      check(`${part.name} ran to its end`, false, `${error?.name}: ${error?.message}\n${error?.stack}`)
    } finally {
      // A case that threw leaves nothing behind for the next: its sources closed, its responses dropped.
      endCase()
      server.responses.length = 0
    }
  }
  same('the global fetch (it buffers) was never called', fetchCalls.length, 0)
  same('no timer left behind', pendingTimers(), 0)
  same('no promise rejection left unhandled', unhandledRejections.map((error) => `${error?.name}: ${error?.message}`), [])
  say(`# ${counts.passed} passed, ${counts.failed} failed`)
  if (counts.failed > 0) throw new Error(`${counts.failed} of ${counts.passed + counts.failed} checks failed`)
}

main().catch((error) => {
  // A throw from a promise job is not an uncaught error on every VM: end the run from a timer.
  setTimeout(() => {
    throw error
  }, 0)
})
