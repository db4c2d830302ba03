// A URL with a user and password (`http://user:pass@host/`), side by side with the native
// EventSource. Measured in Chromium: its own EventSource sends no request to such a URL, of the
// page's origin or another, with or without withCredentials, and fails the connection at once
// (error, readyState CLOSED); its fetch() refuses to build the request. Ours does the same, with a
// RequestInitError that says why. (Server runtimes send it: test/userinfo.test.ts.)
import {expect, test} from '@playwright/test'
import {expectSameAsNative, FAILED, openHarness} from './support/expectations.js'
import type {PageGlobals} from './page/page.js'
import {newRunId, scenarioUrl} from './support/server-log.js'
import {sideBySide} from './support/side-by-side.js'

test.describe.configure({mode: 'parallel'})
test.beforeEach(openHarness)

for (const server of ['main', 'cross'] as const) {
  for (const withCredentials of [false, true]) {
    test(`a URL with credentials on the ${server} origin (withCredentials ${withCredentials}): no request, the connection fails at once, url keeps them`, async ({page}) => {
      const result = await sideBySide(page, {name: 'basic-auth', server, withCredentials, userinfo: 'us%C3%A9r:p%40ss', settleMs: 300})
      const native = expectSameAsNative(result)
      expect(native.readyStates).toEqual([0, 2, 2])
      expect(native.events).toEqual([FAILED])
      expect(native.requests).toEqual([])
      expect(native.preflights).toEqual([])
      expect(native.attributes).toBe(`url=${server} us%C3%A9r:p%40ss@ /sse/basic-auth/start withCredentials=${withCredentials}`)
      expect(result.ours.errorNames).toEqual(['RequestInitError'])
    })
  }
}

test('[non-spec] the RequestInitError says why and never shows the password', async ({page}) => {
  const url = scenarioUrl(newRunId(), 'basic-auth').replace('://', '://user:hunter2@')
  const seen = await page.evaluate(async (url) => {
    const Ours = await (globalThis as unknown as PageGlobals).harness.ours()
    const source = new Ours(url)
    const event = await new Promise<Event>((resolve) => source.addEventListener('error', resolve, {once: true}))
    const {error} = event as Event & {error?: Error}
    return {name: error?.name, message: error?.message, readyState: source.readyState, url: source.url}
  }, url)
  expect(seen).toEqual({
    name: 'RequestInitError',
    message: `EventSource: this browser sends no request to a URL with a user or password (${url.replace('user:hunter2@', '')})`,
    readyState: 2,
    url,
  })
})
