// The cases of the runtime smoke suite, on web APIs only (fetch, streams, EventTarget, MessageEvent,
// timers), so that every runtime runs the same ones: test/runtimes/smoke.mjs runs them as a script
// under Node, Deno and Bun; test/runtimes/worker.mjs runs them inside a Cloudflare Worker (workerd).
// Add a case to `cases`; a case gets the server of test/runtimes/server.mjs at `base`.
/* global fetch, Event, EventTarget, MessageEvent, performance, AbortController, ReadableStream, TextEncoder */
import {ContentTypeError, EventSource, EventSourceError, HttpError, NetworkError, RequestInitError} from '../../dist/index.js'
import {iterate} from '../../dist/iterate.js'
import {HttpError as ParseHttpError, parseEventStream} from '../../dist/parse.js'
import {eventStream} from '../../dist/server.js'

const CASE_TIMEOUT_MS = 8_000

// ---- assertions and waiting -------------------------------------------------------------------

function assert(condition, message) {
  if (!condition) throw new Error(message)
}

function assertEqual(actual, expected, label) {
  const a = JSON.stringify(actual)
  const e = JSON.stringify(expected)
  assert(a === e, `${label}: expected ${e}, got ${a}`)
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Resolves with the first `type` event on `target`. */
function once(target, type) {
  return new Promise((resolve) => target.addEventListener(type, resolve, {once: true}))
}

/** Polls `predicate` every 10 ms until it holds; throws after `timeoutMs`. */
async function until(predicate, label, timeoutMs = 5_000) {
  for (let waited = 0; !predicate(); waited += 10) {
    if (waited >= timeoutMs) throw new Error(`timed out waiting for ${label}`)
    await sleep(10)
  }
}

// The server's base URL and a tag that keeps this run's server state apart, both set by
// runSmokeCases (a Worker may not make random values at global scope).
let base
let run
// Serves a `(request) => Response` handler from the runtime under test: {url, close} (runSmokeCases' `serve`).
let serve

// Every source a case opens, closed after the case whatever happened, so a failure cannot hang the run.
const opened = new Set()
function open(path, init) {
  const source = new EventSource(`${base}${path}?run=${run}`, init)
  opened.add(source)
  return source
}

// ---- the cases --------------------------------------------------------------------------------

export const cases = {
  async 'the package name resolves to the server build (export conditions), the one these cases run'() {
    // [non-spec] By name, as an app imports it: Node, Deno and Bun take `default`, a Worker bundle
    // `workerd` (before `browser`, which wrangler also resolves); each is dist/index.js.
    const byName = await import('eventsource-kit')
    const BUILD = Symbol.for('eventsource-kit.build')
    assertEqual([byName.EventSource[BUILD], EventSource[BUILD]], ['server', 'server'], '[build by name, build of dist/index.js]')
  },

  async 'connect and receive a message'() {
    const source = open('/message')
    assertEqual(source.readyState, EventSource.CONNECTING, 'readyState before open')
    assertEqual(source.url, `${base}/message?run=${run}`, 'url')
    const openEvent = once(source, 'open')
    const message = once(source, 'message')
    await openEvent
    assertEqual(source.readyState, EventSource.OPEN, 'readyState after open')
    const event = await message
    assert(event instanceof MessageEvent, 'the event is a MessageEvent')
    assertEqual(event.data, 'hello\nworld', 'data')
    assertEqual(event.origin, new URL(base).origin, 'origin')
    assertEqual(event.lastEventId, '', 'lastEventId')
    source.close()
    assertEqual(source.readyState, EventSource.CLOSED, 'readyState after close()')
  },

  // [spec] DOM dispatch: while its listener runs the event is at target; ours hands an event whose only
  // listener is onmessage to it without dispatchEvent(), and must show what a dispatch shows.
  async 'an onmessage handler alone sees this, target, currentTarget, eventPhase and composedPath as in a dispatch'() {
    const source = open('/message')
    const {event, during} = await new Promise((resolve) => {
      source.onmessage = function (event) {
        resolve({
          event,
          during: {
            isThis: this === source,
            isTarget: event.target === source,
            isCurrentTarget: event.currentTarget === source,
            isSrcElement: event.srcElement === source,
            eventPhase: event.eventPhase,
            path: event.composedPath().map((target) => target === source),
          },
        })
      }
    })
    source.close()
    assertEqual(during, {isThis: true, isTarget: true, isCurrentTarget: true, isSrcElement: true, eventPhase: 2, path: [true]}, 'during the handler')
    await sleep(0)
    // After a dispatch currentTarget is null, or what the platform's own dispatch leaves (workerd
    // keeps it; there ours goes through that dispatch, the platform calling on<type> itself).
    const probeTarget = new EventTarget()
    const probe = new Event('probe')
    probeTarget.dispatchEvent(probe)
    const expectedCurrentTarget = probe.currentTarget === probeTarget ? 'the target' : probe.currentTarget
    const currentTarget = event.currentTarget === source ? 'the target' : event.currentTarget
    const after = {isTarget: event.target === source, currentTarget, eventPhase: event.eventPhase, path: event.composedPath().length}
    assertEqual(after, {isTarget: true, currentTarget: expectedCurrentTarget, eventPhase: 0, path: 0}, 'after the dispatch')
  },

  async 'named events reach their listeners, in order, with their ids'() {
    const source = open('/named')
    const seen = []
    for (const type of ['message', 'tick', 'tock', 'done']) source.addEventListener(type, (event) => seen.push(`${type}:${event.data}#${event.lastEventId}`))
    let handled = 0
    source.onmessage = () => handled++
    await once(source, 'done')
    source.close()
    assertEqual(seen, ['tick:1#7', 'tock:2#7', 'message:plain#9', 'done:end#9'], 'dispatched events (type:data#lastEventId)')
    assertEqual(handled, 1, 'onmessage calls (unnamed events only)')
    assertEqual(source.lastEventId, '9', 'lastEventId getter')
  },

  async 'reconnects with Last-Event-ID after the server drops the stream'() {
    const source = open('/reconnect')
    const messages = []
    const errors = []
    source.onmessage = (event) => messages.push({data: event.data, lastEventId: event.lastEventId})
    source.onerror = (event) =>
      errors.push({readyState: source.readyState, error: event.error?.name, willReconnect: event.willReconnect, reconnectDelay: event.reconnectDelay})
    await until(() => messages.length >= 2, 'the event after the reconnection')
    source.close()
    assertEqual(messages[0], {data: 'first', lastEventId: '1'}, 'first event')
    assertEqual(JSON.parse(messages[1].data), {attempt: 2, lastEventId: '1'}, 'the reconnection request as the server saw it')
    assertEqual(messages[1].lastEventId, '2', 'lastEventId of the second event')
    assertEqual(messages.length, 2, 'events (the cut-off "partial" one is not dispatched)')
    assertEqual(errors, [{readyState: EventSource.CONNECTING, error: 'NetworkError', willReconnect: true, reconnectDelay: 20}], 'error events')
    assertEqual([source.lastEventId, source.reconnectionTime], ['2', 20], '[lastEventId, reconnectionTime] getters')
  },

  async 'after a redirect, a POST reconnects as fetch re-sent it: GET after 303, POST after 307'() {
    for (const [status, expected] of [
      [303, {method: 'GET', body: '', contentType: null}],
      [307, {method: 'POST', body: 'prompt', contentType: 'text/plain'}],
    ]) {
      const source = open(`/redirect-${status}`, {method: 'POST', body: 'prompt', headers: {'Content-Type': 'text/plain'}})
      const seen = []
      source.onmessage = (event) => seen.push(JSON.parse(event.data))
      await until(() => seen.length >= 2, `the reconnection after ${status}`)
      source.close()
      assertEqual(seen.slice(0, 2), [expected, expected], `the redirected request and the reconnection after ${status}`)
    }
  },

  async 'POST with a JSON body and custom headers'() {
    const body = JSON.stringify({prompt: 'Write a haiku', n: 1, text: 'héllo ✓'})
    const source = open('/echo', {
      method: 'POST',
      headers: async ({attempt}) => ({'Content-Type': 'application/json', 'X-Custom': 'yes', 'X-Attempt': String(attempt)}),
      body,
      lastEventId: 'seed-7',
    })
    const event = await once(source, 'message')
    source.close()
    const seen = JSON.parse(event.data)
    assertEqual(
      {method: seen.method, contentType: seen.contentType, custom: seen.custom, attempt: seen.attempt, lastEventId: seen.lastEventId, body: seen.body},
      {method: 'POST', contentType: 'application/json', custom: 'yes', attempt: '1', lastEventId: 'seed-7', body},
      'request seen by the server',
    )
    assert(String(seen.accept).includes('text/event-stream'), `Accept includes text/event-stream (got ${seen.accept})`)
  },

  async 'fetch-event-source: events, a retry with Last-Event-ID, and abort resolves'() {
    const {fetchEventSource} = await import('../../dist/fetch-event-source.js')
    const controller = new AbortController()
    const messages = []
    let errors = 0
    await fetchEventSource(`${base}/reconnect?run=${run}-fetch-event-source`, {
      signal: controller.signal,
      onmessage: (message) => {
        messages.push(message)
        if (messages.length === 2) controller.abort()
      },
      // Nothing returned: the server's retry: 20 is the delay.
      onerror: () => {
        errors++
      },
    })
    assertEqual(messages[0], {id: '1', event: '', data: 'first', retry: 20}, 'the first message')
    assertEqual(JSON.parse(messages[1].data), {attempt: 2, lastEventId: '1'}, 'the retry as the server saw it')
    assertEqual([messages.length, messages[1].id, errors], [2, '2', 1], '[messages, the second id, onerror calls]')
  },

  async 'an HTTP 500 fails with HttpError details'() {
    const source = open('/status-500')
    let opens = 0
    source.onopen = () => opens++
    const event = await once(source, 'error')
    const {error} = event
    assert(error instanceof HttpError && error instanceof EventSourceError && error instanceof Error, `error is an HttpError (got ${error})`)
    assertEqual(
      {name: error.name, status: error.status, statusText: error.statusText, type: error.headers.get('content-type'), body: error.body},
      {name: 'HttpError', status: 500, statusText: 'Internal Server Error', type: 'text/plain', body: 'database is down'},
      'HttpError fields',
    )
    assertEqual({willReconnect: event.willReconnect, reconnectDelay: event.reconnectDelay}, {willReconnect: false, reconnectDelay: null}, 'plan')
    assertEqual([source.readyState, opens], [EventSource.CLOSED, 0], '[readyState, open events]')
    // The same failure through async iteration: the loop throws it.
    let thrown
    try {
      for await (const _ of iterate(open('/status-500'))) throw new Error('no event expected')
    } catch (caught) {
      thrown = caught
    }
    assert(thrown instanceof HttpError && thrown.status === 500, `for await throws the HttpError (got ${thrown})`)
  },

  async 'a wrong Content-Type fails with ContentTypeError'() {
    const source = open('/wrong-type')
    const event = await once(source, 'error')
    assert(event.error instanceof ContentTypeError, `error is a ContentTypeError (got ${event.error})`)
    assert(!(event.error instanceof NetworkError), 'not a NetworkError')
    assertEqual(event.error.contentType, 'text/html; charset=utf-8', 'contentType')
    assertEqual([event.willReconnect, event.reconnectDelay, source.readyState], [false, null, EventSource.CLOSED], '[willReconnect, reconnectDelay, readyState]')
  },

  // [spec] an id may hold any C0 control but NUL (CR and LF end the line) and DEL, and Fetch allows
  // them in a header value. A fetch that sends them (Bun) gets the exact bytes to the server; one that
  // refuses them (Node's undici, Deno) must fail the connection and say why, never retry in silence.
  async 'an id with control characters: the reconnection sends its exact bytes, or fails naming the header'() {
    const id = 'a\u0001b\u007fc'
    const source = open('/control-id')
    const messages = []
    const errors = []
    source.onmessage = (event) => messages.push([event.data, event.lastEventId])
    source.onerror = (event) => errors.push({error: event.error, willReconnect: event.willReconnect, readyState: source.readyState})
    await until(() => messages.length >= 2 || source.readyState === EventSource.CLOSED, 'the reconnection or a failed connection')
    assertEqual(messages[0], ['first', id], 'the first event and its lastEventId')
    if (messages.length >= 2) {
      const hex = Array.from(new TextEncoder().encode(id), (byte) => byte.toString(16).padStart(2, '0')).join('')
      assertEqual(messages[1], [hex, id], 'the Last-Event-ID bytes the server got (hex)')
      return 'sent'
    }
    const attempts = await (await fetch(`${base}/control-id-attempts?run=${run}`)).json()
    assertEqual(errors.map(({error, willReconnect, readyState}) => [error?.name ?? null, willReconnect, readyState]), [[null, true, 0], ['RequestInitError', false, 2]], 'error events')
    const {error} = errors[1]
    assert(error instanceof RequestInitError && error.message.includes(`last-event-id: ${JSON.stringify(id)}`), `the error names the header (got ${error?.message})`)
    assertEqual(attempts, 1, 'requests the server got')
    return 'refused by fetch: RequestInitError'
  },

  async 'close() stops events and drops the connection'() {
    const source = open('/ticks')
    const data = []
    let errors = 0
    source.onerror = () => errors++
    source.onmessage = (event) => {
      data.push(event.data)
      if (data.length === 2) source.close()
    }
    await until(() => data.length >= 2, 'two ticks')
    assertEqual(source.readyState, EventSource.CLOSED, 'readyState')
    // Ticks come every 25 ms: a source that kept reading would have dispatched more by now.
    await sleep(200)
    assertEqual([data, errors], [['1', '2'], 0], '[events, error events] after close()')
    let closed = null
    for (let polls = 0; polls < 60 && closed !== true; polls++) {
      closed = (await (await fetch(`${base}/ticks-closed?run=${run}`)).json()).closed
      if (closed !== true) await sleep(50)
    }
    assertEqual(closed, true, 'the server saw the connection close')
  },

  async 'async iteration yields every event and break closes the source'() {
    const source = open('/iterate')
    const seen = []
    for await (const event of iterate(source)) {
      seen.push(`${event.type}:${event.data}`)
      if (event.type === 'done') break
    }
    assertEqual(seen, ['message:a', 'message:b', 'done:c'], 'iterated events')
    assertEqual(source.readyState, EventSource.CLOSED, 'readyState after break')
  },

  async 'parseEventStream reads a fetch response, tracks lastEventId, and break ends the request'() {
    const ticks = `${run}-parse`
    const events = parseEventStream(await fetch(`${base}/ticks?run=${ticks}`))
    const seen = []
    for await (const event of events) {
      seen.push([event.type, event.data, event.lastEventId, event.id])
      if (seen.length === 2) break
    }
    assertEqual(seen, [['message', '1', '1', '1'], ['message', '2', '2', '2']], 'parsed events')
    assertEqual([events.lastEventId, events.reconnectionTime], ['2', undefined], '[lastEventId, reconnectionTime] of the iterator')
    let closed = null
    for (let polls = 0; polls < 60 && closed !== true; polls++) {
      closed = (await (await fetch(`${base}/ticks-closed?run=${ticks}`)).json()).closed
      if (closed !== true) await sleep(50)
    }
    assertEqual(closed, true, 'the server saw the request end after break')
  },

  async 'parseEventStream checks the response like the EventSource, and decodes without TextDecoderStream'() {
    let thrown
    try {
      for await (const _ of parseEventStream(await fetch(`${base}/status-500?run=${run}`))) throw new Error('no event expected')
    } catch (caught) {
      thrown = caught
    }
    assert(thrown instanceof HttpError && thrown instanceof ParseHttpError, `one HttpError class for both entries (got ${thrown})`)
    assertEqual([thrown.status, thrown.body], [500, 'database is down'], 'HttpError fields')
    const saved = globalThis.TextDecoderStream
    // Where the global cannot be deleted (workerd), the decoder still never touches it.
    try {
      delete globalThis.TextDecoderStream
    } catch {
      // not configurable there
    }
    try {
      const bytes = new TextEncoder().encode('\uFEFFretry: 1500\r\nid: é\r\ndata: café 🙂\r\n\r\ndata: cut')
      const chunks = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1))
      // workerd before 2022-11-30 has no ReadableStream constructor: an async iterable of the same bytes there.
      const pull = (controller) => (chunks.length ? controller.enqueue(chunks.shift()) : controller.close())
      let source
      try {
        source = new ReadableStream({pull})
      } catch {
        source = (async function* () {
          yield* chunks
        })()
      }
      const events = parseEventStream(source)
      const seen = []
      for await (const event of events) seen.push([event.data, event.lastEventId])
      assertEqual(seen, [['café 🙂', 'é']], 'events from single bytes')
      assertEqual(events.reconnectionTime, 1500, 'reconnectionTime')
    } finally {
      if (saved && globalThis.TextDecoderStream !== saved) globalThis.TextDecoderStream = saved
    }
  },

  async 'EventSource.fromReadableStream interprets a fetch body, then fails without reconnecting'() {
    const response = await fetch(`${base}/named?run=${run}`)
    const source = EventSource.fromReadableStream(response.body)
    opened.add(source)
    assertEqual([source.readyState, source.url, source.withCredentials], [EventSource.CONNECTING, 'about:event-stream', false], 'initial state')
    const seen = []
    for (const type of ['open', 'message', 'tick', 'tock', 'done']) source.addEventListener(type, (event) => seen.push(`${type}:${event.data ?? ''}:${event.origin ?? ''}`))
    const error = await once(source, 'error')
    assertEqual(seen, ['open::', 'tick:1:null', 'tock:2:null', 'message:plain:null', 'done:end:null'], 'dispatched events')
    assertEqual([error.error, error.willReconnect, source.readyState], [undefined, false, EventSource.CLOSED], '[error, willReconnect, readyState]')
  },

  async 'a body function is called before the attempt, and its failure is a RequestInitError'() {
    const source = open('/echo', {method: 'POST', body: ({attempt, lastEventId}) => JSON.stringify({attempt, lastEventId})})
    const event = await once(source, 'message')
    source.close()
    assertEqual(JSON.parse(event.data).body, '{"attempt":1,"lastEventId":""}', 'body sent')
    const failing = open('/echo', {
      method: 'POST',
      body: () => {
        throw new Error('no cursor')
      },
    })
    const failed = await once(failing, 'error')
    assert(failed.error instanceof RequestInitError, `error is a RequestInitError (got ${failed.error})`)
    assertEqual(failing.readyState, EventSource.CLOSED, 'readyState')
  },

  async 'a URL with a user and password: sent without them, a Basic challenge answered once with them'() {
    const url = `${base.replace('://', '://us%C3%A9r:p%40ss@')}/basic-auth?run=${run}`
    const source = new EventSource(url)
    opened.add(source)
    assertEqual(source.url, url, 'url attribute (with the userinfo)')
    const event = await once(source, 'message')
    source.close()
    assertEqual(JSON.parse(event.data), {credentials: 'usér:p@ss', requests: 2, url: `/basic-auth?run=${run}`}, 'what the server saw')
  },

  // [non-spec] the server entry: this runtime serves eventStream over real HTTP and our client reads it.
  async 'eventStream served by this runtime: read by the EventSource, resumed with Last-Event-ID, finally run on disconnect'() {
    // workerd before the 2022-11-30 compatibility date has no ReadableStream constructor: there
    // eventStream must throw at once (the platform's error names the flag that enables it), not hang.
    let hasConstructor = true
    try {
      new ReadableStream({pull() {}})
    } catch {
      hasConstructor = false
    }
    if (!hasConstructor) {
      let thrown
      try {
        eventStream(['a'], {heartbeatMs: 0})
      } catch (error) {
        thrown = error
      }
      assert(thrown && /ReadableStream/.test(String(thrown.message)), `eventStream throws naming ReadableStream (got ${thrown})`)
      return `no ReadableStream constructor here: eventStream throws "${String(thrown.message).slice(0, 80)}…"`
    }
    const seen = {lastEventIds: [], finallyRuns: 0, headers: undefined}
    const handler = (request) => {
      const response = eventStream(
        async function* ({lastEventId, signal}) {
          seen.lastEventIds.push(lastEventId)
          try {
            const n = Number(lastEventId) || 0
            yield {id: String(n + 1), data: `line ${n + 1}\r\n second`}
            yield {id: String(n + 2), event: 'two', data: ' leading space'}
            // The first stream ends here (the client reconnects); the second waits for the client to leave.
            if (n > 0) await new Promise((resolve) => signal.addEventListener('abort', resolve))
          } finally {
            seen.finallyRuns++
          }
        },
        {request, retry: 20, heartbeatMs: 40},
      )
      seen.headers ??= [response.headers.get('content-type'), response.headers.get('cache-control'), response.headers.has('connection')]
      return response
    }
    const server = await serve(handler)
    try {
      const source = new EventSource(server.url)
      opened.add(source)
      const messages = []
      for (const type of ['message', 'two']) source.addEventListener(type, (event) => messages.push(`${type} ${event.lastEventId}: ${event.data}`))
      await until(() => messages.length >= 4, 'four events over two connections')
      assertEqual(
        messages,
        ['message 1: line 1\n second', 'two 2:  leading space', 'message 3: line 3\n second', 'two 4:  leading space'],
        'events (type lastEventId: data)',
      )
      assertEqual(seen.lastEventIds, ['', '2'], 'the Last-Event-ID each generator got')
      assertEqual(source.reconnectionTime, 20, 'the initial retry')
      assertEqual(seen.headers, ['text/event-stream; charset=utf-8', 'no-cache, no-transform', false], '[content-type, cache-control, has connection]')
      // The client leaves in the middle of the second stream: the runtime cancels the body.
      source.close()
      await until(() => seen.finallyRuns === 2, "the second generator's finally after the disconnect")
    } finally {
      await server.close()
    }
  },

  async 'the polyfill installs EventSource only where it is missing'() {
    const before = globalThis.EventSource
    await import('../../dist/polyfill.js')
    if (typeof before === 'function') assert(globalThis.EventSource === before, 'a native EventSource is left alone')
    else assert(globalThis.EventSource === EventSource, 'globalThis.EventSource is ours')
  },
}

// ---- the runner -------------------------------------------------------------------------------

function withTimeout(promise, ms, label, setTimer) {
  let timer
  const timeout = new Promise((_, reject) => {
    timer = setTimer(() => reject(new Error(`${label} timed out after ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/**
 * Runs every case in order against the smoke server at `baseUrl`, one `ok`/`not ok` line per case.
 * @param {string} baseUrl - the server's base URL, e.g. http://127.0.0.1:1234
 * @param {{log: (line: string) => void, setTimer?: typeof setTimeout, serve: (handler: (request: Request) => Response) => Promise<{url: string, close: () => Promise<void>}>}} io -
 *   where lines go, the timer for the per-case timeout (Node-like runtimes pass an unref'd one), and
 *   how this runtime serves a fetch handler over HTTP on 127.0.0.1
 * @returns {Promise<number>} how many cases failed
 */
export async function runSmokeCases(baseUrl, {log, setTimer = setTimeout, serve: serveHandler}) {
  base = baseUrl
  serve = serveHandler
  run = Math.random().toString(36).slice(2)
  let failed = 0
  for (const [name, body] of Object.entries(cases)) {
    const started = performance.now()
    try {
      // A case may return a note on what this runtime did.
      const note = await withTimeout(body(), CASE_TIMEOUT_MS, name, setTimer)
      log(`ok - ${name} (${Math.round(performance.now() - started)} ms)${note ? `: ${note}` : ''}`)
    } catch (error) {
      failed++
      log(`not ok - ${name}: ${error?.stack ?? error}`)
    } finally {
      for (const source of opened) source.close()
      opened.clear()
    }
  }
  return failed
}
