// Makes sure `playwright test` has a Chromium to launch; run by `npm run test:e2e` before Playwright.
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {chromium} from '@playwright/test'

const SYSTEM_CHROMIUM = '/usr/bin/chromium'

function fail(message) {
  console.error(`ensure-chromium: ${message}`)
  process.exit(1)
}

function run(command, args) {
  const result = spawnSync(command, args, {stdio: 'inherit', env: {...process.env, DEBIAN_FRONTEND: 'noninteractive'}})
  if (result.status !== 0) fail(`\`${command} ${args.join(' ')}\` failed (${result.error?.message ?? `exit ${result.status}`})`)
}

const hasAptGet = spawnSync('apt-get', ['--version'], {stdio: 'ignore'}).status === 0
const isRoot = process.getuid?.() === 0

if (process.env.CHROMIUM_PATH) {
  // An explicit choice wins; a wrong path should fail here, not as a launch error in every test.
  if (!existsSync(process.env.CHROMIUM_PATH)) fail(`CHROMIUM_PATH is set but ${process.env.CHROMIUM_PATH} does not exist`)
} else if (existsSync(SYSTEM_CHROMIUM)) {
  // playwright.config.ts picks it up.
} else if (existsSync(chromium.executablePath())) {
  // Playwright's own browser, from `npx playwright install chromium` (the usual setup on a laptop).
} else if (hasAptGet && isRoot) {
  console.log('ensure-chromium: installing the distro chromium package')
  run('apt-get', ['update'])
  run('apt-get', ['install', '-y', 'chromium'])
  if (!existsSync(SYSTEM_CHROMIUM)) fail(`apt-get installed chromium, but ${SYSTEM_CHROMIUM} is missing`)
} else if (!hasAptGet) {
  // A developer laptop (macOS, Windows, other Linux): Playwright's own browser build.
  console.log('ensure-chromium: installing Playwright\'s Chromium')
  run(process.execPath, [fileURLToPath(import.meta.resolve('@playwright/test/cli')), 'install', 'chromium'])
} else {
  fail('no Chromium found for the e2e tests, and apt-get needs root. Set CHROMIUM_PATH to a Chromium or Chrome executable.')
}
