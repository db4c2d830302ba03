import {existsSync} from 'node:fs'
import {defineConfig, type Project} from '@playwright/test'
import {ENGINES, isChosen, missingOf} from './scripts/engines.mjs'
import type {Engine} from './e2e/support/driver.js'
import {CROSS_PORT, DEMO_PORT, MAIN_ORIGIN, PORT} from './e2e/support/origins.js'

const SYSTEM_CHROMIUM = '/usr/bin/chromium'

// CI containers use a distro Chromium (scripts/ensure-chromium.mjs installs it); on a laptop
// without one, leave it unset so Playwright uses its own browser (`npx playwright install chromium`).
const executablePath = process.env.CHROMIUM_PATH ?? (existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined)

/** Every spec runs in Chromium: the ones on the driver seam and the ones that take Playwright's `page`. */
const chromium = {
  name: 'chromium',
  use: {
    browserName: 'chromium' as const,
    headless: true,
    launchOptions: {
      ...(executablePath ? {executablePath} : {}),
      // Containers have no sandbox or GPU; the rest keeps the browser off the network.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
}

/** The specs written against the driver seam (e2e/support/test.ts): they run in every engine. */
const EVERY_ENGINE = /\/(standard-[^/]*|redirect-request|header-bytes|workers)\.spec\.ts$/

/** A project per other engine this machine has (scripts/ensure-engines.mjs installs them or says why not). */
const otherEngines: Project<object, {engine: Engine}>[] = []
for (const engine of ['firefox', 'webkit'] as const) {
  const missing = missingOf(engine)
  if (isChosen(engine) && missing === undefined) otherEngines.push({name: engine, testMatch: EVERY_ENGINE, use: {engine}})
  // Said once, by the runner's main process (workers load this file too).
  else if (isChosen(engine) && process.env.TEST_WORKER_INDEX === undefined) console.warn(`e2e: SKIPPING ${ENGINES[engine].label}: ${missing} is missing (npm run e2e installs it as root with apt-get; or set ${ENGINES[engine].setting})`)
}

export default defineConfig<object, {engine: Engine}>({
  testDir: 'e2e',
  reporter: 'list',
  workers: 2,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  use: {baseURL: MAIN_ORIGIN},
  projects: [
    ...(isChosen('chromium') ? [chromium] : []),
    ...otherEngines,
  ],
  webServer: [
    {
      // Two listeners: the page's origin and a cross origin on another port (e2e/support/origins.ts).
      command: `node e2e/server.mjs ${PORT} ${CROSS_PORT}`,
      url: `${MAIN_ORIGIN}/health`,
      reuseExistingServer: !process.env.CI,
    },
    // The demo (`npm run demo`) on the port after the page's; e2e/demo.spec.ts opens it.
    {
      command: `node demo/serve.mjs --port ${DEMO_PORT} --no-watch`,
      url: `http://127.0.0.1:${DEMO_PORT}/`,
      reuseExistingServer: !process.env.CI,
    },
  ],
})
