// Makes sure the e2e suite has Firefox and WebKit (`npm run e2e` runs this after ensure-chromium):
// as root with apt-get, installs the missing Debian packages; elsewhere it says which engine is
// skipped and why, and playwright.config.ts leaves that engine's project out.
import {spawnSync} from 'node:child_process'
import {ENGINES, isChosen, missingOf} from './engines.mjs'

const hasAptGet = spawnSync('apt-get', ['--version'], {stdio: 'ignore'}).status === 0
const isRoot = process.getuid?.() === 0

const missing = Object.keys(ENGINES).filter((name) => isChosen(name) && missingOf(name) !== undefined)
if (missing.length > 0 && hasAptGet && isRoot) {
  const packages = missing.flatMap((name) => ENGINES[name].packages)
  console.log(`ensure-engines: installing ${packages.join(', ')}`)
  const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'}
  for (const args of [['update'], ['install', '-y', ...packages]]) {
    const result = spawnSync('apt-get', args, {stdio: 'inherit', env})
    if (result.status !== 0) console.error(`ensure-engines: \`apt-get ${args.join(' ')}\` failed (${result.error?.message ?? `exit ${result.status}`})`)
  }
}
for (const name of Object.keys(ENGINES)) {
  const engine = ENGINES[name]
  if (!isChosen(name)) {
    console.log(`ensure-engines: ${engine.label} not chosen (E2E_ENGINES=${process.env.E2E_ENGINES}): its e2e project is skipped`)
    continue
  }
  const lacking = missingOf(name)
  if (lacking === undefined) continue
  const how = hasAptGet ? (isRoot ? 'apt-get did not bring it' : 'installing it needs root') : 'there is no apt-get here'
  console.warn(
    `ensure-engines: SKIPPING ${engine.label}: ${lacking} is missing and ${how}. ` +
      `Install ${engine.packages.join(' and ')} (Debian names), or set ${engine.setting}.`,
  )
}
