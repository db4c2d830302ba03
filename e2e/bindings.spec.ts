// The React and Vue bindings in Chromium, built from dist/ as an app would bundle them (React and Vue
// development builds, so StrictMode double-invokes effects): one request for several components on
// one key, ended when the last unmounts; a 500-event chunk reaching the callbacks whole.
import {expect, type Page, test} from '@playwright/test'
import type {Bindings} from './page/bindings.js'
import {openHarness} from './support/expectations.js'
import {newRunId, requestsOf, scenarioUrl} from './support/server-log.js'

test.describe.configure({mode: 'parallel'})
test.beforeEach(async ({page}) => {
  await openHarness({page})
  await page.addScriptTag({url: '/bundles/bindings.js', type: 'module'})
  await page.waitForFunction(() => 'bindings' in globalThis)
})

const text = (page: Page, framework: 'react' | 'vue'): Promise<string> =>
  page.evaluate((name) => (globalThis as unknown as {bindings: Bindings}).bindings.text(name), framework)

const received = (page: Page, framework: 'react' | 'vue'): Promise<string[]> =>
  page.evaluate((name) => (globalThis as unknown as {bindings: Bindings}).bindings.received[name], framework)

for (const framework of ['react', 'vue'] as const) {
  test(`${framework}: three components on one key open one request${framework === 'react' ? ' under StrictMode' : ''}; unmounting them ends it`, async ({page}) => {
    const id = newRunId()
    const url = scenarioUrl(id, 'binding-hold')
    await page.evaluate(
      ([name, url]) => {
        const {bindings} = globalThis as unknown as {bindings: Bindings}
        if (name === 'react') bindings.mountReact(url, {count: 3, strict: true})
        else bindings.mountVue(url, {count: 3})
      },
      [framework, url] as const,
    )
    await expect.poll(() => text(page, framework)).toBe('open 1 shared')
    const requests = await requestsOf(id)
    expect(requests).toHaveLength(1)
    expect(requests[0]?.aborted).toBe(false)
    await page.evaluate(() => (globalThis as unknown as {bindings: Bindings}).bindings.unmount())
    // The server sees the request end (the client went away), and no other request came.
    await expect.poll(async () => (await requestsOf(id)).map((request) => request.aborted)).toEqual([true])
  })

  test(`${framework}: 500 events in one chunk reach the callback 500 times, in order`, async ({page}) => {
    const id = newRunId()
    await page.evaluate(
      ([name, url]) => {
        const {bindings} = globalThis as unknown as {bindings: Bindings}
        if (name === 'react') bindings.mountReact(url, {count: 1, strict: true, events: ['done']})
        else bindings.mountVue(url, {count: 1, events: ['done']})
      },
      [framework, scenarioUrl(id, 'binding-burst')] as const,
    )
    await expect.poll(() => text(page, framework)).toBe('open 499 end')
    expect(await received(page, framework)).toEqual([...Array.from({length: 500}, (_, index) => String(index)), 'end'])
    expect(await requestsOf(id)).toHaveLength(1)
  })
}
