// The polyfill (dist/polyfill.js) in workers. Import maps do not apply in workers, so each worker
// script is a bundle of its code, the built polyfill and its parser (e2e/server/bundles.mjs), the
// way an app's bundler would ship it. The polyfill keeps a native EventSource and installs ours
// where there is none. Chromium 156 turned out to have a native EventSource in service workers too
// (`typeof EventSource` is "function" there; Firefox and older Chromium have none), so every worker
// test also runs with `?without-native`, which deletes the global before the polyfill runs
// (e2e/page/worker-scope.ts): a worker without EventSource, whatever this browser ships.
import type {Driver} from './support/driver.js'
import {expect, test} from './support/test.js'
import type {WorkerReport} from './page/worker-report.js'
import type {RunSpec} from './page/transcript.js'
import {end, message, OPEN, RECONNECTING} from './support/expectations.js'
import {newRunId, requestsOf, scenarioUrl} from './support/server-log.js'
import {describeEntry} from './support/side-by-side.js'

test.describe.configure({mode: 'parallel'})

/** The `reconnect` scenario's transcript: an event, the server ends the stream, a reconnection with Last-Event-ID. */
const RECONNECT_EVENTS = [OPEN, message('a', {id: '7'}), RECONNECTING, OPEN, message('attempt 2 with 7', {id: '7'}), end('7')]

/** Starts a dedicated module worker from `scriptUrl`, sends it `spec` and returns its report. */
function inDedicatedWorker(page: Pick<Driver, 'evaluate'>, scriptUrl: string, spec: RunSpec): Promise<WorkerReport> {
  return page.evaluate(
    async ([scriptUrl, spec]) => {
      const worker = new Worker(scriptUrl, {type: 'module'})
      try {
        return await new Promise<WorkerReport>((resolve, reject) => {
          worker.onmessage = (event: MessageEvent<WorkerReport>) => resolve(event.data)
          worker.onerror = (event) => reject(new Error(`worker failed: ${event.message}`))
          worker.postMessage(spec)
        })
      } finally {
        worker.terminate()
      }
    },
    [scriptUrl, spec] as const,
  )
}

/** Registers the module service worker (`query` appended to its URL), waits until it is active, sends it `spec` and returns its report. */
function inServiceWorker(page: Pick<Driver, 'evaluate'>, query: string, spec: RunSpec): Promise<WorkerReport> {
  return page.evaluate(
    async ([query, spec]) => {
      // Its own scope: it controls no page, it only runs the transcript it is sent.
      const registration = await navigator.serviceWorker.register(`/bundles/service-worker.js${query}`, {type: 'module', scope: '/bundles/'})
      const worker = registration.installing ?? registration.waiting ?? registration.active
      if (!worker) throw new Error('no service worker after register()')
      if (worker.state !== 'activated') {
        await new Promise<void>((resolve, reject) => {
          worker.addEventListener('statechange', () => {
            if (worker.state === 'activated') resolve()
            if (worker.state === 'redundant') reject(new Error('the service worker became redundant'))
          })
        })
      }
      const channel = new MessageChannel()
      const answer = new Promise<WorkerReport>((resolve) => {
        channel.port1.onmessage = (event: MessageEvent<WorkerReport>) => resolve(event.data)
      })
      worker.postMessage(spec, [channel.port2])
      try {
        return await answer
      } finally {
        await registration.unregister()
      }
    },
    [query, spec] as const,
  )
}

test('dedicated worker with a native EventSource: the polyfill leaves it alone', async ({driver}) => {
  const id = newRunId()
  const report = await inDedicatedWorker(driver, '/bundles/worker.js', {url: scenarioUrl(id, 'reconnect'), untilData: 'end'})
  expect(report).toMatchObject({typeBefore: 'function', isNative: true, isOurs: false})
  expect(report.result.entries.map(describeEntry)).toEqual(RECONNECT_EVENTS)
})

test('dedicated worker without EventSource: the polyfill installs ours, which receives events and reconnects', async ({driver}) => {
  const id = newRunId()
  // `?without-native` removes the worker's EventSource before the polyfill runs (e2e/page/worker-scope.ts).
  const report = await inDedicatedWorker(driver, '/bundles/worker.js?without-native', {url: scenarioUrl(id, 'reconnect'), untilData: 'end'})
  expect(report).toMatchObject({typeBefore: 'function', isNative: false, isOurs: true})
  expect(report.result.entries.map(describeEntry)).toEqual(RECONNECT_EVENTS)
  expect(report.result.reconnectionTime).toBe(20)
  expect((await requestsOf(id)).map((request) => request.headers['last-event-id'])).toEqual([undefined, '7'])
})

test('service worker: the polyfill keeps a native EventSource or installs ours, and events arrive', async ({driver}) => {
  const id = newRunId()
  // A relative URL resolves against the worker's own URL.
  const relative = new URL(scenarioUrl(id, 'reconnect'))
  const report = await inServiceWorker(driver, '', {url: relative.pathname + relative.search, untilData: 'end'})
  test.info().annotations.push({type: 'typeof EventSource in a service worker', description: report.typeBefore})
  expect(['function', 'undefined']).toContain(report.typeBefore)
  expect(report).toMatchObject({isNative: report.typeBefore === 'function', isOurs: report.typeBefore === 'undefined'})
  expect(report.result.entries.map(describeEntry)).toEqual(RECONNECT_EVENTS)
})

test('service worker without EventSource: the polyfill installs ours, which receives events and reconnects', async ({driver}) => {
  const id = newRunId()
  const relative = new URL(scenarioUrl(id, 'reconnect'))
  const report = await inServiceWorker(driver, '?without-native', {url: relative.pathname + relative.search, untilData: 'end'})
  expect(report).toMatchObject({isNative: false, isOurs: true})
  expect(report.result.entries.map(describeEntry)).toEqual(RECONNECT_EVENTS)
  expect((await requestsOf(id)).map((request) => request.headers['last-event-id'])).toEqual([undefined, '7'])
})
