// Streams the page already holds, in every engine (the driver seam), on the built dist/: EventSource.fromReadableStream
// (the proposal whatwg/html PR #12272, tests web-platform-tests PR #58550) over a fetch body, and
// parseEventStream from dist/parse.js. Each is compared with the engine's native EventSource on the
// same scenario, and each must end the request when the page stops reading.
import type {PageGlobals} from './page/page.js'
import {newRunId, requestsOf, scenarioUrl} from './support/server-log.js'
import type {Driver} from './support/driver.js'
import {expect, test} from './support/test.js'

test.describe.configure({mode: 'parallel'})

/** [type, data, lastEventId] of every message until the one whose data is "end". */
type Line = [string, string, string]

/** Chromium's native EventSource on `url`: the messages until "end" (any type listed), then close(). */
function nativeMessages(page: Driver, url: string, types: readonly string[]): Promise<Line[]> {
  return page.evaluate(
    ({url, types}) =>
      new Promise<Line[]>((resolve) => {
        const source = new EventSource(url)
        const lines: Line[] = []
        for (const type of types) {
          source.addEventListener(type, (event) => {
            const {data, lastEventId} = event as MessageEvent<string>
            lines.push([type, data, lastEventId])
            if (data === 'end') {
              source.close()
              resolve(lines)
            }
          })
        }
      }),
    {url, types},
  )
}

// Scenarios whose first response carries the whole transcript, up to "end" (no reconnection).
const SCENARIOS = ['bom', 'line-endings', 'leading-space', 'empty-data', 'multi-line', 'comments', 'unknown-fields', 'no-colon', 'event-names', 'utf8']
// Where Firefox's own EventSource departs from the standard: an id without data is not kept
// (empty-data), a NUL in data is dropped (multi-line).
const FIREFOX_DEPARTS = ['empty-data', 'multi-line']
const TYPES = ['message', 'named', 'tick', 'my event', 'error', 'open']

for (const scenario of SCENARIOS) {
  test(`[non-spec] fromReadableStream and parseEventStream dispatch what the native EventSource does: ${scenario}`, async ({driver: page, engine}) => {
    test.skip(
      engine === 'firefox' && FIREFOX_DEPARTS.includes(scenario),
      "Firefox's own EventSource departs from the standard here (e2e/README.md, Three engines), so it is no reference; standard-parsing.spec.ts holds ours to the standard",
    )
    const native = await nativeMessages(page, scenarioUrl(newRunId(), scenario), TYPES)
    const streamUrl = scenarioUrl(newRunId(), scenario)
    const fromStream = await page.evaluate(
      async ({url, types}) => {
        const Ours = await (globalThis as unknown as PageGlobals).harness.ours()
        const response = await fetch(url)
        const source = Ours.fromReadableStream(response.body as ReadableStream<Uint8Array>)
        const lines: Line[] = []
        const origins = new Set<string>()
        return new Promise<{lines: Line[]; origins: string[]}>((resolve) => {
          for (const type of types) {
            source.addEventListener(type, (event: Event) => {
              const {data, lastEventId, origin} = event as MessageEvent<string>
              lines.push([type, data, lastEventId])
              // (open is a plain Event: it has no origin)
              if (event.type !== 'open') origins.add(origin)
              if (data === 'end') {
                source.close()
                resolve({lines, origins: [...origins]})
              }
            })
          }
        })
      },
      {url: streamUrl, types: TYPES},
    )
    expect(fromStream.lines).toEqual(native)
    expect(fromStream.origins).toEqual(['null'])

    const parsed = await page.evaluate(async (url) => {
      const parseModule = '/dist/browser/parse.js'
      const {parseEventStream} = (await import(/* @vite-ignore */ parseModule)) as typeof import('../src/parse/index.js')
      const lines: Line[] = []
      for await (const event of parseEventStream(await fetch(url))) {
        lines.push([event.type, event.data, event.lastEventId])
        if (event.data === 'end') break
      }
      return lines
    }, scenarioUrl(newRunId(), scenario))
    // parseEventStream yields messages only: not the open event (a plain Event, no data).
    expect(parsed).toEqual(native.filter(([, data]) => typeof data === 'string'))
  })
}

test('[non-spec] fromReadableStream: CONNECTING, open, events, then error and CLOSED when the body ends; close() ends the request', async ({driver: page, engine}) => {
  test.skip(engine === 'firefox', 'in Firefox 153 the server did not see the request end within 5 s after the body reader was cancelled (observed, not explained yet)')
  const result = await page.evaluate(async () => {
    const Ours = await (globalThis as unknown as PageGlobals).harness.ours()
    const encoder = new TextEncoder()
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('\uFEFFid: 7\nretry: 1234\ndata: one\n\nevent: named\ndata: two\n\ndata: cut'))
        controller.close()
      },
    })
    const source = Ours.fromReadableStream(body)
    const initial = [source.readyState, source.url, source.withCredentials, source.lastEventId, source.reconnectionTime > 0, body.locked]
    const log: string[] = []
    source.onopen = () => log.push(`open ${source.readyState}`)
    source.onmessage = (event) => log.push(`message ${event.data} ${event.lastEventId} ${event.origin}`)
    source.addEventListener('named', (event) => log.push(`named ${(event as MessageEvent<string>).data}`))
    await new Promise((resolve) => source.addEventListener('error', resolve))
    log.push(`error ${source.readyState} ${source.lastEventId} ${source.reconnectionTime}`)
    return {initial, log, isInstance: source instanceof Ours}
  })
  expect(result.isInstance).toBe(true)
  expect(result.initial).toEqual([0, 'about:event-stream', false, '', true, true])
  expect(result.log).toEqual(['open 1', 'message one 7 null', 'named two', 'error 2 7 1234'])

  const id = newRunId()
  await page.evaluate(async (url) => {
    const Ours = await (globalThis as unknown as PageGlobals).harness.ours()
    const source = Ours.fromReadableStream((await fetch(url)).body as ReadableStream<Uint8Array>)
    await new Promise((resolve) => source.addEventListener('message', resolve))
    source.close()
  }, scenarioUrl(id, 'hold'))
  await expect.poll(async () => (await requestsOf(id)).map((request) => request.aborted)).toEqual([true])
})

test('[non-spec] fromReadableStream keeps lastEventId and reconnectionTime across responses piped through one TransformStream', async ({driver: page}) => {
  // The "reconnect" scenario: the first response sets retry 20 and id 7, then ends; the second
  // (the same run, so attempt 2) echoes the Last-Event-ID it was sent, then holds.
  const url = scenarioUrl(newRunId(), 'reconnect')
  const result = await page.evaluate(async (url) => {
    const Ours = await (globalThis as unknown as PageGlobals).harness.ours()
    const pipe = new TransformStream<Uint8Array, Uint8Array>()
    const source = Ours.fromReadableStream(pipe.readable)
    const log: string[] = []
    const ended = new Promise<void>((resolve) => {
      source.onmessage = (event) => {
        log.push(`${event.data} | ${event.lastEventId} ${source.lastEventId} ${source.reconnectionTime}`)
        if (event.data === 'end') resolve()
      }
    })
    // Two "connections" by hand through one pipe, the second sending where the first left off.
    const first = await fetch(url)
    await (first.body as ReadableStream<Uint8Array>).pipeTo(pipe.writable, {preventClose: true})
    const afterFirst = [source.lastEventId, source.reconnectionTime]
    const second = await fetch(url, {headers: {'Last-Event-ID': source.lastEventId}})
    const piping = (second.body as ReadableStream<Uint8Array>).pipeTo(pipe.writable).catch(() => 'cancelled')
    await ended
    // close() cancels the pipe's readable side, which ends the second request too.
    source.close()
    return {log, afterFirst, readyState: source.readyState, piping: await piping}
  }, url)
  expect(result.afterFirst).toEqual(['7', 20])
  expect(result.log).toEqual(['a | 7 7 20', 'attempt 2 with 7 | 7 7 20', 'end | 7 7 20'])
  expect([result.readyState, result.piping]).toEqual([2, 'cancelled'])
})

test('[non-spec] parseEventStream: break ends the request, and a failed response throws HttpError with the start of its body', async ({driver: page, engine}) => {
  test.skip(engine === 'firefox', 'in Firefox 153 the server did not see the request end within 5 s after the body reader was cancelled (observed, not explained yet)')
  const id = newRunId()
  const result = await page.evaluate(
    async ({held, failing}) => {
      const parseModule = '/dist/browser/parse.js'
      const {parseEventStream, HttpError} = (await import(/* @vite-ignore */ parseModule)) as typeof import('../src/parse/index.js')
      const data: string[] = []
      for await (const event of parseEventStream(await fetch(held))) {
        data.push(event.data)
        break
      }
      let failure = ''
      try {
        for await (const _ of parseEventStream(await fetch(failing))) failure = 'no error'
      } catch (error) {
        failure = error instanceof HttpError ? `HttpError ${error.status} ${error.body}` : String(error)
      }
      return {data, failure}
    },
    {held: scenarioUrl(id, 'hold'), failing: scenarioUrl(newRunId(), 'status-500')},
  )
  expect(result.data).toEqual(['a'])
  await expect.poll(async () => (await requestsOf(id)).map((request) => request.aborted)).toEqual([true])
  expect(result.failure).toBe('HttpError 500 nope')
})
