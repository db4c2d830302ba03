// A Chromium whose pages can really be frozen. Playwright's own launch keeps every page focused and
// visible, which turns the DevTools protocol's Page.setWebLifecycleState into a no-op. A browser
// started by hand and attached over CDP opens its pages as real background tabs: frozen, they fire
// `freeze` (and `resume` when thawed), their timers stop, and a fetch body that was streaming never
// delivers again after the thaw.
import {type ChildProcess, spawn} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {type Browser, type BrowserContext, chromium, type Page} from '@playwright/test'

/** A browser started for freezing pages, and what to do with it. */
export interface FreezableBrowser {
  /** The browser's default context: its pages are background tabs. */
  readonly context: BrowserContext
  /** Freezes `page` (Page.setWebLifecycleState frozen). */
  freeze(page: Page): Promise<void>
  /** Thaws `page` (Page.setWebLifecycleState active). */
  resume(page: Page): Promise<void>
  /** Closes the browser, waits for its process to end and removes its profile. */
  close(): Promise<void>
}

const SYSTEM_CHROMIUM = '/usr/bin/chromium'
// The same switches as playwright.config.ts, plus what a hand-started browser needs.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--remote-debugging-port=0', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/** Resolves with the DevTools `ws://` address that Chromium prints on its stderr. */
function devToolsAddress(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`Chromium printed no DevTools address:\n${output}`)), 15_000)
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const address = /ws:\/\/\S+/.exec(output)?.[0]
      if (address) {
        clearTimeout(timer)
        resolve(address)
      }
    })
    child.once('exit', (code) => reject(new Error(`Chromium exited (${code}) before it printed a DevTools address:\n${output}`)))
  })
}

/** Starts Chromium with a fresh profile in a temporary folder and attaches to it over CDP. */
export async function launchFreezableBrowser(): Promise<FreezableBrowser> {
  const executable = process.env.CHROMIUM_PATH ?? (existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : chromium.executablePath())
  const profile = mkdtempSync(join(tmpdir(), 'eventsource-kit-freeze-'))
  const child = spawn(executable, [...ARGS, `--user-data-dir=${profile}`, 'about:blank'], {stdio: ['ignore', 'ignore', 'pipe']})
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let browser: Browser | undefined
  const close = async (): Promise<void> => {
    await browser?.close().catch(() => {})
    child.kill()
    await exited
    // The browser's helper processes may still be writing into the profile for a moment.
    rmSync(profile, {recursive: true, force: true, maxRetries: 10, retryDelay: 200})
  }
  try {
    browser = await chromium.connectOverCDP(await devToolsAddress(child), {noDefaults: true})
  } catch (error) {
    await close()
    throw error
  }
  const [context] = browser.contexts()
  if (!context) {
    await close()
    throw new Error('the browser has no default context')
  }
  const setState = async (page: Page, state: 'frozen' | 'active'): Promise<void> => {
    const session = await context.newCDPSession(page)
    await session.send('Page.setWebLifecycleState', {state})
    await session.detach()
  }
  return {context, freeze: (page) => setState(page, 'frozen'), resume: (page) => setState(page, 'active'), close}
}
