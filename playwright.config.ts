import {existsSync} from 'node:fs'
import {defineConfig} from '@playwright/test'

/** Loopback only; the e2e server takes it as its first argument. */
const PORT = 4319
const SYSTEM_CHROMIUM = '/usr/bin/chromium'

// CI containers use a distro Chromium (scripts/ensure-chromium.mjs installs it); on a laptop
// without one, leave it unset so Playwright uses its own browser (`npx playwright install chromium`).
const executablePath = process.env.CHROMIUM_PATH ?? (existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined)

export default defineConfig({
  testDir: 'e2e',
  reporter: 'list',
  workers: 2,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  use: {baseURL: `http://127.0.0.1:${PORT}`},
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
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
    },
  ],
  webServer: {
    command: `node e2e/server.mjs ${PORT}`,
    url: `http://127.0.0.1:${PORT}/health`,
    reuseExistingServer: !process.env.CI,
  },
})
