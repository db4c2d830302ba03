import type {ServerResponse} from 'node:http'
import {random, startServer, type TestServer} from '../helpers.js'
import {CUT_PLACES, type CutPlace, type LoggedEvent, placeOf} from './event-log.js'

// A replaying SSE server on 127.0.0.1: it serves a log of numbered events, resuming after the
// request's Last-Event-ID, and breaks its first `faults` responses at a random byte. Every response
// starts with a `retry:` block of its own: a dispatch without an id, which must not reset the
// client's last event ID (nor must a keep-alive comment block). Then it writes the next events up
// to the cut, and either destroys the socket ('reset') or stops writing and leaves the connection
// open ('stall', for the client's inactivityTimeout). Cut places are drawn evenly from
// between-events, mid-event, mid-line and mid-character, within the next three events, so each
// faulty connection delivers 0-3 events. After the faults it sends the rest of the log and keeps
// the connection open.

export type FaultKind = 'reset' | 'stall'

export interface ReplayServerOptions {
  readonly log: readonly LoggedEvent[]
  readonly fault: FaultKind
  /** How many responses to break. */
  readonly faults: number
  /** The `retry:` every response starts with (in a block of its own), in ms. */
  readonly retryMs: number
  readonly seed: number
}

export interface ReplayServer extends TestServer {
  /** Faulty responses so far, by where their cut landed. */
  readonly cuts: Record<CutPlace, number>
  /** Responses whose Last-Event-ID named no event of the log (answered 400). */
  readonly unknownLastEventIds: string[]
  /** Total responses. */
  readonly responses: () => number
  /** Events the client had when the faults ran out: what it read through faulty connections. */
  readonly eventsBeforeLastFault: () => number
}

const SSE_HEADERS = {'content-type': 'text/event-stream', 'cache-control': 'no-store'}
/** How many upcoming events a cut may fall within. */
const CUT_WINDOW_EVENTS = 3

export async function startReplayServer({log, fault, faults, retryMs, seed}: ReplayServerOptions): Promise<ReplayServer> {
  const next = random(seed)
  const cuts: Record<CutPlace, number> = {'between-events': 0, 'mid-event': 0, 'mid-line': 0, 'mid-character': 0}
  const unknownLastEventIds: string[] = []
  const indexOfId = new Map(log.map((event, index) => [event.id, index]))
  let responses = 0
  let faultsLeft = faults
  let eventsBeforeLastFault = 0

  /** The bytes of the events from `start` on, and where each block starts. */
  const blocksFrom = (start: number, count: number): {bytes: Uint8Array; blockStarts: Set<number>} => {
    const events = log.slice(start, start + count)
    const bytes = new Uint8Array(events.reduce((sum, event) => sum + event.bytes.length, 0))
    const blockStarts = new Set<number>()
    let offset = 0
    for (const event of events) {
      blockStarts.add(offset)
      bytes.set(event.bytes, offset)
      offset += event.bytes.length
    }
    return {bytes, blockStarts}
  }

  const serveFault = (res: ServerResponse, retryLine: Uint8Array, start: number): void => {
    const {bytes, blockStarts} = blocksFrom(start, CUT_WINDOW_EVENTS)
    // Every offset in the window, by place; pick a place that occurs, then an offset of that place.
    const offsets = new Map<CutPlace, number[]>(CUT_PLACES.map((place) => [place, []]))
    for (let offset = 0; offset <= bytes.length; offset++) offsets.get(placeOf(bytes, offset, blockStarts))?.push(offset)
    const places = CUT_PLACES.filter((place) => (offsets.get(place)?.length ?? 0) > 0)
    const place = places[Math.floor(next() * places.length)] as CutPlace
    const candidates = offsets.get(place) as number[]
    const cut = candidates[Math.floor(next() * candidates.length)] as number
    cuts[place]++
    const head = Buffer.concat([retryLine, bytes.subarray(0, cut)])
    // Destroy only once the bytes are on their way; a stall just writes nothing more.
    if (fault === 'reset') res.write(head, () => res.destroy())
    else res.write(head)
  }

  const server = await startServer((req, res) => {
    responses++
    const lastEventId = req.headers['last-event-id']
    const resumeAt = typeof lastEventId === 'string' ? indexOfId.get(lastEventId) : -1
    if (resumeAt === undefined) {
      unknownLastEventIds.push(String(lastEventId))
      res.writeHead(400)
      return res.end()
    }
    const start = resumeAt + 1
    res.writeHead(200, SSE_HEADERS)
    const retryLine = Buffer.from(`retry: ${retryMs}\n\n`)
    if (faultsLeft > 0 && start < log.length) {
      faultsLeft--
      return serveFault(res, retryLine, start)
    }
    if (faults > 0 && eventsBeforeLastFault === 0) eventsBeforeLastFault = start
    res.write(Buffer.concat([retryLine, blocksFrom(start, log.length - start).bytes]))
  })
  return {...server, cuts, unknownLastEventIds, responses: () => responses, eventsBeforeLastFault: () => eventsBeforeLastFault}
}
