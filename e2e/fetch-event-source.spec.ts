// eventsource-kit/fetch-event-source in every engine (the driver seam), from the built dist/: a POST with headers, and what
// page visibility does (a POST stays open, a GET closes and resumes with Last-Event-ID).
import type * as FetchEventSourceEntry from '../src/fetch-event-source/index.js'
import {newRunId, requestsOf, scenarioUrl} from './support/server-log.js'
import type {Driver} from './support/driver.js'
import {expect, test} from './support/test.js'

test.describe.configure({mode: 'parallel'})

interface Globals {
  messages: string[]
  setVisibility(state: DocumentVisibilityState): void
  stop(): void
  done: Promise<string>
}

/** Starts fetchEventSource in the page with `init` (JSON-safe fields); the page's visibility is the test's to set. */
async function startInPage(page: Driver, url: string, init: {method?: string; body?: string; headers?: Record<string, string>}): Promise<void> {
  await page.evaluate(
    async ({url, init}) => {
      const entry = '/dist/browser/fetch-event-source.js'
      const {fetchEventSource} = (await import(entry)) as typeof FetchEventSourceEntry
      const globals = globalThis as unknown as Globals
      // Headless pages are always visible: the test decides what the page's visibility is.
      let state: DocumentVisibilityState = 'visible'
      Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => state})
      Object.defineProperty(document, 'hidden', {configurable: true, get: () => state === 'hidden'})
      globals.setVisibility = (next) => {
        state = next
        document.dispatchEvent(new Event('visibilitychange'))
      }
      const controller = new AbortController()
      globals.stop = () => controller.abort()
      globals.messages = []
      globals.done = fetchEventSource(url, {
        ...init,
        signal: controller.signal,
        onmessage: (message) => globals.messages.push(`${message.id}|${message.event}|${message.data}`),
        onclose: () => globals.messages.push('close'),
      }).then(
        () => 'resolved',
        (error: Error) => `rejected: ${error.message}`,
      )
    },
    {url, init},
  )
}

const messagesOf = (page: Driver): Promise<string[]> => page.evaluate(() => (globalThis as unknown as Globals).messages)
const setVisibility = (page: Driver, state: DocumentVisibilityState): Promise<void> =>
  page.evaluate((state) => (globalThis as unknown as Globals).setVisibility(state), state)

test('fetchEventSource POSTs a body with headers and reads the stream', async ({driver: page}) => {
  const id = newRunId()
  await startInPage(page, scenarioUrl(id, 'echo'), {method: 'POST', body: '{"prompt":"hi"}', headers: {'Content-Type': 'application/json', 'X-Trace': 'abc'}})
  await expect.poll(() => messagesOf(page)).toEqual(['||POST {"prompt":"hi"} x-trace=abc', '||end'])
  await page.evaluate(() => (globalThis as unknown as Globals).stop())
  expect(await page.evaluate(() => (globalThis as unknown as Globals).done)).toBe('resolved')
  const [request] = await requestsOf(id)
  expect(request?.headers.accept).toBe('text/event-stream')
  expect(request?.headers['content-type']).toBe('application/json')
})

test('[fix] a POST stream stays open while the page is hidden and is not re-sent when it is visible again', async ({driver: page}) => {
  const id = newRunId()
  await startInPage(page, scenarioUrl(id, 'hold'), {method: 'POST', body: 'generate'})
  await expect.poll(() => messagesOf(page)).toEqual(['||a', '||b'])
  await setVisibility(page, 'hidden')
  await setVisibility(page, 'visible')
  await setVisibility(page, 'hidden')
  await setVisibility(page, 'visible')
  // An absence: observed for a while, not proven.
  await new Promise((resolve) => setTimeout(resolve, 300))
  expect((await requestsOf(id)).map((request) => [request.method, request.aborted])).toEqual([['POST', false]])
  expect(await messagesOf(page)).toEqual(['||a', '||b'])
  await page.evaluate(() => (globalThis as unknown as Globals).stop())
})

test('a GET stream closes while the page is hidden and resumes with Last-Event-ID', async ({driver: page}) => {
  const id = newRunId()
  await startInPage(page, scenarioUrl(id, 'resume'), {})
  await expect.poll(() => messagesOf(page)).toEqual(['1||one'])
  await setVisibility(page, 'hidden')
  await expect.poll(async () => (await requestsOf(id)).map((request) => request.aborted)).toEqual([true])
  await setVisibility(page, 'visible')
  await expect.poll(() => messagesOf(page)).toEqual(['1||one', '2||resumed with 1'])
  expect((await requestsOf(id)).map((request) => request.headers['last-event-id'])).toEqual([undefined, '1'])
  await page.evaluate(() => (globalThis as unknown as Globals).stop())
})
