// Chromium through Playwright's own protocol: the seam over a Playwright browser.
import {type Browser, type BrowserContext, type LaunchOptions, type Page, chromium} from '@playwright/test'
import type {Driver, Session} from '../driver.js'

function driverOf(context: BrowserContext, page: Page, close: () => Promise<void>): Driver {
  return {
    engine: 'chromium',
    goto: async (url) => void (await page.goto(url)),
    // Playwright types the argument as it unboxes handles; the seam passes plain JSON.
    evaluate: <Result, Arg>(fn: (arg: Arg) => Result | Promise<Result>, arg: Arg) => page.evaluate<Result, Arg>(fn as never, arg),
    setCookie: ({name, value, domain}) => context.addCookies([{name, value, domain, path: '/'}]),
    setViewport: (size) => page.setViewportSize(size),
    screenshot: async (path) => void (await page.screenshot({path, fullPage: true, animations: 'disabled', caret: 'hide'})),
    newPage: async () => {
      const other = await context.newPage()
      return driverOf(context, other, () => other.close())
    },
    close,
  }
}

/** Launches Chromium with the project's launch options (playwright.config.ts). */
export async function launchChromium(options: LaunchOptions): Promise<Session> {
  const browser: Browser = await chromium.launch(options)
  return {
    async open(): Promise<Driver> {
      const context = await browser.newContext()
      return driverOf(context, await context.newPage(), () => context.close())
    },
    close: () => browser.close(),
  }
}
