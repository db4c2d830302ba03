// Chromium through Playwright's own protocol: the seam over a Playwright browser.
import {type Browser, type LaunchOptions, chromium} from '@playwright/test'
import type {Driver, Session} from '../driver.js'

/** Launches Chromium with the project's launch options (playwright.config.ts). */
export async function launchChromium(options: LaunchOptions): Promise<Session> {
  const browser: Browser = await chromium.launch(options)
  return {
    async open(): Promise<Driver> {
      const context = await browser.newContext()
      const page = await context.newPage()
      return {
        engine: 'chromium',
        goto: async (url) => void (await page.goto(url)),
        // Playwright types the argument as it unboxes handles; the seam passes plain JSON.
        evaluate: <Result, Arg>(fn: (arg: Arg) => Result | Promise<Result>, arg: Arg) => page.evaluate<Result, Arg>(fn as never, arg),
        setCookie: ({name, value, domain}) => context.addCookies([{name, value, domain, path: '/'}]),
        close: () => context.close(),
      }
    },
    close: () => browser.close(),
  }
}
