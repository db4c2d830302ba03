// eventsource-kit/shared in every engine (the driver seam): tabs of one browser context share one
// connection through Web Locks and BroadcastChannel. The feed is e2e/server/shared-routes.mjs (one
// event every 40 ms, its sequence number as its id). shared.spec.ts has the Chromium-only cases.
import type {Driver} from './support/driver.js'
import {MAIN_ORIGIN} from './support/origins.js'
import {newRunId} from './support/server-log.js'
import {expect, test} from './support/test.js'

// Waits that depend on a busy machine, never on a fixed sleep.
const SLOW = {timeout: 20_000}

interface Stats {
  open: number
  requests: Array<{lastEventId: string | null; tab: string | null}>
}

/** What a tab saw: 'open', 'error <name> <status>', 'leader', 'follower', 'tick N'. */
interface TabView {
  log: string[]
  ticks: number[]
  errors: Array<Record<string, unknown>>
  isLeader: boolean
  isShared: boolean
  readyState: number
}

const ticksUrl = (run: string): string => `/shared/ticks?id=${run}`

async function stats(run: string): Promise<Stats> {
  const response = await fetch(`${MAIN_ORIGIN}/shared/stats?id=${run}`)
  return (await response.json()) as Stats
}

/** `count` tabs of the driver's context: the driver's own page and `count - 1` more, on the harness page. */
async function openTabs(driver: Driver, count: number): Promise<Driver[]> {
  const tabs = [driver]
  while (tabs.length < count) {
    const tab = await driver.newPage()
    await tab.goto(`${MAIN_ORIGIN}/page.html`)
    tabs.push(tab)
  }
  return tabs
}

/** Opens a shared source in the tab that records what it sees. */
async function startShared(tab: Driver, url: string, name: string): Promise<void> {
  await tab.evaluate(
    async ({url, name}) => {
      const module = (await import(/* @vite-ignore */ '/dist/browser/shared.js' as string)) as typeof import('../src/shared/index.js')
      const main = (await import(/* @vite-ignore */ '/dist/browser/index.js' as string)) as typeof import('../src/index.js')
      const log: string[] = []
      const ticks: number[] = []
      const errors: Array<Record<string, unknown>> = []
      const source = new module.EventSource(url, {headers: () => ({'X-Tab': name})})
      source.onopen = () => log.push('open')
      source.onmessage = (event) => {
        log.push(event.data)
        ticks.push(Number(event.data.slice('tick '.length)))
        if (event.lastEventId !== event.data.slice('tick '.length) || event.origin !== location.origin) log.push(`bad event ${event.lastEventId} ${event.origin}`)
      }
      source.onerror = (event) => {
        const {error, willReconnect} = event
        log.push(`error ${error?.name ?? ''} ${(error as {status?: number} | undefined)?.status ?? ''}`.trim())
        const http = error instanceof main.HttpError ? error : undefined
        errors.push({isHttpError: http !== undefined, message: error?.message, status: http?.status, body: http?.body, reason: http?.headers.get('x-reason'), willReconnect})
      }
      source.addEventListener('leaderchange', () => log.push(source.isLeader ? 'leader' : 'follower'))
      Object.assign(globalThis, {tab: {source, log, ticks, errors}})
    },
    {url, name},
  )
}

const viewOf = (tab: Driver): Promise<TabView> =>
  tab.evaluate(() => {
    const {tab} = globalThis as unknown as {tab: {source: {isLeader: boolean; isShared: boolean; readyState: number}; log: string[]; ticks: number[]; errors: TabView['errors']}}
    return {log: tab.log, ticks: tab.ticks, errors: tab.errors, isLeader: tab.source.isLeader, isShared: tab.source.isShared, readyState: tab.source.readyState}
  }, undefined)

const countTicks = async (tab: Driver): Promise<number> => (await viewOf(tab)).ticks.length

const closeSource = (tab: Driver): Promise<void> =>
  tab.evaluate(() => (globalThis as unknown as {tab: {source: {close(): void}}}).tab.source.close(), undefined)

/** Names of the tab's Web Locks (held or queued) that eventsource-kit/shared made. */
const ourLocks = (tab: Driver): Promise<string[]> =>
  tab.evaluate(async () => {
    const {held = [], pending = []} = await navigator.locks.query()
    return [...held, ...pending].map((lock) => lock.name ?? '').filter((name) => name.startsWith('eventsource-kit:'))
  }, undefined)

async function leaders(tabs: Driver[]): Promise<Driver[]> {
  const flags = await Promise.all(tabs.map(async (tab) => (await viewOf(tab)).isLeader))
  return tabs.filter((_, index) => flags[index])
}

/** Every tick once, in order, without a gap. */
function expectContiguous(ticks: number[]): void {
  const first = ticks[0] ?? 0
  expect(ticks).toEqual(ticks.map((_, index) => first + index))
}

test.describe('[non-spec] eventsource-kit/shared across tabs', () => {
  test('three tabs share one request, every tab gets every event in order, once; closing all ends it and leaves no lock', async ({driver}) => {
    const run = newRunId()
    const tabs = await openTabs(driver, 3)
    for (const [index, tab] of tabs.entries()) await startShared(tab, ticksUrl(run), `tab ${index}`)
    for (const tab of tabs) await expect.poll(() => countTicks(tab), SLOW).toBeGreaterThan(20)
    const server = await stats(run)
    expect(server.open).toBe(1)
    expect(server.requests).toHaveLength(1)
    expect(await leaders(tabs)).toHaveLength(1)
    for (const tab of tabs) {
      const view = await viewOf(tab)
      expect(view).toMatchObject({isShared: true, readyState: 1})
      expect(view.log.filter((line) => !line.startsWith('tick '))).toEqual(view.isLeader ? ['leader', 'open'] : ['open'])
      expectContiguous(view.ticks)
    }
    for (const tab of tabs) await closeSource(tab)
    await expect.poll(async () => (await stats(run)).open, SLOW).toBe(0)
    for (const tab of tabs) await expect.poll(() => ourLocks(tab), SLOW).toEqual([])
  })

  test("when the leader's tab navigates away, another tab takes over and no tab misses or repeats an event", async ({driver}) => {
    const run = newRunId()
    const tabs = await openTabs(driver, 3)
    for (const [index, tab] of tabs.entries()) await startShared(tab, ticksUrl(run), `tab ${index}`)
    for (const tab of tabs) await expect.poll(() => countTicks(tab), SLOW).toBeGreaterThan(10)
    const [leader] = (await leaders(tabs)) as [Driver]
    const survivors = tabs.filter((tab) => tab !== leader)
    // pagehide and unload run; the lock is released with the document.
    await leader.goto('about:blank')
    await expect.poll(async () => (await leaders(survivors)).length, SLOW).toBe(1)
    const before = await Promise.all(survivors.map(countTicks))
    for (const [index, tab] of survivors.entries()) await expect.poll(() => countTicks(tab), SLOW).toBeGreaterThan((before[index] ?? 0) + 20)
    const server = await stats(run)
    expect(server.requests).toHaveLength(2)
    const [, second] = server.requests
    const [newLeader] = (await leaders(survivors)) as [Driver]
    // The new leader's headers function made the second request, with the newest id it had.
    expect(second?.tab).toBe(`tab ${tabs.indexOf(newLeader)}`)
    expect(second?.lastEventId).toMatch(/^\d+$/)
    for (const tab of survivors) {
      const view = await viewOf(tab)
      expectContiguous(view.ticks)
      expect(view.ticks).toContain(Number(second?.lastEventId) + 1)
      expect(view.log.filter((line) => line.startsWith('bad'))).toEqual([])
    }
    await expect.poll(async () => (await stats(run)).open, SLOW).toBe(1)
    for (const tab of survivors) await closeSource(tab)
    await expect.poll(async () => (await stats(run)).open, SLOW).toBe(0)
  })

  test("a follower sees the leader's HttpError with its status, and every tab's source closes", async ({driver}) => {
    const run = newRunId()
    const tabs = await openTabs(driver, 2)
    for (const [index, tab] of tabs.entries()) await startShared(tab, `/shared/status?id=${run}&status=401`, `tab ${index}`)
    for (const tab of tabs) await expect.poll(async () => (await viewOf(tab)).readyState, SLOW).toBe(2)
    const messages = new Set<unknown>()
    for (const tab of tabs) {
      const {errors, log} = await viewOf(tab)
      expect(errors).toEqual([expect.objectContaining({isHttpError: true, status: 401, body: 'shared stream refused', reason: 'test', willReconnect: false})])
      messages.add(errors[0]?.message)
      expect(log.filter((line) => line.startsWith('error'))).toEqual(['error HttpError 401'])
      await expect.poll(() => ourLocks(tab), SLOW).toEqual([])
    }
    // The same message in the leader and the follower.
    expect(messages.size).toBe(1)
  })

  test('without Web Locks each tab has its own connection, with the same API (isShared false)', async ({driver}) => {
    const run = newRunId()
    const tabs = await openTabs(driver, 2)
    for (const tab of tabs) {
      await tab.evaluate(() => {
        delete (Navigator.prototype as {locks?: unknown}).locks
      }, undefined)
    }
    for (const [index, tab] of tabs.entries()) await startShared(tab, ticksUrl(run), `tab ${index}`)
    for (const tab of tabs) await expect.poll(() => countTicks(tab), SLOW).toBeGreaterThan(10)
    expect((await stats(run)).open).toBe(2)
    for (const tab of tabs) {
      const view = await viewOf(tab)
      expect(view).toMatchObject({isShared: false, isLeader: true, readyState: 1})
      expect(view.log.filter((line) => !line.startsWith('tick '))).toEqual(['open'])
      expectContiguous(view.ticks)
    }
    for (const tab of tabs) await closeSource(tab)
    await expect.poll(async () => (await stats(run)).open, SLOW).toBe(0)
  })
})
