// Our extensions in a real browser (no native counterpart): a POST body and custom headers, with
// the CORS preflight they need cross-origin; a headers function that fetches a fresh token for each
// attempt; pauseWhenHidden driven by the page's visibility; `online` cutting the reconnection wait.
import type {PageGlobals} from './page/page.js'
import {end, message, OPEN, RECONNECTING} from './support/expectations.js'
import {MAIN_ORIGIN, type ServerName} from './support/origins.js'
import {newRunId, requestsOf, scenarioUrl} from './support/server-log.js'
import {describeEntry} from './support/side-by-side.js'
import type {Driver} from './support/driver.js'
import {expect, test} from './support/test.js'

test.describe.configure({mode: 'parallel'})

/** The events of the page's live source so far, as transcript lines. */
async function liveEvents(page: Driver): Promise<string[]> {
  const entries = await page.evaluate(() => (globalThis as unknown as PageGlobals).live?.entries ?? [])
  return entries.map(describeEntry)
}

const liveReadyState = (page: Driver): Promise<number | undefined> =>
  page.evaluate(() => (globalThis as unknown as PageGlobals).live?.source.readyState)

for (const server of ['main', 'cross'] as ServerName[]) {
  test(`POST with a JSON body and custom headers (${server} origin)`, async ({driver: page}) => {
    const id = newRunId()
    const result = await page.evaluate(async (url) => {
      const {harness} = globalThis as unknown as PageGlobals
      const Ours = await harness.ours()
      class Post extends Ours {
        constructor(url: string) {
          super(url, {method: 'POST', body: JSON.stringify({prompt: 'hi'}), headers: {'Content-Type': 'application/json', 'X-Trace': 'abc'}})
        }
      }
      return harness.runTranscript(Post, {url, untilData: 'end'})
    }, scenarioUrl(id, 'echo', server))
    expect(result.entries.map(describeEntry)).toEqual([OPEN, message('POST {"prompt":"hi"} x-trace=abc', {origin: server}), end('', server)])

    const requests = await requestsOf(id)
    const post = requests.filter((request) => request.method === 'POST')
    expect(post).toHaveLength(1)
    expect(post[0]?.server).toBe(server)
    expect(post[0]?.body).toBe('{"prompt":"hi"}')
    expect(post[0]?.headers).toMatchObject({'content-type': 'application/json', 'x-trace': 'abc', accept: 'text/event-stream'})
    const preflights = requests.filter((request) => request.method === 'OPTIONS')
    if (server === 'main') {
      expect(preflights).toEqual([])
      return
    }
    // Cross-origin, a JSON Content-Type and X-Trace are not CORS-safelisted: the browser asks first.
    expect(post[0]?.headers.origin).toBe(MAIN_ORIGIN)
    expect(preflights).toHaveLength(1)
    expect(preflights[0]?.headers).toMatchObject({
      origin: MAIN_ORIGIN,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,x-trace',
    })
    expect(requests.map((request) => `${request.method} ${request.server}`)).toEqual(['OPTIONS cross', 'POST cross'])
  })
}

test('a headers function runs before every attempt: a reconnection carries a fresh token', async ({driver: page}) => {
  const id = newRunId()
  const result = await page.evaluate(
    async ([url, tokenUrl]) => {
      const {harness} = globalThis as unknown as PageGlobals
      const Ours = await harness.ours()
      class WithToken extends Ours {
        constructor(url: string) {
          // A real app would refresh an expired token here; the server hands out token-1, token-2, ...
          super(url, {headers: async () => ({Authorization: `Bearer ${await (await fetch(tokenUrl)).text()}`})})
        }
      }
      return harness.runTranscript(WithToken, {url, untilData: 'Bearer token-2'})
    },
    [scenarioUrl(id, 'auth-echo'), scenarioUrl(id, 'token')] as const,
  )
  expect(result.entries.map(describeEntry)).toEqual([OPEN, message('Bearer token-1', {id: '1'}), RECONNECTING, OPEN, message('Bearer token-2', {id: '1'})])
  const streams = (await requestsOf(id)).filter((request) => request.path.startsWith('/sse/auth-echo/'))
  expect(streams.map((request) => [request.headers.authorization, request.headers['last-event-id']])).toEqual([
    ['Bearer token-1', undefined],
    ['Bearer token-2', '1'],
  ])
})

test('pauseWhenHidden: the stream is dropped while the page is hidden and resumes with Last-Event-ID', async ({driver: page}) => {
  const id = newRunId()
  await page.evaluate(async (url) => {
    const globals = globalThis as unknown as PageGlobals
    // Headless pages are always visible: the test decides what the page's visibility is.
    let state: DocumentVisibilityState = 'visible'
    Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => state})
    Object.defineProperty(document, 'hidden', {configurable: true, get: () => state === 'hidden'})
    globals.setVisibility = (next) => {
      state = next
      document.dispatchEvent(new Event('visibilitychange'))
    }
    const Ours = await globals.harness.ours()
    const source = new Ours(url, {pauseWhenHidden: true})
    globals.live = {source, entries: globals.harness.record(source)}
  }, scenarioUrl(id, 'resume'))
  await expect.poll(() => liveEvents(page)).toEqual([OPEN, message('one', {id: '1'})])

  await page.evaluate(() => (globalThis as unknown as PageGlobals).setVisibility?.('hidden'))
  // Dropped: the server sees the client go away; the source waits in CONNECTING, without an error event.
  await expect.poll(async () => (await requestsOf(id)).map((request) => request.aborted)).toEqual([true])
  expect(await liveReadyState(page)).toBe(0)
  // Nothing is sent while hidden (an absence: observed for a while, not proven).
  await new Promise((resolve) => setTimeout(resolve, 300))
  expect(await requestsOf(id)).toHaveLength(1)
  expect(await liveEvents(page)).toEqual([OPEN, message('one', {id: '1'})])

  await page.evaluate(() => (globalThis as unknown as PageGlobals).setVisibility?.('visible'))
  await expect.poll(() => liveEvents(page)).toEqual([OPEN, message('one', {id: '1'}), OPEN, message('resumed with 1', {id: '2'})])
  expect((await requestsOf(id)).map((request) => request.headers['last-event-id'])).toEqual([undefined, '1'])
  await page.evaluate(() => (globalThis as unknown as PageGlobals).live?.source.close())
})

test('online: a source waiting to reconnect (retry: 60 s) reconnects at once', async ({driver: page}) => {
  const id = newRunId()
  await page.evaluate(async (url) => {
    const globals = globalThis as unknown as PageGlobals
    const Ours = await globals.harness.ours()
    const source = new Ours(url)
    globals.live = {source, entries: globals.harness.record(source)}
  }, scenarioUrl(id, 'ends-long-retry'))
  await expect.poll(() => liveEvents(page)).toEqual([OPEN, message('one', {id: '1'}), RECONNECTING])
  const waiting = await page.evaluate(() => (globalThis as unknown as PageGlobals).live?.entries.at(-1)?.reconnectDelay)
  expect(waiting).toBe(60_000)
  expect(await requestsOf(id)).toHaveLength(1)

  await page.evaluate(() => globalThis.dispatchEvent(new Event('online')))
  // Well within the 60 s wait: the poll gives up after 10 s.
  await expect.poll(() => liveEvents(page), {timeout: 10_000}).toEqual([OPEN, message('one', {id: '1'}), RECONNECTING, OPEN, message('back with 1', {id: '1'})])
  expect((await requestsOf(id)).map((request) => request.headers['last-event-id'])).toEqual([undefined, '1'])
  await page.evaluate(() => (globalThis as unknown as PageGlobals).live?.source.close())
})
