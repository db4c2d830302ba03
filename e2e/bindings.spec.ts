// The React and Vue bindings in every engine (the driver seam), built from dist/ as an app would
// bundle them (React's and Vue's development builds, so StrictMode double-invokes effects): one
// request for several components on one key, ended when the last unmounts; a 500-event chunk whole.
import type {Bindings} from './page/bindings.js'
import type {Driver} from './support/driver.js'
import {newRunId, requestsOf, scenarioUrl} from './support/server-log.js'
import {expect, test} from './support/test.js'

test.describe.configure({mode: 'parallel'})
test.beforeEach(async ({driver}) => {
  const loaded = await driver.evaluate(
    (timeoutMs) =>
      new Promise<boolean>((resolve) => {
        const script = document.createElement('script')
        script.type = 'module'
        script.src = '/bundles/bindings.js'
        document.head.append(script)
        const deadline = Date.now() + timeoutMs
        const check = (): void => {
          if ('bindings' in globalThis || Date.now() > deadline) resolve('bindings' in globalThis)
          else setTimeout(check, 25)
        }
        check()
      }),
    10_000,
  )
  expect(loaded).toBe(true)
})

const text = (driver: Driver, framework: 'react' | 'vue'): Promise<string> =>
  driver.evaluate((name) => (globalThis as unknown as {bindings: Bindings}).bindings.text(name), framework)

const received = (driver: Driver, framework: 'react' | 'vue'): Promise<string[]> =>
  driver.evaluate((name) => (globalThis as unknown as {bindings: Bindings}).bindings.received[name], framework)

for (const framework of ['react', 'vue'] as const) {
  test(`${framework}: three components on one key open one request${framework === 'react' ? ' under StrictMode' : ''}; unmounting them ends it`, async ({driver}) => {
    const id = newRunId()
    const url = scenarioUrl(id, 'binding-hold')
    await driver.evaluate(
      ([name, url]) => {
        const {bindings} = globalThis as unknown as {bindings: Bindings}
        if (name === 'react') bindings.mountReact(url, {count: 3, strict: true})
        else bindings.mountVue(url, {count: 3})
      },
      [framework, url] as const,
    )
    await expect.poll(() => text(driver, framework)).toBe('open 1 shared')
    const requests = await requestsOf(id)
    expect(requests).toHaveLength(1)
    expect(requests[0]?.aborted).toBe(false)
    await driver.evaluate(() => (globalThis as unknown as {bindings: Bindings}).bindings.unmount(), undefined)
    // The server sees the request end (the client went away), and no other request came.
    await expect.poll(async () => (await requestsOf(id)).map((request) => request.aborted)).toEqual([true])
  })

  test(`${framework}: 500 events in one chunk reach the callback 500 times, in order`, async ({driver}) => {
    const id = newRunId()
    await driver.evaluate(
      ([name, url]) => {
        const {bindings} = globalThis as unknown as {bindings: Bindings}
        if (name === 'react') bindings.mountReact(url, {count: 1, strict: true, events: ['done']})
        else bindings.mountVue(url, {count: 1, events: ['done']})
      },
      [framework, scenarioUrl(id, 'binding-burst')] as const,
    )
    await expect.poll(() => text(driver, framework)).toBe('open 499 end')
    expect(await received(driver, framework)).toEqual([...Array.from({length: 500}, (_, index) => String(index)), 'end'])
    expect(await requestsOf(id)).toHaveLength(1)
  })
}
