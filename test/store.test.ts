// The framework-free store under the bindings (src/store/index.ts), driven directly: what the React and
// Vue tests cannot reach through a framework.
import {afterEach, describe, expect, it, vi} from 'vitest'
import {CONNECTING_SNAPSHOT, IDLE_SNAPSHOT, type SourceListener, type SourceTarget, Subscription} from '../src/store/index.js'
import {hold, nextMacrotask, streamServer} from './bindings/streams.js'

/** A listener that records what it hears, and wants `message` plus `types`. */
function recorder(types: readonly string[] = []) {
  const heard: string[] = []
  const listener: SourceListener = {
    wants: (type) => type === 'message' || types.includes(type),
    message: (event) => void heard.push(`${event.type} ${event.data}`),
    open: () => void heard.push('open'),
    error: (event) => void heard.push(`error ${event.willReconnect}`),
    change: () => {},
  }
  return {heard, subscription: new Subscription(listener)}
}

const target = (url: string, key = `GET ${url}`): SourceTarget => ({key, url, init: () => ({})})

const subscriptions: Subscription[] = []
afterEach(async () => {
  for (const subscription of subscriptions.splice(0)) subscription.attach(null, [])
  process.removeListener('uncaughtException', onUncaught)
  for (const listener of uncaughtListeners) process.on('uncaughtException', listener)
  reported.length = 0
})

// A callback's exception is reported as an uncaught exception in Node; caught here to check it.
const reported: unknown[] = []
const onUncaught = (error: unknown) => reported.push(error)
const uncaughtListeners = process.listeners('uncaughtException')

function subscribe(types: readonly string[] = []) {
  const created = recorder(types)
  subscriptions.push(created.subscription)
  return created
}

describe('the source store', () => {
  it('[non-spec] gives the snapshot of no URL and of a key nobody holds without connecting', () => {
    const {subscription} = subscribe()
    expect(subscription.snapshot(null)).toBe(IDLE_SNAPSHOT)
    expect(subscription.snapshot('GET http://127.0.0.1:9/none')).toBe(CONNECTING_SNAPSHOT)
  })

  it('[non-spec] returns the same snapshot object until something changes', async () => {
    const server = await streamServer((_req, res) => hold(res, 'data: one\n\n'))
    const {subscription, heard} = subscribe()
    subscription.attach(target(server.url), ['message'])
    await vi.waitFor(() => expect(heard).toEqual(['open', 'message one']))
    const key = `GET ${server.url}`
    const first = subscription.snapshot(key)
    expect(subscription.snapshot(key)).toBe(first)
    expect(first).toMatchObject({status: 'open', readyState: 1, data: 'one', lastEventId: ''})
    subscription.close()
    const closed = subscription.snapshot(key)
    expect(closed).not.toBe(first)
    expect(closed).toMatchObject({status: 'closed', readyState: 2, data: 'one'})
    expect(first.status).toBe('open')
  })

  it('[non-spec] keeps one request while anyone holds the key, and ends it a macrotask after the last lets go', async () => {
    const server = await streamServer((_req, res) => hold(res, 'data: x\n\n'))
    const a = subscribe()
    const b = subscribe()
    a.subscription.attach(target(server.url), ['message'])
    b.subscription.attach(target(server.url), ['message'])
    await vi.waitFor(() => expect(b.heard).toEqual(['open', 'message x']))
    expect(a.heard).toEqual(['open', 'message x'])
    a.subscription.detach()
    b.subscription.detach()
    // Re-attached in the same macrotask: the same request goes on.
    b.subscription.attach(target(server.url), ['message'])
    await nextMacrotask()
    expect(server.timeline).toEqual(['+0'])
    b.subscription.detach()
    await vi.waitFor(() => expect(server.timeline).toEqual(['+0', '-0']))
    expect(server.requests).toHaveLength(1)
  })

  it('[non-spec] replaces a source closed by close() with a fresh one for a later subscriber', async () => {
    const server = await streamServer((_req, res, index) => hold(res, `data: ${index}\n\n`))
    const a = subscribe()
    a.subscription.attach(target(server.url), ['message'])
    await vi.waitFor(() => expect(a.heard).toContain('message 0'))
    a.subscription.close()
    a.subscription.detach()
    const b = subscribe()
    b.subscription.attach(target(server.url), ['message'])
    await vi.waitFor(() => expect(b.heard).toEqual(['open', 'message 1']))
  })

  it('[non-spec] does nothing on reconnect() once the source was released', async () => {
    const server = await streamServer((_req, res) => hold(res, 'data: x\n\n'))
    const a = subscribe()
    a.subscription.attach(target(server.url), ['message'])
    await vi.waitFor(() => expect(a.heard).toContain('message x'))
    a.subscription.detach()
    await vi.waitFor(() => expect(server.timeline).toEqual(['+0', '-0']))
    a.subscription.reconnect()
    await nextMacrotask()
    expect(server.requests).toHaveLength(1)
  })

  it('[non-spec] delivers only the named events a subscriber asked for, while listening to those of every sharer', async () => {
    const server = await streamServer((_req, res) => hold(res, 'event: a\ndata: 1\n\nevent: b\ndata: 2\n\ndata: 3\n\n'))
    const a = subscribe(['a'])
    const b = subscribe(['b'])
    a.subscription.attach(target(server.url), ['message', 'a'])
    b.subscription.attach(target(server.url), ['message', 'b'])
    await vi.waitFor(() => expect(a.heard.at(-1)).toBe('message 3'))
    expect(a.heard).toEqual(['open', 'a 1', 'message 3'])
    expect(b.heard).toEqual(['open', 'b 2', 'message 3'])
  })

  it('[non-spec] reports a callback that throws, and goes on delivering to the others', async () => {
    process.removeAllListeners('uncaughtException')
    process.on('uncaughtException', onUncaught)
    const server = await streamServer((_req, res) => hold(res, 'data: 1\n\ndata: 2\n\n'))
    const throwing: SourceListener = {
      wants: () => true,
      message: (event) => {
        throw new Error(`bad ${event.data}`)
      },
      open: () => {},
      error: () => {},
      change: () => {},
    }
    const broken = new Subscription(throwing)
    subscriptions.push(broken)
    const good = subscribe()
    broken.attach(target(server.url), ['message'])
    good.subscription.attach(target(server.url), ['message'])
    await vi.waitFor(() => expect(good.heard).toEqual(['open', 'message 1', 'message 2']))
    await vi.waitFor(() => expect(reported.map((error) => (error as Error).message)).toEqual(['bad 1', 'bad 2']))
  })
})
