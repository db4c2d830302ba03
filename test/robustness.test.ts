// Failures no step expected, found in review: each must end in a clear state, never a silent hang,
// a tight loop, or an error that loses its class on the way to another tab.
import {describe, expect, it} from 'vitest'
import {CorsError, EventSource, NetworkError} from '../src/index.js'
import {fetchEventSource} from '../src/fetch-event-source/index.js'
import {reviveError, serializeError} from '../src/shared/protocol.js'
import {next, useCleanups} from './helpers.js'

const {defer, server} = useCleanups()

describe('[non-spec] an exception no step expected', () => {
  it('fails the connection with a NetworkError when a custom fetch answers without a readable body', async () => {
    // node-fetch v2's body is a Node stream: no getReader().
    const fetch = async (): Promise<Response> =>
      ({status: 200, ok: true, redirected: false, url: 'http://127.0.0.1:1/', headers: new Headers({'content-type': 'text/event-stream'}), body: {}}) as unknown as Response
    const source = new EventSource('http://127.0.0.1:1/', {fetch, reconnectionTime: 10})
    defer(() => source.close())
    const error = (await next(source, 'error')) as Event & {error?: unknown}
    expect(error.error).toBeInstanceOf(NetworkError)
    expect((error.error as NetworkError).cause).toBeInstanceOf(TypeError)
    expect(source.readyState).toBe(EventSource.CLOSED)
  })
})

describe('[non-spec] fetchEventSource with a retry: longer than a timer can wait', () => {
  it('waits (at most 2^31-1 ms) instead of reconnecting in a tight loop', async () => {
    // The body errors after the event (the socket is destroyed): a retry after the `retry:` delay.
    const target = await server((_req, res) => {
      res.writeHead(200, {'content-type': 'text/event-stream'})
      res.write('retry: 3000000000\ndata: x\n\n', () => setTimeout(() => res.destroy(), 20))
    })
    const controller = new AbortController()
    const warnings: string[] = []
    const onWarning = (warning: Error): void => void warnings.push(warning.name)
    process.on('warning', onWarning)
    defer(() => process.off('warning', onWarning))
    let messages = 0
    const done = fetchEventSource(target.url, {signal: controller.signal, onmessage: () => messages++})
    await new Promise((resolve) => setTimeout(resolve, 300))
    controller.abort()
    await done
    expect(messages).toBe(1)
    expect(target.requests).toHaveLength(1)
    expect(warnings).not.toContain('TimeoutOverflowWarning')
  })
})

describe('[non-spec] a CorsError relayed to another tab', () => {
  it('is rebuilt as a CorsError, still a NetworkError', () => {
    const error = new CorsError('http://127.0.0.1:1/events', new TypeError('Failed to fetch'))
    const revived = reviveError(structuredClone(serializeError(error)))
    expect(revived).toBeInstanceOf(CorsError)
    expect(revived).toBeInstanceOf(NetworkError)
    expect(revived?.message).toBe(error.message)
  })
})
