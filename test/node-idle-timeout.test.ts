// Node's fetch (undici) aborts a response body that stays silent for `bodyTimeout` (300 s by default)
// with `TypeError: terminated`, its cause a BodyTimeoutError: "the stream dies every five minutes".
// Here undici's own fetch runs with an Agent whose bodyTimeout is short, passed through the `fetch`
// option, against a server that goes silent after each batch of events: the source reconnects with
// Last-Event-ID and the server resumes after it, so no event is lost or repeated.
import type {IncomingMessage, ServerResponse} from 'node:http'
import {Agent, fetch as undiciFetch} from 'undici'
import {describe, expect, it} from 'vitest'
import {EventSource, type FetchLike, NetworkError} from '../src/index.js'
import {until, useCleanups} from './helpers.js'

const {defer, server} = useCleanups()

const BODY_TIMEOUT_MS = 150
const EVENTS_PER_CONNECTION = 3
const CONNECTIONS = 3

/** Sends the next EVENTS_PER_CONNECTION events after the request's Last-Event-ID in one write, then says nothing more. */
function resumingSilentStream(req: IncomingMessage, res: ServerResponse): void {
  const after = Number(req.headers['last-event-id'] ?? 0)
  res.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-store'})
  let body = after === 0 ? 'retry: 10\n\n' : ''
  for (let id = after + 1; id <= after + EVENTS_PER_CONNECTION; id++) body += `id: ${id}\ndata: event ${id}\n\n`
  res.write(body)
}

/** undici's fetch through `agent`, as the `fetch` option takes it. */
function fetchWith(agent: Agent): FetchLike {
  return (url, init) => undiciFetch(url, {...(init as Parameters<typeof undiciFetch>[1]), dispatcher: agent}) as unknown as Promise<Response>
}

describe("[non-spec] Node's body timeout (undici bodyTimeout) through the fetch option", () => {
  it('resumes the stream after "TypeError: terminated" with Last-Event-ID, and no event is lost or repeated', async () => {
    const target = await server(resumingSilentStream)
    const agent = new Agent({bodyTimeout: BODY_TIMEOUT_MS})
    defer(() => agent.destroy())
    const source = new EventSource(target.url, {fetch: fetchWith(agent)})
    defer(() => source.close())
    const messages: Array<{data: string; lastEventId: string}> = []
    const errors: Array<{error: unknown; willReconnect: boolean | undefined; readyState: number}> = []
    source.onmessage = (event) => messages.push({data: event.data, lastEventId: event.lastEventId})
    source.onerror = (event) => errors.push({error: event.error, willReconnect: event.willReconnect, readyState: source.readyState})
    await until(() => messages.length >= EVENTS_PER_CONNECTION * CONNECTIONS, 20_000)
    source.close()

    const total = EVENTS_PER_CONNECTION * CONNECTIONS
    expect(messages.slice(0, total)).toEqual(Array.from({length: total}, (_, index) => ({data: `event ${index + 1}`, lastEventId: String(index + 1)})))
    expect(target.requests.slice(0, CONNECTIONS).map((request) => request.headers['last-event-id'])).toEqual([undefined, '3', '6'])

    // One error event per timed-out body, each a NetworkError caused by undici's "terminated".
    expect(errors.length).toBeGreaterThanOrEqual(CONNECTIONS - 1)
    for (const {error, willReconnect, readyState} of errors.slice(0, CONNECTIONS - 1)) {
      expect(error).toBeInstanceOf(NetworkError)
      expect([willReconnect, readyState]).toEqual([true, EventSource.CONNECTING])
      const cause = (error as NetworkError).cause as Error & {cause?: Error & {code?: string}}
      expect(cause).toBeInstanceOf(TypeError)
      expect(cause.message).toBe('terminated')
      // undici names the body timeout as the cause of "terminated".
      expect(cause.cause?.name).toBe('BodyTimeoutError')
      expect(cause.cause?.code).toBe('UND_ERR_BODY_TIMEOUT')
    }
  })
})
