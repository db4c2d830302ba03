// [non-spec] The page lifecycle in a real Chromium (src/lifecycle.ts): a page frozen with the DevTools
// protocol, a page in the back/forward cache, and a dedicated worker of a frozen page. The browser is
// started by hand (e2e/support/freezable-browser.ts): under Playwright's own launch a page never
// freezes. The feed is /shared/ticks (e2e/server/shared-routes.mjs): one event every 50 ms, its
// sequence number as its id, replayed from Last-Event-ID, so any gap or duplicate shows.
import {expect, type Page, test} from '@playwright/test'
import {type FreezableBrowser, launchFreezableBrowser} from './support/freezable-browser.js'
import {MAIN_ORIGIN} from './support/origins.js'
import {newRunId} from './support/server-log.js'

// One browser for the file; its tests share it one after the other.
test.describe.configure({mode: 'serial'})

// Waits that depend on a busy machine, never on a fixed sleep.
const SLOW = {timeout: 15_000}
// How long a page stays frozen.
const FROZEN_MS = 3000

type Which = 'native' | 'ours'
/** A message as the page saw it: its id and when (ms since the epoch, the page's clock). */
interface Tick {
  id: number
  at: number
}
/** What the page recorded: each source's ticks, and the lifecycle events with their times. */
interface Recorded {
  ticks: Record<Which, Tick[]>
  life: Array<{type: string; persisted?: boolean; at: number}>
  readyStates: Record<Which, number>
}
interface Stats {
  open: number
  requests: Array<{lastEventId: string | null; open: boolean; tab: string | null}>
}

let browser: FreezableBrowser
test.beforeAll(async () => {
  browser = await launchFreezableBrowser()
})
test.afterAll(async () => {
  await browser?.close()
})

// `cache=no-cache`: a page that received a `no-store` response is never put in the back/forward cache.
const ticksUrl = (run: string): string => `${MAIN_ORIGIN}/shared/ticks?id=${run}&tick=50&cache=no-cache`

async function stats(run: string): Promise<Stats> {
  return (await (await fetch(`${MAIN_ORIGIN}/shared/stats?id=${run}`)).json()) as Stats
}

/** A new background tab on the e2e page, recording its lifecycle events. */
async function openTab(): Promise<Page> {
  const page = await browser.context.newPage()
  await page.goto(`${MAIN_ORIGIN}/`)
  await page.evaluate(() => {
    const now = (): number => performance.timeOrigin + performance.now()
    const recorded = {ticks: {native: [], ours: []}, life: [] as Array<{type: string; persisted?: boolean; at: number}>, sources: {}}
    Object.assign(globalThis, {recorded})
    for (const type of ['freeze', 'resume']) document.addEventListener(type, () => recorded.life.push({type, at: now()}))
    for (const type of ['pagehide', 'pageshow']) addEventListener(type, (event) => recorded.life.push({type, persisted: (event as PageTransitionEvent).persisted, at: now()}))
  })
  return page
}

/** Opens the native EventSource and ours in `page`, each on its own URL, recording their messages. */
async function startSources(page: Page, urls: Partial<Record<Which, string>>): Promise<void> {
  await page.evaluate(async (urls) => {
    const module = (await import(/* @vite-ignore */ '/dist/browser/index.js' as string)) as typeof import('../src/index.js')
    const {recorded} = globalThis as unknown as {recorded: Recorded & {sources: Partial<Record<Which, EventSource>>}}
    for (const [which, url] of Object.entries(urls) as Array<[Which, string]>) {
      const source = new (which === 'native' ? globalThis.EventSource : module.EventSource)(url)
      source.onmessage = (event: MessageEvent<string>) => recorded.ticks[which].push({id: Number(event.lastEventId), at: performance.timeOrigin + performance.now()})
      recorded.sources[which] = source as EventSource
    }
  }, urls)
}

const recordedOf = (page: Page): Promise<Recorded> =>
  page.evaluate(() => {
    const {recorded} = globalThis as unknown as {recorded: Recorded & {sources: Partial<Record<Which, EventSource>>}}
    const readyStates = Object.fromEntries(Object.entries(recorded.sources).map(([which, source]) => [which, source.readyState]))
    return {ticks: recorded.ticks, life: recorded.life, readyStates} as Recorded
  })

const countOf = async (page: Page, which: Which): Promise<number> => (await recordedOf(page)).ticks[which].length

/** The ids in order: each once, each one more than the one before. */
function expectNoGapNoDuplicate(ticks: Tick[]): void {
  const ids = ticks.map((tick) => tick.id)
  const first = ids[0] ?? 0
  expect(ids).toEqual(ids.map((_, index) => first + index))
}

const lifeEvent = (recorded: Recorded, type: string): number => {
  const found = recorded.life.find((entry) => entry.type === type)
  expect(found, `a ${type} event`).toBeDefined()
  return found?.at ?? Number.NaN
}

test('[non-spec] a frozen page drops its stream and, resumed, delivers again within 1 s with Last-Event-ID, no gap, no duplicate (native: same connection)', async () => {
  const page = await openTab()
  const runs = {native: newRunId(), ours: newRunId()}
  await startSources(page, {native: ticksUrl(runs.native), ours: ticksUrl(runs.ours)})
  await expect.poll(() => countOf(page, 'ours'), SLOW).toBeGreaterThan(5)
  await browser.freeze(page)
  // [non-spec] a frozen page holds no connection it cannot read; the native one keeps its own.
  await expect.poll(async () => (await stats(runs.ours)).open, SLOW).toBe(0)
  expect((await stats(runs.native)).open).toBe(1)
  await new Promise((resolve) => setTimeout(resolve, FROZEN_MS))
  await browser.resume(page)
  await expect.poll(async () => (await recordedOf(page)).life.map((entry) => entry.type), SLOW).toContain('resume')
  const resumedAt = lifeEvent(await recordedOf(page), 'resume')
  await expect.poll(async () => (await recordedOf(page)).ticks.ours.filter((tick) => tick.at > resumedAt).length, SLOW).toBeGreaterThan(3)
  await expect.poll(async () => (await recordedOf(page)).ticks.native.filter((tick) => tick.at > resumedAt).length, SLOW).toBeGreaterThan(3)
  const recorded = await recordedOf(page)
  const frozenAt = lifeEvent(recorded, 'freeze')
  for (const which of ['native', 'ours'] as const) {
    const ticks = recorded.ticks[which]
    // The freeze was real: nothing ran while the page was frozen.
    expect(ticks.filter((tick) => tick.at > frozenAt && tick.at < resumedAt), which).toEqual([])
    expectNoGapNoDuplicate(ticks)
    expect(recorded.readyStates[which]).toBe(1)
  }
  // Ours: a second request that resumed after the last event seen before the freeze.
  const before = recorded.ticks.ours.filter((tick) => tick.at < frozenAt)
  const after = recorded.ticks.ours.filter((tick) => tick.at > resumedAt)
  const requests = (await stats(runs.ours)).requests
  expect(requests.map((request) => request.lastEventId)).toEqual([null, String(before.at(-1)?.id)])
  test.info().annotations.push({type: 'resume', description: `${Math.round((after[0]?.at ?? 0) - resumedAt)} ms from resume to the next event`})
  expect((after[0]?.at ?? Number.POSITIVE_INFINITY) - resumedAt).toBeLessThan(1000)
  // Native: one request throughout.
  expect((await stats(runs.native)).requests).toHaveLength(1)
  await page.close()
})

test('[non-spec] a page in the back/forward cache holds no connection and, restored, resumes with Last-Event-ID, no gap, no duplicate (native: keeps its connection)', async () => {
  const page = await openTab()
  const runs = {native: newRunId(), ours: newRunId()}
  const run = runs.ours
  await startSources(page, {native: ticksUrl(runs.native), ours: ticksUrl(run)})
  await expect.poll(() => countOf(page, 'ours'), SLOW).toBeGreaterThan(5)
  await page.goto(`${MAIN_ORIGIN}/health`)
  // [non-spec] what eventsource/eventsource-bfcache.window.js checks: no open connection meanwhile.
  await expect.poll(async () => (await stats(run)).open, SLOW).toBe(0)
  // Chromium's own EventSource keeps its connection open in the cache (it fails that test).
  expect((await stats(runs.native)).open).toBe(1)
  await page.goBack({waitUntil: 'commit'})
  // A real back/forward cache: the page's script state came back with it.
  await expect.poll(() => page.evaluate(() => 'recorded' in globalThis), SLOW).toBe(true)
  await expect.poll(async () => (await recordedOf(page)).life.filter((entry) => entry.type === 'pageshow').length, SLOW).toBe(1)
  const shownAt = lifeEvent(await recordedOf(page), 'pageshow')
  await expect.poll(async () => (await recordedOf(page)).ticks.ours.filter((tick) => tick.at > shownAt).length, SLOW).toBeGreaterThan(3)
  const recorded = await recordedOf(page)
  // Chromium freezes a page it puts in the cache: pagehide (persisted), freeze, resume, pageshow (persisted).
  expect(recorded.life.map(({type, persisted}) => `${type}${persisted === undefined ? '' : ` ${persisted}`}`)).toEqual(['pagehide true', 'freeze', 'resume', 'pageshow true'])
  expectNoGapNoDuplicate(recorded.ticks.ours)
  const hiddenAt = lifeEvent(recorded, 'pagehide')
  const before = recorded.ticks.ours.filter((tick) => tick.at < hiddenAt)
  const {requests, open} = await stats(run)
  expect(requests.map((request) => request.lastEventId)).toEqual([null, String(before.at(-1)?.id)])
  expect(open).toBe(1)
  await expect.poll(async () => (await recordedOf(page)).ticks.native.filter((tick) => tick.at > shownAt).length, SLOW).toBeGreaterThan(3)
  expectNoGapNoDuplicate((await recordedOf(page)).ticks.native)
  await page.close()
})

test('[non-spec] a source in a dedicated worker of a frozen page notices that its clock jumped and reconnects with Last-Event-ID, no gap, no duplicate (native: same connection)', async () => {
  const page = await openTab()
  const runs = {native: newRunId(), ours: newRunId()}
  const run = runs.ours
  // One worker with the worker's own EventSource, one with ours.
  await page.evaluate((urls) => {
    const {recorded} = globalThis as unknown as {recorded: Recorded}
    for (const [which, url] of Object.entries(urls) as Array<[Which, string]>) {
      const worker = new Worker('/bundles/lifecycle-worker.js', {type: 'module'})
      worker.onmessage = (event: MessageEvent<Tick>) => recorded.ticks[which].push(event.data)
      worker.postMessage({url, native: which === 'native'})
      Object.assign(globalThis, {[`${which}Worker`]: worker})
    }
  }, {native: ticksUrl(runs.native), ours: ticksUrl(run)})
  await expect.poll(() => countOf(page, 'ours'), SLOW).toBeGreaterThan(5)
  await expect.poll(() => countOf(page, 'native'), SLOW).toBeGreaterThan(5)
  await browser.freeze(page)
  await new Promise((resolve) => setTimeout(resolve, FROZEN_MS))
  await browser.resume(page)
  await expect.poll(async () => (await recordedOf(page)).life.map((entry) => entry.type), SLOW).toContain('resume')
  const resumedAt = lifeEvent(await recordedOf(page), 'resume')
  await expect.poll(async () => (await recordedOf(page)).ticks.ours.filter((tick) => tick.at > resumedAt).length, SLOW).toBeGreaterThan(3)
  const recorded = await recordedOf(page)
  expectNoGapNoDuplicate(recorded.ticks.ours)
  const frozenAt = lifeEvent(recorded, 'freeze')
  const before = recorded.ticks.ours.filter((tick) => tick.at < frozenAt)
  const after = recorded.ticks.ours.filter((tick) => tick.at > resumedAt)
  expect((await stats(run)).requests.map((request) => request.lastEventId)).toEqual([null, String(before.at(-1)?.id)])
  // The native one reads on, on its one connection.
  await expect.poll(async () => (await recordedOf(page)).ticks.native.filter((tick) => tick.at > resumedAt).length, SLOW).toBeGreaterThan(3)
  expectNoGapNoDuplicate((await recordedOf(page)).ticks.native)
  expect((await stats(runs.native)).requests).toHaveLength(1)
  // The worker looks at its clock once a second: it is back within that and a request.
  test.info().annotations.push({type: 'resume', description: `${Math.round((after[0]?.at ?? 0) - resumedAt)} ms from resume to the worker's next event`})
  expect((after[0]?.at ?? Number.POSITIVE_INFINITY) - resumedAt).toBeLessThan(2000)
  await page.close()
})

// ---- eventsource-kit/shared: the leading tab freezes or hangs ------------------------------------

/** What a tab of a shared source recorded: its ticks (with times), and when it led or followed. */
interface SharedTab {
  ticks: Tick[]
  roles: Array<{isLeader: boolean; at: number}>
  isLeader: boolean
}

/**
 * Opens `count` tabs, each with a shared source on `url` that names its tab in a header. With
 * `throttled`, their timers run as a background tab's do: never sooner than a second. (These tabs are
 * visible until they are frozen, and no DevTools command hides a page.)
 */
async function openSharedTabs(count: number, url: string, throttled = false): Promise<Page[]> {
  const pages: Page[] = []
  for (let index = 0; index < count; index++) {
    const page = await openTab()
    await page.evaluate(
      async ({url, name, throttled}) => {
        if (throttled) {
          const {setInterval, setTimeout} = globalThis
          globalThis.setInterval = ((handler: () => void, ms = 0) => setInterval(handler, Math.max(ms, 1000))) as typeof globalThis.setInterval
          globalThis.setTimeout = ((handler: () => void, ms = 0) => setTimeout(handler, Math.max(ms, 1000))) as typeof globalThis.setTimeout
        }
        const module = (await import(/* @vite-ignore */ '/dist/browser/shared.js' as string)) as typeof import('../src/shared/index.js')
        const now = (): number => performance.timeOrigin + performance.now()
        const shared = {ticks: [] as Tick[], roles: [] as Array<{isLeader: boolean; at: number}>}
        const source = new module.EventSource(url, {headers: () => ({'X-Tab': name})})
        source.onmessage = (event) => shared.ticks.push({id: Number(event.lastEventId), at: now()})
        source.addEventListener('leaderchange', () => shared.roles.push({isLeader: source.isLeader, at: now()}))
        Object.assign(globalThis, {shared: Object.assign(shared, {source})})
      },
      {url, name: `tab ${index}`, throttled},
    )
    pages.push(page)
  }
  return pages
}

const sharedTabOf = (page: Page): Promise<SharedTab> =>
  page.evaluate(() => {
    const {shared} = globalThis as unknown as {shared: SharedTab & {source: {isLeader: boolean}}}
    return {ticks: [...shared.ticks], roles: [...shared.roles], isLeader: shared.source.isLeader}
  })

async function leaderOf(pages: Page[]): Promise<Page[]> {
  const tabs = await Promise.all(pages.map(sharedTabOf))
  return pages.filter((_, index) => tabs[index]?.isLeader)
}

const closeShared = (page: Page): Promise<void> => page.evaluate(() => (globalThis as unknown as {shared: {source: {close(): void}}}).shared.source.close())

test('[non-spec] shared: a leading tab that freezes steps down, a follower leads within 3 s from the newest event ID, and the thawed tab follows without a request', async () => {
  const run = newRunId()
  const pages = await openSharedTabs(2, ticksUrl(run))
  for (const page of pages) await expect.poll(async () => (await sharedTabOf(page)).ticks.length, SLOW).toBeGreaterThan(5)
  const [leader] = await leaderOf(pages)
  const follower = pages.find((page) => page !== leader) as Page
  expect(leader).toBeDefined()
  await browser.freeze(leader as Page)
  await expect.poll(async () => (await recordedOf(leader as Page)).life.length, SLOW).toBeGreaterThan(0)
  await expect.poll(async () => (await sharedTabOf(follower)).isLeader, SLOW).toBe(true)
  await expect.poll(async () => (await sharedTabOf(follower)).ticks.length, SLOW).toBeGreaterThan((await sharedTabOf(follower)).ticks.length + 5)
  // The frozen tab holds no request: one open, the new leader's.
  await expect.poll(async () => (await stats(run)).open, SLOW).toBe(1)
  await new Promise((resolve) => setTimeout(resolve, FROZEN_MS))
  await browser.resume(leader as Page)
  await expect.poll(async () => (await recordedOf(leader as Page)).life.map((entry) => entry.type), SLOW).toContain('resume')
  const resumedAt = lifeEvent(await recordedOf(leader as Page), 'resume')
  // The thawed tab follows: it gets events again, from the other tab's request.
  await expect.poll(async () => (await sharedTabOf(leader as Page)).ticks.filter((tick) => tick.at > resumedAt).length, SLOW).toBeGreaterThan(5)
  const frozenAt = lifeEvent(await recordedOf(leader as Page), 'freeze')
  const old = await sharedTabOf(leader as Page)
  const next = await sharedTabOf(follower)
  expect([old.isLeader, next.isLeader]).toEqual([false, true])
  expect(old.roles.map((role) => role.isLeader)).toEqual([true, false])
  const tookOverAt = next.roles.at(-1)?.at ?? Number.POSITIVE_INFINITY
  test.info().annotations.push({type: 'takeover', description: `${Math.round(tookOverAt - frozenAt)} ms from freeze to a new leader`})
  expect(tookOverAt - frozenAt).toBeLessThan(3000)
  expectNoGapNoDuplicate(next.ticks)
  const {requests, open} = await stats(run)
  // Two requests in all: the first leader's, and the follower's, resumed after the newest event it saw.
  expect(requests.map((request) => request.tab)).toEqual([`tab ${pages.indexOf(leader as Page)}`, `tab ${pages.indexOf(follower)}`])
  const seenBefore = next.ticks.filter((tick) => tick.at < tookOverAt).at(-1)?.id
  expect(requests[1]?.lastEventId).toBe(String(seenBefore))
  expect(open).toBe(1)
  for (const page of pages) await closeShared(page)
  await expect.poll(async () => (await stats(run)).open, SLOW).toBe(0)
  for (const page of pages) await page.close()
})

test('[non-spec] shared: a leading tab that hangs without a freeze event is replaced within 10 s, with background-tab timers', async () => {
  const run = newRunId()
  const pages = await openSharedTabs(2, ticksUrl(run), true)
  for (const page of pages) await expect.poll(async () => (await sharedTabOf(page)).ticks.length, SLOW).toBeGreaterThan(5)
  const [leader] = await leaderOf(pages)
  const follower = pages.find((page) => page !== leader) as Page
  // The leader's main thread stops for 12 s: no handler, no timer, no network callback runs.
  const hungAt = await (leader as Page).evaluate(() => {
    setTimeout(() => {
      const end = performance.now() + 12_000
      while (performance.now() < end) {
        // hung
      }
    })
    return performance.timeOrigin + performance.now()
  })
  await expect.poll(async () => (await sharedTabOf(follower)).isLeader, {timeout: 20_000}).toBe(true)
  const next = await sharedTabOf(follower)
  test.info().annotations.push({type: 'takeover', description: `${Math.round((next.roles.at(-1)?.at ?? 0) - hungAt)} ms from the hang to a new leader`})
  expect((next.roles.at(-1)?.at ?? Number.POSITIVE_INFINITY) - hungAt).toBeLessThan(10_000)
  await expect.poll(async () => (await sharedTabOf(follower)).ticks.length, SLOW).toBeGreaterThan(next.ticks.length + 5)
  expectNoGapNoDuplicate((await sharedTabOf(follower)).ticks)
  // Awake again, the old leader follows.
  await expect.poll(async () => (await sharedTabOf(leader as Page)).isLeader, {timeout: 20_000}).toBe(false)
  for (const page of pages) await closeShared(page)
  await expect.poll(async () => (await stats(run)).open, SLOW).toBe(0)
  for (const page of pages) await page.close()
})
