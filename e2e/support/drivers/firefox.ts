// Firefox through puppeteer-core over WebDriver BiDi (no CDP: Firefox has none). puppeteer-core
// downloads nothing; it launches the executable it is given.
import puppeteer, {type BrowserContext, type Page} from 'puppeteer-core'
import type {Driver, Session} from '../driver.js'

function driverOf(context: BrowserContext, page: Page, close: () => Promise<void>): Driver {
  return {
    engine: 'firefox',
    goto: async (url) => void (await page.goto(url)),
    // puppeteer's types want a function of its own shape; the contract is the same.
    evaluate: (fn, arg) => page.evaluate(fn as (arg: unknown) => unknown, arg) as never,
    setCookie: ({name, value, domain}) => context.setCookie({name, value, domain, path: '/'}),
    setViewport: (size) => page.setViewport(size),
    screenshot: async (path) => void (await page.screenshot({path, fullPage: true})),
    newPage: async () => {
      const other = await context.newPage()
      return driverOf(context, other, () => other.close())
    },
    close,
  }
}

/** Launches a headless Firefox from `executablePath`. */
export async function launchFirefox(executablePath: string): Promise<Session> {
  const browser = await puppeteer.launch({browser: 'firefox', executablePath, headless: true})
  return {
    async open(): Promise<Driver> {
      const context = await browser.createBrowserContext()
      return driverOf(context, await context.newPage(), () => context.close())
    },
    close: () => browser.close(),
  }
}
