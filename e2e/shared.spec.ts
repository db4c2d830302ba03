// eventsource-kit/shared in Chromium: several pages of one browser context share one connection.
// The cases every engine runs (through the driver seam) are in shared-tabs.spec.ts.
// The server (e2e/server/shared-routes.mjs) is a replaying feed on HTTP/1.1: one event every 40 ms,
// its sequence number as its id, so a transcript shows any gap or duplicate at a glance.
import {type BrowserContext, expect, type Page, test} from '@playwright/test'
import {DEMO_PORT} from './support/origins.js'
import {newRunId} from './support/server-log.js'

// Waits that depend on a busy machine, never on a fixed sleep.
const SLOW = {timeout: 20_000}

/** What a page keeps for the test: its source and what it saw. */
interface Tab {
  source: {readyState: number; isShared: boolean; isLeader: boolean; lastEventId: string; close(): void}
  /** 'open', 'error <name> <status>', 'leader', 'follower', or 'tick N' for a message. */
  log: string[]
  /** Sequence numbers of the messages, in order. */
  ticks: number[]
  timers: {active: Set<number>}
}

interface Stats {
  open: number
  requests: Array<{lastEventId: string | null; at: number; open: boolean; tab?: string}>
}

const ticksUrl = (run: string): string => `/shared/ticks?id=${run}`

async function stats(page: Page, run: string): Promise<Stats> {
  const response = await page.request.get(`/shared/stats?id=${run}`)
  return (await response.json()) as Stats
}

// Counts the page's live timers, to show that close() leaves none behind.
function trackTimers(): void {
  const active = new Set<number>()
  const scope = globalThis as unknown as {timers: {active: Set<number>}}
  scope.timers = {active}
  const {setInterval, clearInterval, setTimeout, clearTimeout} = globalThis
  globalThis.setInterval = ((handler: () => void, ms?: number) => {
    const id = setInterval(handler, ms) as unknown as number
    active.add(id)
    return id
  }) as typeof globalThis.setInterval
  globalThis.clearInterval = ((id?: number) => {
    active.delete(id as number)
    clearInterval(id)
  }) as typeof globalThis.clearInterval
  globalThis.setTimeout = ((handler: () => void, ms?: number) => {
    const id = setTimeout(() => {
      active.delete(id)
      handler()
    }, ms) as unknown as number
    active.add(id)
    return id
  }) as typeof globalThis.setTimeout
  globalThis.clearTimeout = ((id?: number) => {
    active.delete(id as number)
    clearTimeout(id)
  }) as typeof globalThis.clearTimeout
}

async function openPages(context: BrowserContext, count: number): Promise<Page[]> {
  const pages: Page[] = []
  for (let index = 0; index < count; index++) {
    const page = await context.newPage()
    await page.addInitScript(trackTimers)
    await page.goto('/')
    pages.push(page)
  }
  return pages
}

/** Opens a shared source in `page` that records what it sees. */
async function startShared(page: Page, url: string, name: string, init: Record<string, unknown> = {}): Promise<void> {
  await page.evaluate(
    async ({url, name, init}) => {
      const module = (await import(/* @vite-ignore */ '/dist/browser/shared.js' as string)) as typeof import('../src/shared/index.js')
      // The error classes are the main entry's, which the shared entry imports.
      const main = (await import(/* @vite-ignore */ '/dist/browser/index.js' as string)) as typeof import('../src/index.js')
      const log: string[] = []
      const ticks: number[] = []
      const source = new module.EventSource(url, {...init, headers: () => ({'X-Tab': name})})
      source.onopen = () => log.push('open')
      source.onmessage = (event) => {
        log.push(event.data)
        ticks.push(Number(event.data.slice('tick '.length)))
        if (event.lastEventId !== event.data.slice('tick '.length) || event.origin !== location.origin || !(event instanceof MessageEvent)) {
          log.push(`bad event ${event.lastEventId} ${event.origin}`)
        }
      }
      const errors: Array<Record<string, unknown>> = []
      source.onerror = (event) => {
        const {error, willReconnect} = event
        log.push(`error ${error?.name ?? ''} ${(error as {status?: number} | undefined)?.status ?? ''}`.trim())
        const http = error instanceof main.HttpError ? error : undefined
        errors.push({
          isHttpError: http !== undefined,
          message: error?.message,
          status: http?.status,
          body: http?.body,
          reason: http?.headers.get('x-reason'),
          willReconnect,
        })
      }
      source.addEventListener('leaderchange', () => log.push(source.isLeader ? 'leader' : 'follower'))
      Object.assign(globalThis, {tab: {source, log, ticks, errors}})
    },
    {url, name, init},
  )
}

const tabOf = (page: Page): Promise<Omit<Tab, 'source' | 'timers'> & {isLeader: boolean; isShared: boolean; readyState: number}> =>
  page.evaluate(() => {
    const {tab} = globalThis as unknown as {tab: Tab}
    return {log: [...tab.log], ticks: [...tab.ticks], isLeader: tab.source.isLeader, isShared: tab.source.isShared, readyState: tab.source.readyState}
  })

const countTicks = async (page: Page): Promise<number> => (await tabOf(page)).ticks.length

/** Every tick once, in order, without a gap. */
function expectContiguous(ticks: number[]): void {
  const first = ticks[0] ?? 0
  expect(ticks).toEqual(ticks.map((_, index) => first + index))
}

async function leaders(pages: Page[]): Promise<Page[]> {
  const flags = await Promise.all(pages.map(async (page) => (await tabOf(page)).isLeader))
  return pages.filter((_, index) => flags[index])
}

/** Names of the page's Web Locks (held or queued) that eventsource-kit/shared made. */
const ourLocks = (page: Page): Promise<string[]> =>
  page.evaluate(async () => {
    const {held = [], pending = []} = await navigator.locks.query()
    return [...held, ...pending].map((lock) => lock.name ?? '').filter((name) => name.startsWith('eventsource-kit:'))
  })

test.describe('[non-spec] eventsource-kit/shared', () => {
  test('eight tabs share one request, and every tab gets every event in order, once', async ({context}) => {
    const run = newRunId()
    const pages = await openPages(context, 8)
    for (const [index, page] of pages.entries()) await startShared(page, ticksUrl(run), `tab ${index}`)
    for (const page of pages) await expect.poll(() => countTicks(page), SLOW).toBeGreaterThan(20)
    const server = await stats(pages[0] as Page, run)
    expect(server.open).toBe(1)
    expect(server.requests).toHaveLength(1)
    expect(await leaders(pages)).toHaveLength(1)
    const tabs = await Promise.all(pages.map(tabOf))
    for (const tab of tabs) {
      expect(tab.isShared).toBe(true)
      expect(tab.readyState).toBe(1)
      expect(tab.log.filter((line) => !line.startsWith('tick '))).toEqual(tab.isLeader ? ['leader', 'open'] : ['open'])
      expectContiguous(tab.ticks)
    }
    // The tabs saw the same events: where two transcripts overlap, they are equal.
    const last = Math.min(...tabs.map((tab) => tab.ticks.at(-1) ?? 0))
    const latestStart = Math.max(...tabs.map((tab) => tab.ticks[0] ?? 0))
    for (const tab of tabs) expect(tab.ticks.filter((tick) => tick >= latestStart && tick <= last)).toHaveLength(last - latestStart + 1)
    for (const page of pages) await page.evaluate(() => (globalThis as unknown as {tab: Tab}).tab.source.close())
    await expect.poll(async () => (await stats(pages[0] as Page, run)).open, SLOW).toBe(0)
    for (const page of pages) await expect.poll(() => ourLocks(page), SLOW).toEqual([])
  })

  test('with the native EventSource, two tabs of eight stall (six connections per host)', async ({context}) => {
    const run = newRunId()
    const pages = await openPages(context, 8)
    for (const page of pages) {
      await page.evaluate((url) => {
        const source = new EventSource(url)
        const tab = {source, log: [] as string[]}
        source.onopen = () => tab.log.push('open')
        Object.assign(globalThis, {tab})
      }, ticksUrl(run))
    }
    await expect.poll(async () => (await stats(pages[0] as Page, run)).open, SLOW).toBe(6)
    // Which six get a socket is the browser's choice (not always the first six opened, on a busy
    // machine): six OPEN, two CONNECTING, sorted.
    const states = async (): Promise<number[]> =>
      (await Promise.all(pages.map((page) => page.evaluate(() => (globalThis as unknown as {tab: Tab}).tab.source.readyState)))).sort()
    await expect.poll(states, SLOW).toEqual([0, 0, 1, 1, 1, 1, 1, 1])
    // An absence, observed for a bounded while: the other two stay CONNECTING without an error.
    await pages[7]?.waitForTimeout(1500)
    expect(await states()).toEqual([0, 0, 1, 1, 1, 1, 1, 1])
    expect((await stats(pages[0] as Page, run)).requests).toHaveLength(6)
    for (const page of pages) await page.evaluate(() => (globalThis as unknown as {tab: Tab}).tab.source.close())
  })

  // Closed (it navigates away): shared-tabs.spec.ts, in every engine.
  test("when the leader's page crashes, another tab takes over and no tab misses or repeats an event", async ({context}) => {
    const run = newRunId()
    const pages = await openPages(context, 3)
    for (const [index, page] of pages.entries()) await startShared(page, ticksUrl(run), `tab ${index}`)
    for (const page of pages) await expect.poll(() => countTicks(page), SLOW).toBeGreaterThan(10)
    const [leader] = await leaders(pages)
    const survivors = pages.filter((page) => page !== leader)
    const startedAt = Date.now()
    // The page is torn down without running any of its handlers. (CDP Page.crash takes the whole
    // shared renderer process of the context down in this Chromium, every page with it, so it cannot
    // stand for one tab's crash.)
    await leader?.close({runBeforeUnload: false})
    await expect.poll(async () => (await leaders(survivors)).length, SLOW).toBe(1)
    const failoverMs = Date.now() - startedAt
    test.info().annotations.push({type: 'failover', description: `${failoverMs} ms from the crash to a new leader`})
    const before = await Promise.all(survivors.map(countTicks))
    for (const [index, page] of survivors.entries()) await expect.poll(() => countTicks(page), SLOW).toBeGreaterThan((before[index] ?? 0) + 20)
    const server = await stats(survivors[0] as Page, run)
    expect(server.requests).toHaveLength(2)
    const [, second] = server.requests
    const [newLeader] = await leaders(survivors)
    // The new leader's headers function made the second request, with the newest id it had.
    expect(second?.tab).toBe(`tab ${pages.indexOf(newLeader as Page)}`)
    expect(second?.lastEventId).toMatch(/^\d+$/)
    for (const page of survivors) {
      const tab = await tabOf(page)
      expectContiguous(tab.ticks)
      expect(tab.ticks).toContain(Number(second?.lastEventId) + 1)
      expect(tab.log.filter((line) => line.startsWith('bad'))).toEqual([])
    }
    await expect.poll(async () => (await stats(survivors[0] as Page, run)).open, SLOW).toBe(1)
    for (const page of survivors) await page.evaluate(() => (globalThis as unknown as {tab: Tab}).tab.source.close())
  })

  test('a frozen leader is replaced after missed heartbeats, and steps down without repeating an event when it wakes', async ({context}) => {
    const run = newRunId()
    const pages = await openPages(context, 3)
    for (const [index, page] of pages.entries()) await startShared(page, ticksUrl(run), `tab ${index}`)
    for (const page of pages) await expect.poll(() => countTicks(page), SLOW).toBeGreaterThan(10)
    const [leader] = (await leaders(pages)) as [Page]
    const others = pages.filter((page) => page !== leader)
    const startedAt = Date.now()
    // Its main thread stops for 8 s: no timer, no message handler, no network callback runs, and its
    // lock stays held; then it wakes by itself with all of that queued. (CDP Page.setWebLifecycleState
    // "frozen" does not stop a visible headless page in this Chromium, and
    // Emulation.setScriptExecutionDisabled stops timers and handlers but not a stream's promise
    // callbacks, so the leader would go on relaying: neither freezes a leader here.)
    await leader.evaluate(() => {
      setTimeout(() => {
        const end = performance.now() + 8000
        while (performance.now() < end) {
          // frozen
        }
      })
    })
    await expect.poll(async () => (await leaders(others)).length, SLOW).toBe(1)
    test.info().annotations.push({type: 'takeover', description: `${Date.now() - startedAt} ms from freeze to a new leader`})
    const before = await Promise.all(others.map(countTicks))
    for (const [index, page] of others.entries()) await expect.poll(() => countTicks(page), SLOW).toBeGreaterThan((before[index] ?? 0) + 10)
    // It wakes, notices that its lock was stolen, and closes its stale request.
    await expect.poll(async () => (await tabOf(leader)).isLeader, SLOW).toBe(false)
    await expect.poll(async () => (await stats(leader, run)).open, SLOW).toBe(1)
    const woken = await tabOf(leader)
    await expect.poll(() => countTicks(leader), SLOW).toBeGreaterThan(woken.ticks.length + 10)
    for (const page of pages) {
      const {ticks, log} = await tabOf(page)
      // Never twice and never out of order; only the frozen tab may have a gap (what it slept through).
      expect(new Set(ticks).size).toBe(ticks.length)
      expect([...ticks].sort((a, b) => a - b)).toEqual(ticks)
      if (page !== leader) expectContiguous(ticks)
      expect(log.filter((line) => line.startsWith('bad'))).toEqual([])
    }
    expect((await tabOf(leader)).log).toContain('follower')
    for (const page of pages) await page.evaluate(() => (globalThis as unknown as {tab: Tab}).tab.source.close())
    await expect.poll(async () => (await stats(leader, run)).open, SLOW).toBe(0)
  })

  test('close() in a follower unsubscribes that tab only; the last close() ends the request and leaves no lock or timer', async ({context}) => {
    const run = newRunId()
    const pages = await openPages(context, 3)
    for (const [index, page] of pages.entries()) await startShared(page, ticksUrl(run), `tab ${index}`)
    for (const page of pages) await expect.poll(() => countTicks(page), SLOW).toBeGreaterThan(5)
    const [leader] = (await leaders(pages)) as [Page]
    const [follower, other] = pages.filter((page) => page !== leader) as [Page, Page]
    await follower.evaluate(() => (globalThis as unknown as {tab: Tab}).tab.source.close())
    const closedAt = await countTicks(follower)
    const otherCount = await countTicks(other)
    await expect.poll(() => countTicks(other), SLOW).toBeGreaterThan(otherCount + 10)
    expect(await countTicks(follower)).toBe(closedAt)
    expect((await stats(leader, run)).open).toBe(1)
    expect(await follower.evaluate(() => [...(globalThis as unknown as {timers: Tab['timers']}).timers.active].length)).toBe(0)
    // The leader closes: the last tab takes over; then it closes too and the request ends.
    await leader.evaluate(() => (globalThis as unknown as {tab: Tab}).tab.source.close())
    await expect.poll(async () => (await tabOf(other)).isLeader, SLOW).toBe(true)
    await other.evaluate(() => (globalThis as unknown as {tab: Tab}).tab.source.close())
    await expect.poll(async () => (await stats(leader, run)).open, SLOW).toBe(0)
    for (const page of pages) {
      await expect.poll(() => ourLocks(page), SLOW).toEqual([])
      await expect
        .poll(() => page.evaluate(() => [...(globalThis as unknown as {timers: Tab['timers']}).timers.active].length), SLOW)
        .toBe(0)
    }
    expect((await tabOf(other)).readyState).toBe(2)
  })

  test('a POST source throws a TypeError naming "method"', async ({page}) => {
    await page.goto('/')
    const message = await page.evaluate(async () => {
      const module = (await import(/* @vite-ignore */ '/dist/browser/shared.js' as string)) as typeof import('../src/shared/index.js')
      try {
        new module.EventSource('/shared/ticks?id=x', {method: 'POST', body: 'prompt'})
        return 'no error'
      } catch (error) {
        return `${(error as Error).name}: ${(error as Error).message}`
      }
    })
    expect(message).toMatch(/^TypeError: .*"method"/)
  })

  test('in a worker it falls back to a connection of its own (isShared false)', async ({page}) => {
    const run = newRunId()
    await page.goto('/')
    const report = await page.evaluate(
      (url) =>
        new Promise((resolve, reject) => {
          const worker = new Worker('/bundles/shared-worker.js', {type: 'module'})
          worker.onmessage = (event) => {
            resolve(event.data)
            worker.terminate()
          }
          worker.onerror = (event) => reject(new Error(`worker failed: ${event.message}`))
          worker.postMessage(new URL(url, location.href).href)
        }),
      ticksUrl(run),
    )
    expect(report).toMatchObject({isShared: false, isLeader: true, readyState: 1})
    const {data} = report as {data: string[]}
    const ticks = data.map((line) => Number(line.slice('tick '.length)))
    expectContiguous(ticks)
    expect(ticks).toHaveLength(5)
  })

  test('the demo card shows one connection for three tabs, the leading tab, and the handover', async ({context}) => {
    // The card alone (demo/shared.html): the full page's other streams would meet the six-connection limit.
    const demo = `http://127.0.0.1:${DEMO_PORT}/shared.html?shared-client=${newRunId()}`
    const pages: Page[] = []
    for (let index = 0; index < 3; index++) {
      const page = await context.newPage()
      await page.goto(demo)
      pages.push(page)
    }
    for (const page of pages) {
      await expect(page.getByTestId('shared-state')).toHaveText('OPEN', SLOW)
      await expect(page.getByTestId('shared-connections')).toHaveText('1', SLOW)
      await expect.poll(async () => Number(await page.getByTestId('shared-received').textContent()), SLOW).toBeGreaterThan(0)
    }
    const roles = await Promise.all(pages.map((page) => page.getByTestId('shared-role').textContent()))
    const leaderIndex = roles.findIndex((role) => role?.startsWith('leader'))
    expect(roles.filter((role) => role?.startsWith('leader'))).toHaveLength(1)
    const leaderName = await pages[leaderIndex]?.getByTestId('shared-tab').textContent()
    for (const page of pages) await expect(page.getByTestId('shared-leader')).toHaveText(leaderName ?? '', SLOW)
    await pages[leaderIndex]?.close()
    const survivors = pages.filter((_, index) => index !== leaderIndex)
    await expect.poll(async () => (await Promise.all(survivors.map((page) => page.getByTestId('shared-role').textContent()))).filter((role) => role?.startsWith('leader')).length, SLOW).toBe(1)
    for (const page of survivors) {
      await expect(page.getByTestId('shared-connections')).toHaveText('1', SLOW)
      await expect(page.getByTestId('shared-state')).toHaveText('OPEN', SLOW)
    }
  })
})
