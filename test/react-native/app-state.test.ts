// [non-spec] pauseWhenHidden in the React Native build follows AppState: `background` pauses,
// `active` resumes with Last-Event-ID, `inactive` changes nothing; no subscription outlives its attempt.
import {beforeEach, describe, expect, it, vi} from 'vitest'
import {EventSource} from '../../src/index.js'
import {record, until, useCleanups} from '../helpers.js'
import {FakeXMLHttpRequest, installFakeXhr} from './fake-xhr.js'

type Status = 'active' | 'background' | 'inactive'

// A scriptable AppState: `set()` changes the state and calls the `change` handlers, as React Native's does.
const appState = vi.hoisted(() => {
  const handlers = new Set<(state: string) => void>()
  return {
    currentState: 'active' as string | null,
    handlers,
    addEventListener(type: string, handler: (state: string) => void) {
      if (type !== 'change') throw new Error(`unexpected AppState event ${type}`)
      handlers.add(handler)
      return {remove: () => handlers.delete(handler)}
    },
    set(state: string) {
      this.currentState = state
      for (const handler of [...handlers]) handler(state)
    },
  }
})

vi.mock('react-native', () => ({AppState: appState}))

const {defer, server} = useCleanups()

beforeEach(() => {
  defer(installFakeXhr())
  appState.currentState = 'active'
  appState.handlers.clear()
})

/** A stream that stays open: one event per request, numbered by request. */
async function openStream() {
  return server((_req, res, index) => {
    res.writeHead(200, {'content-type': 'text/event-stream'})
    res.write(`id: ${index + 1}\ndata: ${index + 1}\n\n`)
  })
}

function source(url: string, pauseWhenHidden = true): EventSource {
  const created = new EventSource(url, {pauseWhenHidden})
  defer(() => created.close())
  return created
}

const set = (state: Status): void => appState.set(state)

describe('[non-spec] pauseWhenHidden with AppState', () => {
  it('drops the stream in the background and resumes with Last-Event-ID once active, without error events', async () => {
    const target = await openStream()
    const created = source(target.url)
    const seen = record(created, ['open', 'message', 'error'])
    await until(() => seen.some((event) => event.type === 'message'))
    expect(appState.handlers.size).toBe(1)
    set('background')
    await until(() => created.readyState === EventSource.CONNECTING)
    expect(FakeXMLHttpRequest.live()).toBe(0)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(target.requests).toHaveLength(1)
    set('active')
    await until(() => seen.filter((event) => event.type === 'message').length === 2)
    expect(seen.map((event) => event.type)).toEqual(['open', 'message', 'open', 'message'])
    expect(target.requests[1]?.headers['last-event-id']).toBe('1')
  })

  it('changes nothing when the app is inactive (iOS between states), nor when it becomes active from there', async () => {
    const target = await openStream()
    const created = source(target.url)
    const seen = record(created, ['open', 'message', 'error'])
    await until(() => seen.some((event) => event.type === 'message'))
    set('inactive')
    set('active')
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(created.readyState).toBe(EventSource.OPEN)
    expect(target.requests).toHaveLength(1)
    expect(FakeXMLHttpRequest.live()).toBe(1)
  })

  it('sends nothing while the app starts in the background, and connects once it is active', async () => {
    appState.currentState = 'background'
    const target = await openStream()
    const created = source(target.url)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(target.requests).toHaveLength(0)
    expect(created.readyState).toBe(EventSource.CONNECTING)
    set('inactive')
    expect(target.requests).toHaveLength(0)
    set('active')
    await until(() => created.readyState === EventSource.OPEN)
    expect(target.requests).toHaveLength(1)
  })

  it('removes its AppState subscription when the source closes, held or open', async () => {
    const target = await openStream()
    const open = source(target.url)
    await until(() => open.readyState === EventSource.OPEN)
    appState.currentState = 'background'
    const held = source(target.url)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(appState.handlers.size).toBe(2)
    open.close()
    held.close()
    expect(appState.handlers.size).toBe(0)
    expect(FakeXMLHttpRequest.live()).toBe(0)
  })

  it('reconnects, rather than fail, when the AbortSignal has no reason (React Native 0.76\'s abort-controller)', async () => {
    const Platform = globalThis.AbortController
    class ReasonlessAbortController extends Platform {
      constructor() {
        super()
        Object.defineProperty(this.signal, 'reason', {value: undefined})
      }
      override abort(): void {
        super.abort()
      }
    }
    globalThis.AbortController = ReasonlessAbortController
    defer(() => (globalThis.AbortController = Platform))
    // The first request is never answered: the pause comes while its headers are awaited.
    const target = await server((_req, res, index) => {
      if (index === 0) return
      res.writeHead(200, {'content-type': 'text/event-stream'})
      res.write('data: resumed\n\n')
    })
    const created = source(target.url)
    const seen = record(created, ['open', 'message', 'error'])
    await until(() => target.requests.length === 1)
    set('background')
    await until(() => seen.some((event) => event.type === 'error'))
    expect(created.readyState).toBe(EventSource.CONNECTING)
    expect(FakeXMLHttpRequest.live()).toBe(0)
    set('active')
    await until(() => seen.some((event) => event.type === 'message'))
    expect(seen.map((event) => event.type)).toEqual(['error', 'open', 'message'])
  })

  it('does not watch AppState without pauseWhenHidden: the background changes nothing', async () => {
    const target = await openStream()
    const created = source(target.url, false)
    await until(() => created.readyState === EventSource.OPEN)
    expect(appState.handlers.size).toBe(0)
    set('background')
    expect(created.readyState).toBe(EventSource.OPEN)
  })
})
