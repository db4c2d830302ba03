// The demo's picture, in every engine (the driver seam): a visitor's first minute (one dropped stream
// resumed, one chat answer, the React and Vue cards open), then a screenshot. The Chromium one is the
// README's (docs/demo.png); the others sit beside it (docs/demo-firefox.png, docs/demo-webkit.png).
// They are refreshed only on request (UPDATE_SCREENSHOT=1), so a test run leaves the tree clean;
// otherwise they go to Playwright's output folder. demo.spec.ts has the demo's behaviour, in Chromium.
import {fileURLToPath} from 'node:url'
import type {Driver} from './support/driver.js'
import {DEMO_PORT} from './support/origins.js'
import {expect, test} from './support/test.js'

const DEMO = `http://127.0.0.1:${DEMO_PORT}`
// Reconnecting after a 503 waits 1 s (retry) + 3 s (Retry-After); leave room for a busy machine.
const RECOVERY = {timeout: 20_000}

/** The text of the element `[data-testid=<id>]`, or an attribute of it. */
const textOf = (page: Driver, id: string, attribute?: string): Promise<string | null> =>
  page.evaluate(
    ({id, attribute}) => {
      const element = document.querySelector(`[data-testid="${id}"]`)
      return (attribute === undefined ? element?.textContent : element?.getAttribute(attribute)) ?? null
    },
    {id, attribute},
  )

/** Clicks the button whose text is `name`. */
async function click(page: Driver, name: string): Promise<void> {
  const found = await page.evaluate((name) => {
    const button = [...document.querySelectorAll('button')].find((candidate) => candidate.textContent?.trim() === name)
    button?.click()
    return button !== undefined
  }, name)
  expect(found, `a button "${name}"`).toBe(true)
}

test('[non-spec] the demo renders and works: a screenshot per engine', async ({driver: page, engine}, testInfo) => {
  await page.setViewport({width: 1280, height: 900})
  await page.goto(`${DEMO}/`)
  await expect.poll(() => textOf(page, 'ready-state'), RECOVERY).toBe('OPEN')
  await expect.poll(async () => Number(await textOf(page, 'received')), RECOVERY).toBeGreaterThan(0)
  await click(page, 'drop the stream')
  await expect.poll(() => textOf(page, 'reconnections'), RECOVERY).toBe('1')
  await click(page, 'Send')
  await expect.poll(() => textOf(page, 'chat-answer', 'data-state'), RECOVERY).toBe('done')
  await expect.poll(() => textOf(page, 'react-state'), RECOVERY).toBe('open')
  await expect.poll(() => textOf(page, 'vue-state'), RECOVERY).toBe('open')
  await expect.poll(() => textOf(page, 'gaps'), RECOVERY).toBe('0')
  const name = engine === 'chromium' ? 'demo.png' : `demo-${engine}.png`
  const path = process.env.UPDATE_SCREENSHOT ? fileURLToPath(new URL(`../docs/${name}`, import.meta.url)) : testInfo.outputPath(name)
  await page.screenshot(path)
})
