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
  requests: Array<{lastEventId: string | null; open: boolean}>
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
    const module = (await import(/* @vite-ignore */ '/dist/index.js' as string)) as typeof import('../src/index.js')
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

test('[non-spec] a source in a dedicated worker of a frozen page notices that its clock jumped and reconnects with Last-Event-ID, no gap, no duplicate', async () => {
  const page = await openTab()
  const run = newRunId()
  await page.evaluate((url) => {
    const {recorded} = globalThis as unknown as {recorded: Recorded}
    const worker = new Worker('/bundles/lifecycle-worker.js', {type: 'module'})
    worker.onmessage = (event: MessageEvent<Tick>) => recorded.ticks.ours.push(event.data)
    worker.postMessage({url, native: false})
    Object.assign(globalThis, {worker})
  }, ticksUrl(run))
  await expect.poll(() => countOf(page, 'ours'), SLOW).toBeGreaterThan(5)
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
  // The worker looks at its clock once a second: it is back within that and a request.
  expect((after[0]?.at ?? Number.POSITIVE_INFINITY) - resumedAt).toBeLessThan(2000)
  await page.close()
})
