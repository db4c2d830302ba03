// The browser engines the e2e suite runs in besides Chromium, where their executables are, and
// whether this machine has them. Shared by scripts/ensure-engines.mjs (installs them) and
// playwright.config.ts (runs a project per engine that is there).
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'

/** `E2E_ENGINES=chromium,firefox` runs only those; unset, every engine this machine has. */
const chosen = process.env.E2E_ENGINES?.split(',').map((name) => name.trim())

const onPath = (command) => spawnSync('sh', ['-c', `command -v ${command}`], {stdio: 'ignore'}).status === 0

/**
 * The engines that need more than Playwright: each with the Debian packages that bring it and the
 * executables it needs (an env variable overrides the path).
 */
export const ENGINES = {
  firefox: {
    label: 'Firefox',
    packages: ['firefox-esr'],
    executable: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
    helpers: [],
    setting: 'FIREFOX_PATH',
  },
  webkit: {
    label: 'WebKit',
    packages: ['webkit2gtk-driver', 'xvfb'],
    executable: process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver',
    // MiniBrowser needs a display: the driver runs under xvfb-run.
    helpers: ['xvfb-run'],
    setting: 'WEBKIT_DRIVER_PATH',
  },
}

/** Whether `name` (an ENGINES key or `chromium`) was chosen by E2E_ENGINES (or it is unset). */
export const isChosen = (name) => !chosen || chosen.includes(name)

/** What `name` lacks on this machine (an executable), or undefined when it can run. */
export function missingOf(name) {
  const engine = ENGINES[name]
  if (!existsSync(engine.executable)) return engine.executable
  return engine.helpers.find((helper) => !onPath(helper))
}
