// msw in the browser: a user's msw `http` handler that returns a streaming Response
// (a ReadableStream with Content-Type text/event-stream) feeds our EventSource, through msw's
// service worker (mockServiceWorker.js, served from node_modules/msw). The recipe is in e2e/README.md.
import type {PageGlobals} from './page/page.js'
import type {RunResult} from './page/transcript.js'
import {message, OPEN, RECONNECTING} from './support/expectations.js'
import {MAIN_ORIGIN} from './support/origins.js'
import {describeEntry} from './support/side-by-side.js'
import type {Driver} from './support/driver.js'
import {expect, test} from './support/test.js'

test.describe.configure({mode: 'parallel'})

/** What a mocked run saw: the transcript, and the script of the service worker that controlled the page. */
interface Mocked {
  result: RunResult
  controller: string | undefined
}

/** Our EventSource on `/api/stream` (which only msw answers), with a POST body, until `untilData`. */
function mockedStream(page: Driver, untilData: string): Promise<Mocked> {
  return page.evaluate(async (untilData) => {
    const {harness} = globalThis as unknown as PageGlobals
    // msw's browser build, bundled for the page (e2e/page/msw.ts); the specifier is a variable so
    // that TypeScript does not resolve it.
    const mswBundle = '/bundles/msw.js'
    const {setupWorker, http, HttpResponse} = (await import(/* @vite-ignore */ mswBundle)) as typeof import('./page/msw.js')

    // --- the user's code: an msw handler that streams server-sent events -------------------------
    const worker = setupWorker(
      http.post('/api/stream', async ({request}) => {
        const {prompt} = (await request.json()) as {prompt: string}
        const lastEventId = request.headers.get('last-event-id')
        const encoder = new TextEncoder()
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(encoder.encode('retry: 20\n\n'))
            if (lastEventId === null) {
              controller.enqueue(encoder.encode(`id: 1\ndata: echo ${prompt}\n\n`))
            } else {
              controller.enqueue(encoder.encode(`data: resumed after ${lastEventId}\n\n`))
            }
            // Ending the stream makes the EventSource reconnect, as a real server's would.
            controller.close()
          },
        })
        return new HttpResponse(stream, {headers: {'Content-Type': 'text/event-stream'}})
      }),
    )
    await worker.start({serviceWorker: {url: '/mockServiceWorker.js'}, onUnhandledFrame: 'bypass', quiet: true})
    // ---------------------------------------------------------------------------------------------

    try {
      const Ours = await harness.ours()
      class Chat extends Ours {
        constructor(url: string) {
          super(url, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({prompt: 'hi'})})
        }
      }
      const result = await harness.runTranscript(Chat, {url: '/api/stream', untilData})
      return {result, controller: navigator.serviceWorker.controller?.scriptURL}
    } finally {
      worker.stop()
    }
  }, untilData)
}

test('an msw http handler returning a streaming Response feeds our EventSource, reconnection included', async ({driver: page}) => {
  const {result, controller} = await mockedStream(page, 'resumed after 1')
  // msw answered from its service worker (it does not patch the page's fetch).
  expect(controller).toBe(`${MAIN_ORIGIN}/mockServiceWorker.js`)
  expect(result.entries.map(describeEntry)).toEqual([
    OPEN,
    message('echo hi', {id: '1'}),
    RECONNECTING,
    OPEN,
    message('resumed after 1', {id: '1'}),
  ])
  // The events come from the page's origin: the mock answered a same-origin request.
  expect(result.entries.find((entry) => entry.data === 'echo hi')?.origin).toBe(MAIN_ORIGIN)
})

test("msw's own sse() handler feeds ours too in a browser (GET only; it needs a native EventSource to exist)", async ({driver: page, engine}) => {
  test.skip(engine === 'webkit', "in WebKitGTK 2.50 msw's sse() handler delivered no event to ours within 10 s (observed, not explained yet); msw's http handler works there")
  const entries = await page.evaluate(async () => {
    const {harness} = globalThis as unknown as PageGlobals
    const mswBundle = '/bundles/msw.js'
    const {setupWorker, sse} = (await import(/* @vite-ignore */ mswBundle)) as typeof import('./page/msw.js')
    // sse() checks for a global EventSource when the handler is created (a browser has one; Node
    // without --experimental-eventsource does not), and matches requests whose Accept is exactly
    // text/event-stream, which is what ours sends unless you set another Accept.
    const worker = setupWorker(
      sse<{message: string; tick: string}>('/api/sse', ({client}) => {
        client.send({id: '5', data: 'from sse()'})
        client.send({event: 'tick', data: 'named'})
      }),
    )
    await worker.start({serviceWorker: {url: '/mockServiceWorker.js'}, onUnhandledFrame: 'bypass', quiet: true})
    try {
      const result = await harness.runTranscript(await harness.ours(), {url: '/api/sse', types: ['tick'], untilData: 'named'})
      return result.entries
    } finally {
      worker.stop()
    }
  })
  expect(entries.map(describeEntry)).toEqual([OPEN, message('from sse()', {id: '5'}), message('named', {id: '5', type: 'tick'})])
})
