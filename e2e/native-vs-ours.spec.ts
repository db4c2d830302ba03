import {expect, test} from '@playwright/test'

/** One observed event: what a page can see on the event and on the source when it fires. */
interface Entry {
  type: string
  data: string | null
  lastEventId: string | null
  origin: string | null
  readyState: number
}

/** The part of the EventSource API the scenario uses; both implementations satisfy it. */
type SourceConstructor = new (
  url: string,
) => {readonly readyState: number; close(): void; addEventListener(type: string, listener: (event: Event) => void): void}

/**
 * Runs in the page: listens on `url` with the native EventSource or ours (from the built dist/)
 * and records every event until `messages` message events arrived, then closes.
 */
async function transcript({url, messages, implementation}: {url: string; messages: number; implementation: 'native' | 'ours'}) {
  // A variable specifier: the page resolves it against the server, TypeScript leaves it alone.
  const distEntry = '/dist/index.js'
  const Source: SourceConstructor =
    implementation === 'native' ? globalThis.EventSource : ((await import(distEntry)) as typeof import('../src/index.js')).EventSource
  return new Promise<Entry[]>((done, fail) => {
    const entries: Entry[] = []
    const source = new Source(url)
    const timer = setTimeout(() => {
      source.close()
      fail(new Error(`timed out after ${JSON.stringify(entries)}`))
    }, 5000)
    const record = (event: Event): void => {
      const message = event instanceof MessageEvent ? event : undefined
      entries.push({
        type: event.type,
        data: message ? message.data : null,
        lastEventId: message ? message.lastEventId : null,
        origin: message ? message.origin : null,
        readyState: source.readyState,
      })
      if (entries.filter((entry) => entry.data !== null).length === messages) {
        clearTimeout(timer)
        source.close()
        done(entries)
      }
    }
    for (const type of ['open', 'message', 'error', 'tick']) source.addEventListener(type, record)
  })
}

test.beforeEach(async ({page}) => {
  await page.goto('/page.html')
})

test('basic stream: named event, id, multi-line data, comment, reconnect with Last-Event-ID', async ({page, baseURL}) => {
  const scenario = {url: '/sse/basic', messages: 6}
  const native = await page.evaluate(transcript, {...scenario, implementation: 'native' as const})
  const ours = await page.evaluate(transcript, {...scenario, implementation: 'ours' as const})

  expect(ours).toEqual(native)

  const origin = baseURL ?? ''
  const message = (type: string, data: string, lastEventId: string): Entry => ({type, data, lastEventId, origin, readyState: 1})
  const open: Entry = {type: 'open', data: null, lastEventId: null, origin: null, readyState: 1}
  expect(native).toEqual([
    open,
    message('message', 'last-event-id=(none)', ''),
    message('tick', '1', ''),
    message('message', 'line one\nline two', '42'),
    // [spec] the server ended the stream: CONNECTING, error, then reconnect after `retry: 50`.
    {type: 'error', data: null, lastEventId: null, origin: null, readyState: 0},
    open,
    message('message', 'last-event-id=42', '42'),
    message('tick', '1', '42'),
    message('message', 'line one\nline two', '42'),
  ])
})
