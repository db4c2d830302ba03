// [non-spec] The fetch-event-source entry in the react-native build: without a `fetch` option it
// streams over XMLHttpRequest (a fake with React Native's semantics over a loopback node:http
// server), as the EventSource does, never over React Native's global fetch (which buffers).
import type {IncomingMessage, ServerResponse} from 'node:http'
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'
import {setRenewalLimit} from '../../src/core/native/renewal.js'
import {type EventSourceMessage, fetchEventSource} from '../../src/fetch-event-source/index.js'
import {until, useCleanups} from '../helpers.js'
import {FakeXMLHttpRequest, installFakeXhr} from './fake-xhr.js'

const {defer, server} = useCleanups()

beforeEach(() => defer(installFakeXhr()))
afterEach(() => setRenewalLimit(undefined))

/** Events 1..count, each with its id, resumed after Last-Event-ID; the response stays open. */
function numbered(count: number) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    res.on('error', () => {})
    const after = Number(req.headers['last-event-id'] ?? 0)
    res.writeHead(200, {'content-type': 'text/event-stream'})
    let text = ''
    for (let index = after + 1; index <= count; index++) text += `id: ${index}\ndata: event ${index}\n\n`
    res.write(text)
  }
}

describe('[non-spec] fetchEventSource in the react-native build', () => {
  it('streams over XMLHttpRequest without a fetch option, never calling the global fetch', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch')
    defer(() => fetchSpy.mockRestore())
    const target = await server((_req, res) => {
      res.writeHead(200, {'content-type': 'text/event-stream'})
      // The response stays open: the event must arrive before its end.
      res.write('id: 7\nevent: tick\ndata: é€😀\n\n')
    })
    const controller = new AbortController()
    const seen: EventSourceMessage[] = []
    const done = fetchEventSource(target.url, {signal: controller.signal, headers: {'x-token': 'abc'}, onmessage: (message) => seen.push(message)})
    await until(() => seen.length === 1)
    expect(seen[0]).toMatchObject({id: '7', event: 'tick', data: 'é€😀'})
    expect(fetchSpy).not.toHaveBeenCalled()
    const [sent] = FakeXMLHttpRequest.records
    expect(sent?.isIncremental).toBe(true)
    expect(sent?.headers).toMatchObject({accept: 'text/event-stream', 'x-token': 'abc'})
    controller.abort()
    await done
    await until(() => FakeXMLHttpRequest.live() === 0)
  })

  it('renews a long stream with its last event ID: every message exactly once', async () => {
    setRenewalLimit(300)
    const count = 120
    const target = await server(numbered(count))
    const controller = new AbortController()
    const seen: string[] = []
    const done = fetchEventSource(target.url, {signal: controller.signal, onmessage: (message) => seen.push(message.data)})
    await until(() => seen.length >= count)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(seen).toEqual(Array.from({length: count}, (_, index) => `event ${index + 1}`))
    expect(target.requests.length).toBeGreaterThanOrEqual(3)
    const ids = target.requests.slice(1).map((request) => Number(request.headers['last-event-id']))
    expect(ids).toEqual([...ids].sort((a, b) => a - b))
    expect(ids[0]).toBeGreaterThan(0)
    controller.abort()
    await done
  })
})
