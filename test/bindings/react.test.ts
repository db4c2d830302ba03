// useEventSource (eventsource-kit/react) against real node:http servers, rendered with react-dom in a
// happy-dom document. Each "What must hold" of the bindings issue has a test here.
import {container} from './dom.js'
import {createElement as h, type ReactNode, StrictMode, useState} from 'react'
import {createRoot, hydrateRoot, type Root} from 'react-dom/client'
import {flushSync} from 'react-dom'
import {renderToString} from 'react-dom/server'
import {afterEach, describe, expect, it, vi} from 'vitest'
import {HttpError} from '../../src/index.js'
import {type EventSourceState, useEventSource, type UseEventSourceOptions} from '../../src/react/index.js'
import {burst, deferred, dropThenResume, fatalAfterDrop, hold, nextMacrotask, roomHandler, roomLoggingFetch, streamServer} from './streams.js'

const roots: Root[] = []
afterEach(() => {
  for (const root of roots.splice(0)) root.unmount()
})

function render(node: ReactNode): Root {
  const root = createRoot(container())
  roots.push(root)
  root.render(node)
  return root
}

/** A component that shows its stream and hands every render's state to `seen`. */
function Probe({url, options, seen}: {url: string | null; options?: UseEventSourceOptions<string>; seen?: (stream: EventSourceState) => void}) {
  const stream = useEventSource(url, options)
  seen?.(stream)
  return h('p', null, `${stream.status} ${stream.lastEventId} ${stream.data ?? ''}`)
}

/** The distinct values in order (consecutive repeats dropped). */
const transitions = <T,>(values: readonly T[]): T[] => values.filter((value, index) => index === 0 || value !== values[index - 1])

describe('useEventSource (React)', () => {
  it('[non-spec] opens exactly one request for three components with the same key under StrictMode, and ends it when all unmount', async () => {
    const server = await streamServer((_req, res) => hold(res, 'id: 1\ndata: shared\n\n'))
    const states: EventSourceState[] = []
    const root = render(h(StrictMode, null, h(Probe, {url: server.url, seen: (s) => states.push(s)}), h(Probe, {url: server.url}), h(Probe, {url: server.url})))
    await vi.waitFor(() => expect(states.at(-1)?.data).toBe('shared'))
    expect(server.requests).toHaveLength(1)
    root.unmount()
    roots.length = 0
    await vi.waitFor(() => expect(server.timeline).toEqual(['+0', '-0']))
  })

  it('[non-spec] reuses the source for a remount within the same macrotask', async () => {
    const server = await streamServer((_req, res) => hold(res, 'data: first\n\n'))
    const states: EventSourceState[] = []
    let remount = (): void => {}
    function Parent() {
      const [generation, setGeneration] = useState(0)
      remount = () => setGeneration((value) => value + 1)
      // A new React key: the old component unmounts and a new one mounts in the same commit.
      return h(Probe, {key: generation, url: server.url, seen: (s) => states.push(s)})
    }
    render(h(Parent))
    await vi.waitFor(() => expect(states.at(-1)?.status).toBe('open'))
    flushSync(remount)
    flushSync(remount)
    await nextMacrotask()
    await nextMacrotask()
    expect(states.at(-1)?.data).toBe('first')
    expect(server.requests).toHaveLength(1)
    expect(server.timeline).toEqual(['+0'])
  })

  it('[non-spec] makes no request on the server, and the client hydrates without a mismatch', async () => {
    const server = await streamServer((_req, res) => hold(res, 'id: 7\ndata: live\n\n'))
    const errors: unknown[] = []
    const consoleError = vi.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args))
    try {
      const app = h(Probe, {url: server.url})
      const html = renderToString(app)
      expect(html).toBe('<p>connecting  </p>')
      const element = container()
      element.innerHTML = html
      await nextMacrotask()
      expect(server.requests).toHaveLength(0)
      const root = hydrateRoot(element, app, {onRecoverableError: (error) => void errors.push(error)})
      roots.push(root)
      await vi.waitFor(() => expect(element.textContent).toBe('open 7 live'))
      expect(server.requests).toHaveLength(1)
      expect(errors).toEqual([])
    } finally {
      consoleError.mockRestore()
    }
  })

  it('[non-spec] renders a null URL on the server and the client as closed, with no request', async () => {
    expect(renderToString(h(Probe, {url: null}))).toBe('<p>closed  </p>')
    const states: EventSourceState[] = []
    render(h(Probe, {url: null, seen: (s) => states.push(s)}))
    await vi.waitFor(() => expect(states.length).toBeGreaterThan(0))
    expect(states.at(-1)).toMatchObject({status: 'closed', readyState: 2, data: undefined})
  })

  it('[non-spec] hands every event of a 500-event chunk to onMessage, in order', async () => {
    const server = await streamServer((_req, res) => hold(res, `${burst(500)}event: done\ndata: end\n\n`))
    const received: string[] = []
    const states: EventSourceState[] = []
    render(h(Probe, {url: server.url, options: {events: ['done'], onMessage: (event) => received.push(event.data)}, seen: (s) => states.push(s)}))
    await vi.waitFor(() => expect(states.at(-1)?.data).toBe('end'))
    expect(received).toEqual([...Array.from({length: 500}, (_, index) => String(index)), 'end'])
    expect(states.at(-1)?.lastEventId).toBe('499')
  })

  it('[non-spec] goes open → reconnecting → open after a drop, keeping lastEventId and sending it as Last-Event-ID', async () => {
    const second = deferred()
    // Answered once the test has seen `reconnecting`, so no render can skip it.
    const server = await streamServer(dropThenResume(second.promise))
    const states: EventSourceState[] = []
    render(h(Probe, {url: server.url, seen: (s) => states.push(s)}))
    await vi.waitFor(() => expect(states.at(-1)?.status).toBe('reconnecting'))
    expect(states.at(-1)).toMatchObject({lastEventId: '41', data: 'before', readyState: 0, error: undefined})
    second.resolve()
    await vi.waitFor(() => expect(states.at(-1)?.data).toBe('after'))
    expect(transitions(states.map((s) => s.status))).toEqual(['connecting', 'open', 'reconnecting', 'open'])
    expect(server.requests[1]?.headers['last-event-id']).toBe('41')
  })

  it('[non-spec] gives closed with the typed error after a fatal status, and reconnect() resumes with the last event ID', async () => {
    const server = await streamServer(fatalAfterDrop(503))
    const states: EventSourceState[] = []
    render(h(Probe, {url: server.url, seen: (s) => states.push(s)}))
    await vi.waitFor(() => expect(states.at(-1)?.status).toBe('closed'))
    const failed = states.at(-1) as EventSourceState
    expect(failed.readyState).toBe(2)
    expect(failed.error).toBeInstanceOf(HttpError)
    expect(failed.error instanceof HttpError && failed.error.status).toBe(503)
    failed.reconnect()
    await vi.waitFor(() => expect(states.at(-1)?.data).toBe('two'))
    expect(server.requests[2]?.headers['last-event-id']).toBe('5')
    expect(transitions(states.map((s) => s.status))).toEqual(['connecting', 'open', 'reconnecting', 'closed', 'reconnecting', 'open'])
  })

  it('[non-spec] close() closes the shared source for every component', async () => {
    const server = await streamServer((_req, res) => hold(res, 'data: x\n\n'))
    const first: EventSourceState[] = []
    const second: EventSourceState[] = []
    render(h('div', null, h(Probe, {url: server.url, seen: (s) => first.push(s)}), h(Probe, {url: server.url, seen: (s) => second.push(s)})))
    await vi.waitFor(() => expect(second.at(-1)?.data).toBe('x'))
    first.at(-1)?.close()
    await vi.waitFor(() => expect(second.at(-1)?.status).toBe('closed'))
    await vi.waitFor(() => expect(server.timeline).toEqual(['+0', '-0']))
  })

  it('[non-spec] does not reconnect for inline callbacks and headers that change on every render; headers run per attempt', async () => {
    // The first stream sends ten events (ten re-renders) and stays open until the test ends it.
    const server = await streamServer((_req, res, index) => hold(res, index === 0 ? `retry: 10\n${burst(10)}` : 'data: again\n\n'))
    const calls: string[] = []
    let renders = 0
    let shown = -1
    function Tokened() {
      const [token, setToken] = useState(0)
      renders += 1
      shown = token
      const stream = useEventSource(server.url, {
        headers: () => ({authorization: `Bearer ${token}`}),
        onMessage: (event) => {
          calls.push(`message ${event.data} at token ${token}`)
          setToken((value) => value + 1)
        },
        onError: () => calls.push(`error at token ${token}`),
      })
      return h('p', null, stream.data)
    }
    render(h(Tokened))
    await vi.waitFor(() => expect(shown).toBe(10))
    expect(renders).toBeGreaterThan(2)
    expect(server.requests).toHaveLength(1)
    for (const res of server.open) res.end()
    await vi.waitFor(() => expect(calls.at(-1)).toBe('message again at token 10'))
    expect(calls).toContain('error at token 10')
    // One reconnection (the server ended the stream), whose request called the latest headers function.
    expect(server.requests.map((request) => request.headers.authorization)).toEqual(['Bearer 0', 'Bearer 10'])
  })

  it('[non-spec] closes the old request before the new one opens when the URL changes; the old stream never updates state again', async () => {
    const order: string[] = []
    const server = await streamServer(roomHandler)
    const fetchLogged = roomLoggingFetch(order)
    const states: EventSourceState[] = []
    const received: string[] = []
    let setRoom = (_room: string): void => {}
    function Room() {
      const [room, set] = useState('a')
      setRoom = set
      const stream = useEventSource(`${server.url}?room=${room}`, {fetch: fetchLogged, onMessage: (event) => received.push(event.data)})
      states.push(stream)
      return h('p', null, stream.data)
    }
    render(h(Room))
    await vi.waitFor(() => expect(received).toContain('late a'))
    flushSync(() => setRoom('b'))
    await vi.waitFor(() => expect(states.at(-1)?.data).toMatch(/b$/))
    expect(order.slice(0, 3)).toEqual(['fetch room=a', 'abort room=a', 'fetch room=b'])
    // The new request started with no Last-Event-ID.
    expect(server.requests[1]?.headers['last-event-id']).toBeUndefined()
    await vi.waitFor(() => expect(server.timeline.slice(0, 3)).toEqual(['+0', '-0', '+1']))
    const switched = states.findIndex((state) => state.data === 'b')
    expect(states.slice(switched).every((state) => state.data?.endsWith('b'))).toBe(true)
    expect(received.slice(received.indexOf('b')).every((data) => data.endsWith('b'))).toBe(true)
    // Between the switch and the new stream's first event, the state was the new stream's: empty ID.
    const firstAfterSwitch = states.findIndex((state, index) => index > 0 && states[index - 1]?.data?.endsWith('a') && !state.data?.endsWith('a'))
    expect(states[firstAfterSwitch]).toMatchObject({status: 'connecting', lastEventId: '', data: undefined})
  })

  it('[non-spec] starts a new key with the given lastEventId', async () => {
    const server = await streamServer((_req, res) => hold(res, 'data: x\n\n'))
    render(h(Probe, {url: server.url, options: {lastEventId: 'seed'}}))
    await vi.waitFor(() => expect(server.requests).toHaveLength(1))
    expect(server.requests[0]?.headers['last-event-id']).toBe('seed')
  })

  it('[non-spec] gives each component its own source with share: false', async () => {
    const server = await streamServer((_req, res) => hold(res, 'data: x\n\n'))
    const states: EventSourceState[] = []
    render(h(StrictMode, null, h(Probe, {url: server.url, options: {share: false}}), h(Probe, {url: server.url, options: {share: false}, seen: (s) => states.push(s)})))
    await vi.waitFor(() => expect(states.at(-1)?.data).toBe('x'))
    await vi.waitFor(() => expect(server.requests).toHaveLength(2))
  })

  it('[non-spec] reports a bad URL (SyntaxError) and a bad option (TypeError naming it) to React, and opens nothing', async () => {
    const server = await streamServer((_req, res) => hold(res))
    for (const [props, expected] of [
      [{url: 'http://[::1'}, {name: 'SyntaxError'}],
      [{url: server.url, options: {reconnectionTime: -1}}, {name: 'TypeError', message: expect.stringContaining('reconnectionTime')}],
    ] as const) {
      const errors: unknown[] = []
      const root = createRoot(container(), {onUncaughtError: (error) => void errors.push(error)})
      roots.push(root)
      root.render(h(Probe, props))
      await vi.waitFor(() => expect(errors).toHaveLength(1))
      expect(errors[0]).toMatchObject(expected)
    }
    await nextMacrotask()
    expect(server.requests).toHaveLength(0)
  })
})
