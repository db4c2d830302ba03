// useEventSource (eventsource-kit/vue) against real node:http servers: in components mounted in a
// happy-dom document, and in bare effect scopes. Each "What must hold" of the bindings issue has a test.
import {container} from './dom.js'
import {afterEach, describe, expect, it, vi} from 'vitest'
import {createApp, createSSRApp, defineComponent, effectScope, type EffectScope, h, nextTick, ref, type Ref, watch} from 'vue'
import {renderToString} from 'vue/server-renderer'
import {HttpError} from '../../src/index.js'
import {useEventSource, type UseEventSourceOptions, type UseEventSourceReturn} from '../../src/vue/index.js'
import {burst, deferred, dropThenResume, fatalAfterDrop, hold, nextMacrotask, roomHandler, roomLoggingFetch, streamServer} from './streams.js'

const scopes: EffectScope[] = []
const unmounts: Array<() => void> = []
afterEach(() => {
  for (const scope of scopes.splice(0)) scope.stop()
  for (const unmount of unmounts.splice(0)) unmount()
})

/** Runs `useEventSource` in an effect scope stopped after the test. */
function inScope<T>(run: () => T): T {
  const scope = effectScope()
  scopes.push(scope)
  return scope.run(run) as T
}

/** The distinct values in order (consecutive repeats dropped). */
const transitions = <T>(values: readonly T[]): T[] => values.filter((value, index) => index === 0 || value !== values[index - 1])

/** A component showing its stream; `expose` receives what the composable returned. */
const Probe = defineComponent({
  props: {url: {type: String, default: null}, expose: {type: Function, default: undefined}},
  setup(props) {
    const stream = useEventSource(() => props.url as string | null)
    ;(props.expose as ((stream: UseEventSourceReturn) => void) | undefined)?.(stream)
    return () => h('p', null, `${stream.status.value} ${stream.lastEventId.value} ${stream.data.value ?? ''}`)
  },
})

describe('useEventSource (Vue)', () => {
  it('[non-spec] opens exactly one request for three components with the same key, and ends it when all unmount', async () => {
    const server = await streamServer((_req, res) => hold(res, 'id: 1\ndata: shared\n\n'))
    const element = container()
    const app = createApp({render: () => [h(Probe, {url: server.url}), h(Probe, {url: server.url}), h(Probe, {url: server.url})]})
    app.mount(element)
    await vi.waitFor(() => expect(element.textContent).toBe('open 1 shared'.repeat(3)))
    expect(server.requests).toHaveLength(1)
    app.unmount()
    await vi.waitFor(() => expect(server.timeline).toEqual(['+0', '-0']))
  })

  it('[non-spec] reuses the source for a remount within the same macrotask', async () => {
    const server = await streamServer((_req, res) => hold(res, 'data: first\n\n'))
    const generation = ref(0)
    const element = container()
    const app = createApp({render: () => h(Probe, {key: generation.value, url: server.url})})
    app.mount(element)
    unmounts.push(() => app.unmount())
    await vi.waitFor(() => expect(element.textContent).toBe('open  first'))
    generation.value += 1
    await nextTick()
    generation.value += 1
    await nextTick()
    await nextMacrotask()
    expect(element.textContent).toBe('open  first')
    expect(server.requests).toHaveLength(1)
    expect(server.timeline).toEqual(['+0'])
  })

  it('[non-spec] makes no request on the server, and the client hydrates without a mismatch', async () => {
    const server = await streamServer((_req, res) => hold(res, 'id: 7\ndata: live\n\n'))
    const App = {render: () => h(Probe, {url: server.url})}
    const html = await renderToString(createSSRApp(App))
    expect(html).toBe('<p>connecting  </p>')
    await nextMacrotask()
    expect(server.requests).toHaveLength(0)
    const warnings: unknown[] = []
    const warn = vi.spyOn(console, 'warn').mockImplementation((...args) => void warnings.push(args))
    const consoleError = vi.spyOn(console, 'error').mockImplementation((...args) => void warnings.push(args))
    try {
      const element = container()
      element.innerHTML = html
      const app = createSSRApp(App)
      app.config.warnHandler = (message) => void warnings.push(message)
      app.mount(element)
      unmounts.push(() => app.unmount())
      await vi.waitFor(() => expect(element.textContent).toBe('open 7 live'))
      expect(server.requests).toHaveLength(1)
      expect(warnings).toEqual([])
    } finally {
      warn.mockRestore()
      consoleError.mockRestore()
    }
  })

  it('[non-spec] hands every event of a 500-event chunk to on() and onMessage, in order', async () => {
    const server = await streamServer((_req, res) => hold(res, `${burst(500)}event: done\ndata: end\n\n`))
    const fromOn: string[] = []
    const fromOption: string[] = []
    const stream = inScope(() => {
      const result = useEventSource<'done'>(server.url, {onMessage: (event) => fromOption.push(event.data)})
      result.on('message', (event) => fromOn.push(event.data))
      result.on('done', (event) => fromOn.push(`done ${event.data}`))
      return result
    })
    await vi.waitFor(() => expect(stream.data.value).toBe('end'))
    const numbers = Array.from({length: 500}, (_, index) => String(index))
    expect(fromOn).toEqual([...numbers, 'done end'])
    // `done` was asked for through on(), so onMessage gets it too.
    expect(fromOption).toEqual([...numbers, 'end'])
    expect(stream.lastEventId.value).toBe('499')
  })

  it('[non-spec] goes open → reconnecting → open after a drop, keeping lastEventId and sending it as Last-Event-ID', async () => {
    const second = deferred()
    // Answered once the test has seen `reconnecting`, so no render can skip it.
    const server = await streamServer(dropThenResume(second.promise))
    const statuses: string[] = []
    const stream = inScope(() => useEventSource(server.url, {onOpen: () => statuses.push('open'), onError: (event) => statuses.push(event.willReconnect ? 'reconnecting' : 'closed')}))
    await vi.waitFor(() => expect(stream.status.value).toBe('reconnecting'))
    expect(stream.lastEventId.value).toBe('41')
    expect(stream.readyState.value).toBe(0)
    second.resolve()
    await vi.waitFor(() => expect(stream.data.value).toBe('after'))
    expect(stream.status.value).toBe('open')
    expect(statuses).toEqual(['open', 'reconnecting', 'open'])
    expect(server.requests[1]?.headers['last-event-id']).toBe('41')
  })

  it('[non-spec] gives closed with the typed error after a fatal status, and reconnect() resumes with the last event ID', async () => {
    const server = await streamServer(fatalAfterDrop(401))
    const stream = inScope(() => useEventSource(server.url))
    const statuses: string[] = []
    inScope(() => watchStatus(stream.status, statuses))
    await vi.waitFor(() => expect(stream.status.value).toBe('closed'))
    expect(stream.readyState.value).toBe(2)
    const error = stream.error.value
    expect(error).toBeInstanceOf(HttpError)
    expect(error instanceof HttpError && error.status).toBe(401)
    stream.reconnect()
    await vi.waitFor(() => expect(stream.data.value).toBe('two'))
    expect(server.requests[2]?.headers['last-event-id']).toBe('5')
    expect(transitions(statuses)).toEqual(['connecting', 'open', 'reconnecting', 'closed', 'reconnecting', 'open'])
  })

  it('[non-spec] calls a headers function per attempt, so a refreshed token needs no reconnection', async () => {
    const server = await streamServer((_req, res, index) => hold(res, index === 0 ? 'retry: 10\ndata: first\n\n' : 'data: second\n\n'))
    const token = ref('one')
    const stream = inScope(() => useEventSource(server.url, {headers: () => ({authorization: `Bearer ${token.value}`})}))
    await vi.waitFor(() => expect(stream.data.value).toBe('first'))
    token.value = 'two'
    // The server ends the first stream: the source reconnects with the new token.
    for (const res of server.open) res.end()
    await vi.waitFor(() => expect(stream.data.value).toBe('second'))
    expect(server.requests.map((request) => request.headers.authorization)).toEqual(['Bearer one', 'Bearer two'])
  })

  it('[non-spec] closes the old request before the new one opens when the URL changes; the old stream never updates state again', async () => {
    const order: string[] = []
    const server = await streamServer(roomHandler)
    const fetchLogged = roomLoggingFetch(order)
    const room = ref('a')
    const received: string[] = []
    const seen: Array<string | undefined> = []
    const options: UseEventSourceOptions = {fetch: fetchLogged, onMessage: (event) => received.push(event.data)}
    const stream = inScope(() => useEventSource(() => `${server.url}?room=${room.value}`, options))
    inScope(() => watchStatus(stream.lastEventId, seen))
    await vi.waitFor(() => expect(received).toContain('late a'))
    room.value = 'b'
    await vi.waitFor(() => expect(stream.data.value).toMatch(/b$/))
    expect(order.slice(0, 3)).toEqual(['fetch room=a', 'abort room=a', 'fetch room=b'])
    expect(server.requests[1]?.headers['last-event-id']).toBeUndefined()
    await vi.waitFor(() => expect(server.timeline.slice(0, 3)).toEqual(['+0', '-0', '+1']))
    expect(received.slice(received.indexOf('b')).every((data) => data.endsWith('b'))).toBe(true)
    // After the switch the ID went back to empty, then only the new stream's IDs.
    const reset = seen.lastIndexOf('')
    expect(reset).toBeGreaterThan(0)
    expect(seen.slice(reset + 1).every((id) => id?.startsWith('b-'))).toBe(true)
  })

  it('[non-spec] removes on() handlers with their scope, and releases the source with the last scope', async () => {
    const server = await streamServer((_req, res) => {
      hold(res)
      let count = 0
      const timer = setInterval(() => res.write(`data: ${++count}\n\n`), 5)
      res.on('close', () => clearInterval(timer))
    })
    const outer: string[] = []
    const inner: string[] = []
    const stream = inScope(() => useEventSource(server.url))
    inScope(() => stream.on('message', (event) => outer.push(event.data)))
    const nested = effectScope()
    nested.run(() => stream.on('message', (event) => inner.push(event.data)))
    await vi.waitFor(() => expect(inner.length).toBeGreaterThan(1))
    nested.stop()
    const stoppedAt = inner.length
    const outerAt = outer.length
    await vi.waitFor(() => expect(outer.length).toBeGreaterThan(outerAt + 2))
    expect(inner).toHaveLength(stoppedAt)
    for (const scope of scopes.splice(0)) scope.stop()
    await vi.waitFor(() => expect(server.timeline).toEqual(['+0', '-0']))
  })

  it('[non-spec] reports a bad URL (SyntaxError) and a bad option (TypeError naming it) to the app, and opens nothing', async () => {
    const server = await streamServer((_req, res) => hold(res))
    const BadOption = defineComponent({
      setup() {
        const stream = useEventSource(server.url, {reconnectionTime: -1})
        return () => h('p', null, stream.status.value)
      },
    })
    for (const [component, expected] of [
      [() => h(Probe, {url: 'http://[::1'}), {name: 'SyntaxError'}],
      [() => h(BadOption), {name: 'TypeError', message: expect.stringContaining('reconnectionTime')}],
    ] as const) {
      const errors: unknown[] = []
      const app = createApp({render: component})
      app.config.errorHandler = (error) => void errors.push(error)
      app.mount(container())
      unmounts.push(() => app.unmount())
      await vi.waitFor(() => expect(errors).toHaveLength(1))
      expect(errors[0]).toMatchObject(expected)
    }
    await nextMacrotask()
    expect(server.requests).toHaveLength(0)
  })

  it('[non-spec] exposes readonly refs', () => {
    const stream = inScope(() => useEventSource(null))
    expect(stream.status.value).toBe('closed')
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      ;(stream.status as Ref<string>).value = 'open'
    } finally {
      warn.mockRestore()
    }
    expect(stream.status.value).toBe('closed')
  })
})

/** Records every value of `source` (synchronously, so none is skipped). */
function watchStatus<T>(source: Readonly<Ref<T>>, into: T[]): void {
  into.push(source.value)
  // A sync watcher sees each assignment, not just the last one of a tick.
  watch(source, (value) => void into.push(value), {flush: 'sync'})
}
