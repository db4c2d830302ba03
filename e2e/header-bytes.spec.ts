// [non-spec] What each engine's fetch() puts on the wire for a user header with a non-ASCII value
// (e2e/README.md). Fetch: a header value is a byte sequence, and a JS string becomes one by
// ByteString (code points up to U+00FF, each one byte); U+00E9 goes out as E9, and the UTF-8 of "…"
// given as a byte string ("\u00e2\u0080\u00a6") as E2 80 A6. The server reports the bytes of X-Trace.
import type {PageGlobals} from './page/page.js'
import {newRunId, scenarioUrl} from './support/server-log.js'
import {expect, test} from './support/test.js'

test.describe.configure({mode: 'parallel'})

const VALUES = [
  {label: 'U+00E9 (é)', value: '\u00e9', bytes: 'e9', webkit: 'c3a9'},
  {label: 'the UTF-8 bytes of "…" as a byte string', value: '\u00e2\u0080\u00a6', bytes: 'e280a6', webkit: 'c3a2c280c2a6'},
]
for (const {label, value, bytes, webkit} of VALUES) {
  test(`[non-spec] a header value of ${label} is sent as the bytes the engine's fetch makes of it`, async ({driver}) => {
    const result = await driver.evaluate(
      async ({url, value}) => {
        const {harness} = globalThis as unknown as PageGlobals
        const Ours = await harness.ours()
        class Source extends Ours {
          constructor(url: string) {
            super(url, {headers: {'X-Trace': value}})
          }
        }
        return harness.runTranscript(Source, {url, untilData: 'end'})
      },
      {url: scenarioUrl(newRunId(), 'header-bytes'), value},
    )
    // WebKitGTK 2.50's fetch() encodes the value's code units as UTF-8 (Chromium and Firefox: one byte each).
    const sent = driver.engine === 'webkit' ? webkit : bytes
    expect(result.entries.map((entry) => `${entry.type} ${entry.data}`)).toEqual(['open null', `message got ${sent}`, 'message end'])
  })
}

test('[non-spec] a header value with a code point above U+00FF is refused by the constructor, in every engine', async ({driver}) => {
  const thrown = await driver.evaluate(async (url) => {
    const {harness} = globalThis as unknown as PageGlobals
    const Ours = await harness.ours()
    try {
      new Ours(url, {headers: {'X-Trace': '\u2026'}}).close()
      return 'constructed'
    } catch (error) {
      return `${(error as Error).name}: ${(error as Error).message}`
    }
  }, scenarioUrl(newRunId(), 'header-bytes'))
  expect(thrown).toMatch(/^TypeError: EventSource: option "headers" is not a valid HeadersInit: /)
})
