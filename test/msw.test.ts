import {HttpResponse, http} from 'msw'
import {setupServer} from 'msw/node'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {EventSource} from '../src/index.js'
import {until} from './helpers.js'

// msw shapes the network from inside the process: here it records what each attempt sends and
// answers with a streaming Response, the recipe that also works in the browser (msw's own sse()
// helper needs a native EventSource).

interface Seen {
  method: string
  accept: string | null
  lastEventId: string | null
  authorization: string | null
  body: string
}
const seen: Seen[] = []

const server = setupServer(
  http.post('http://127.0.0.1:8765/chat', async ({request}) => {
    seen.push({
      method: request.method,
      accept: request.headers.get('accept'),
      lastEventId: request.headers.get('last-event-id'),
      authorization: request.headers.get('authorization'),
      body: await request.text(),
    })
    const n = seen.length
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`retry: 5\nid: ${n}\nevent: token\ndata: {"token":"t${n}"}\n\n`))
        controller.close()
      },
    })
    return new HttpResponse(stream, {headers: {'content-type': 'text/event-stream'}})
  }),
)

beforeAll(() => server.listen({onUnhandledFrame: 'error'}))
afterAll(() => server.close())

describe('[non-spec] request shape through msw', () => {
  it('re-sends method, body and fresh headers with Last-Event-ID on every attempt', async () => {
    let token = 0
    const source = new EventSource<'token'>('http://127.0.0.1:8765/chat', {
      method: 'POST',
      body: JSON.stringify({prompt: 'Hello'}),
      headers: () => ({authorization: `Bearer ${++token}`, 'content-type': 'application/json'}),
    })
    const tokens: string[] = []
    source.addEventListener('token', (event) => tokens.push(JSON.parse(event.data).token))
    await until(() => tokens.length >= 3)
    source.close()
    expect(tokens.slice(0, 3)).toEqual(['t1', 't2', 't3'])
    expect(seen.slice(0, 3)).toEqual([
      {method: 'POST', accept: 'text/event-stream', lastEventId: null, authorization: 'Bearer 1', body: '{"prompt":"Hello"}'},
      {method: 'POST', accept: 'text/event-stream', lastEventId: '1', authorization: 'Bearer 2', body: '{"prompt":"Hello"}'},
      {method: 'POST', accept: 'text/event-stream', lastEventId: '2', authorization: 'Bearer 3', body: '{"prompt":"Hello"}'},
    ])
  })
})
