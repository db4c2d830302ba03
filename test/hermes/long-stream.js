// The long stream in the Hermes smoke run: over XMLHttpRequest, `responseText` keeps all of a
// response, so the React Native build renews its request with the current Last-Event-ID before it
// reaches 8 MiB. The scripted server answers each request from the event after that ID; the whole
// stream is larger than 8 MiB.
import {OPEN, ofType, record, same, check, until} from './checks.js'
import {server} from './fake-xhr.js'
import {EventSource} from 'eventsource-kit'

const STREAM_URL = 'https://api.example.test/long'
const EVENTS = 10_000
const PAYLOAD = 'x'.repeat(1_000)
const EVENTS_PER_CHUNK = 64
const MIB = 1024 * 1024

/** A response with the events after the request's Last-Event-ID, up to {@link EVENTS}, then held open. */
function fromLastEventId(request) {
  const first = Number(request.headers['last-event-id'] ?? 0) + 1
  const chunks = []
  for (let start = first; start <= EVENTS; start += EVENTS_PER_CHUNK) {
    let chunk = ''
    for (let id = start; id < Math.min(start + EVENTS_PER_CHUNK, EVENTS + 1); id++) chunk += `id: ${id}\ndata: ${PAYLOAD}\n\n`
    chunks.push(chunk)
  }
  return {chunks, end: 'hold'}
}

/** The long-stream case: every event once, in order, no error, and no response past 8 MiB. */
export async function longStream() {
  const before = server.requests.length
  server.responses.push(fromLastEventId, fromLastEventId, fromLastEventId)
  const source = new EventSource(STREAM_URL)
  const events = record(source, [])
  await until(() => ofType(events, 'message').length >= EVENTS || ofType(events, 'error').length > 0, 60_000)
  const ids = ofType(events, 'message').map((event) => Number(event.lastEventId))
  const isEachOnceInOrder = ids.length === EVENTS && ids.every((id, index) => id === index + 1)
  check(`long stream: ${EVENTS} events of 1 KB (10 MB in all) arrive once each, in order`, isEachOnceInOrder, `${ids.length} events, first out of place at ${ids.findIndex((id, index) => id !== index + 1)}`)
  const requests = server.requests.slice(before)
  const longest = Math.max(...requests.map((request) => request.xhr.maxResponseLength))
  check('long stream: the request is renewed before responseText reaches 8 MiB', requests.length >= 2 && longest < 8 * MIB, `${requests.length} request(s), longest responseText ${longest} characters`)
  same('long stream: the renewal carries Last-Event-ID, with no error event and one open event', [typeof requests[1]?.headers['last-event-id'], ofType(events, 'error').length, ofType(events, 'open').length, source.readyState], ['string', 0, 1, OPEN])
  source.close()
}
