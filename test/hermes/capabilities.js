// The capabilities you import, in the Hermes smoke run: `for await` over a source (eventsource-kit/
// iterate: an async iterator, lowered by Babel for Hermes before V1) and a reconnection policy
// (eventsource-kit/reconnect), each from the react-native build.
import {CLOSED, check, ofType, record, same, track, until} from './checks.js'
import {server} from './fake-xhr.js'
import {EventSource} from 'eventsource-kit'
import {iterate} from 'eventsource-kit/iterate'
import {backoff} from 'eventsource-kit/reconnect'

const STREAM_URL = 'https://api.example.test/capabilities'

/** `for await` takes the events in order; leaving the loop closes the source and aborts its request. */
async function iterated() {
  server.responses.push({chunks: ['data: a\n\n', 'event: tick\ndata: b\n\n', 'data: c\n\ndata: d\n\n'], end: 'hold'})
  const before = server.requests.length
  const source = track(new EventSource(STREAM_URL))
  const seen = []
  for await (const event of iterate(source)) {
    seen.push(`${event.type}:${event.data}`)
    if (seen.length === 3) break
  }
  same('iterate: for await takes the events in order, of every type', seen, ['message:a', 'tick:b', 'message:c'])
  check('iterate: leaving the loop closes the source and aborts its request', source.readyState === CLOSED && server.requests[before]?.xhr.isAborted === true, `readyState ${source.readyState}`)
}

/** A policy that allows no retry: a dropped connection fails the source, with one request. */
async function policy() {
  server.responses.push({chunks: ['data: once\n\n'], end: 'error'})
  const before = server.requests.length
  const source = new EventSource(STREAM_URL, {reconnect: backoff({maxRetries: 0})})
  const events = record(source, [])
  await until(() => source.readyState === CLOSED)
  same('reconnect: backoff({maxRetries: 0}) fails the connection after a drop, with no second request', [ofType(events, 'message', 'error').map((event) => event.type), server.requests.length - before], [['message', 'error'], 1])
  source.close()
}

/** The cases of the capabilities. */
export async function capabilities() {
  await iterated()
  await policy()
}
