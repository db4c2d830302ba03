// Firefox through puppeteer-core over WebDriver BiDi (no CDP: Firefox has none). puppeteer-core
// downloads nothing; it launches the executable it is given.
import puppeteer from 'puppeteer-core'
import type {Driver, Session} from '../driver.js'

/** Launches a headless Firefox from `executablePath`. */
export async function launchFirefox(executablePath: string): Promise<Session> {
  const browser = await puppeteer.launch({browser: 'firefox', executablePath, headless: true})
  return {
    async open(): Promise<Driver> {
      const context = await browser.createBrowserContext()
      const page = await context.newPage()
      return {
        engine: 'firefox',
        goto: async (url) => void (await page.goto(url)),
        // puppeteer's types want a function of its own shape; the contract is the same.
        evaluate: (fn, arg) => page.evaluate(fn as (arg: unknown) => unknown, arg) as never,
        setCookie: ({name, value, domain}) => context.setCookie({name, value, domain, path: '/'}),
        close: () => context.close(),
      }
    },
    close: () => browser.close(),
  }
}
