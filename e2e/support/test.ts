// The test object of the cases that run in every engine: `driver` is a page of the project's engine
// with the harness loaded (e2e/support/driver.ts). Chromium runs them through Playwright, Firefox
// through puppeteer-core (WebDriver BiDi), WebKit through WebKitWebDriver (classic WebDriver).
import {test as base} from '@playwright/test'
import {ENGINES} from '../../scripts/engines.mjs'
import type {Driver, Engine, Session} from './driver.js'
import {launchChromium} from './drivers/playwright.js'
import {launchFirefox} from './drivers/firefox.js'
import {launchWebKit} from './drivers/webkit.js'
import {COOKIE} from './expectations.js'
import {MAIN_ORIGIN} from './origins.js'

const HARNESS_MS = 10_000

/** Waits until the page's harness (e2e/page/page.ts) is on `globalThis`. */
async function harnessReady(driver: Driver): Promise<void> {
  const isReady = await driver.evaluate(async (timeoutMs) => {
    const deadline = Date.now() + timeoutMs
    while (!('harness' in globalThis) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25))
    return 'harness' in globalThis
  }, HARNESS_MS)
  if (!isReady) throw new Error(`the page's harness did not load within ${HARNESS_MS} ms`)
}

export const test = base.extend<{driver: Driver}, {engine: Engine; session: Session}>({
  // Set per project in playwright.config.ts.
  engine: ['chromium', {option: true, scope: 'worker'}],
  session: [
    async ({engine}, use, workerInfo) => {
      const session =
        engine === 'firefox'
          ? await launchFirefox(ENGINES.firefox.executable)
          : engine === 'webkit'
            ? await launchWebKit(ENGINES.webkit.executable)
            : await launchChromium(workerInfo.project.use.launchOptions ?? {})
      await use(session)
      await session.close()
    },
    {scope: 'worker', timeout: 60_000},
  ],
  driver: async ({session}, use) => {
    const driver = await session.open()
    const [name, value] = COOKIE.split('=') as [string, string]
    // WebDriver sets a cookie for the document's domain: load one of the host first.
    await driver.goto(`${MAIN_ORIGIN}/health`)
    await driver.setCookie({name, value, domain: '127.0.0.1'})
    await driver.goto(`${MAIN_ORIGIN}/page.html`)
    await harnessReady(driver)
    await use(driver)
    await driver.close()
  },
})

export {expect} from '@playwright/test'
