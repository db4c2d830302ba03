// The driver seam: what a side-by-side case needs from a browser, so that a case is written once and
// runs in every engine. Chromium is driven by Playwright, Firefox by puppeteer-core over WebDriver
// BiDi, WebKit by its WebKitWebDriver over classic WebDriver (e2e/support/drivers/).

/** The engines the suite runs in. */
export type Engine = 'chromium' | 'firefox' | 'webkit'

/** One page of one engine, for one test. */
export interface Driver {
  readonly engine: Engine
  /** Loads `url` and resolves once its `load` event fired. */
  goto(url: string): Promise<void>
  /**
   * Runs `fn(arg)` in the page and resolves to its (awaited) result. `fn` is sent as source text, so
   * it may use only its argument and the page's globals; `arg` and the result travel as JSON.
   */
  evaluate<Result, Arg>(fn: (arg: Arg) => Result | Promise<Result>, arg: Arg): Promise<Result>
  /** Sets a cookie for `domain` (every port of it), path `/`. */
  setCookie(cookie: {name: string; value: string; domain: string}): Promise<void>
  /** Closes the page (and whatever the test opened with it). */
  close(): Promise<void>
}

/** One running browser of one engine, shared by the tests of one Playwright worker. */
export interface Session {
  /** A fresh page, isolated from the other tests' as far as the engine allows. */
  open(): Promise<Driver>
  close(): Promise<void>
}
