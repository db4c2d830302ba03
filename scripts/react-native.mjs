// The proof on React Native's own network code: runs the Jest project in test/react-native-jest/ (with
// @react-native/jest-preset, React Native's own XMLHttpRequest JS over a fake RCTNetworking driven
// by a loopback node:http server) against the built package, installed from `npm pack` as a user
// gets it, and prints one line per case, a summary, and the side-by-side table with react-native-sse.
// `npm run test:react-native` builds first.
//
//   node scripts/react-native.mjs              run the suite on the default React Native versions below
//   node scripts/react-native.mjs 0.76 0.88    on these versions
//   node scripts/react-native.mjs --table      also print the side-by-side table
//   node scripts/react-native.mjs --write-table   and write it into docs/react-native.md (between its markers)
//   node scripts/react-native.mjs 0.88 <jest args>   other arguments go to Jest (a file name, -t <title>)
//
// React Native, its preset and Jest are not devDependencies (hundreds of packages, and RN's preset
// wants Node 22+): they are installed on demand, at the exact versions below, into
// .react-native/<version>/ (git-ignored). A re-run with the right versions in place skips npm. Jest
// runs on the project's Node 24 (the `node` devDependency).
import {spawnSync} from 'node:child_process'
import {cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {performance} from 'node:perf_hooks'
import {fileURLToPath} from 'node:url'
import {formatTable} from '../test/react-native-jest/table.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const baseDir = `${root}.react-native/`
const suiteSource = `${root}test/react-native-jest/`
const node24 = `${root}node_modules/node/bin/node`
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

const INSTALL_TIMEOUT_MS = 10 * 60_000
// A run that outlives this is a hang (a case left a server or a request open): it is ended and fails.
const RUN_TIMEOUT_MS = 5 * 60_000

const parserVersion = JSON.parse(readFileSync(`${root}node_modules/eventsource-parser/package.json`, 'utf8')).version

/** What each React Native version is tested with: alias → exact version (update together). */
const VERSIONS = {
  '0.88': {
    'react-native': '0.88.1',
    '@react-native/jest-preset': '0.88.1',
    '@react-native/babel-preset': '0.88.1',
    '@babel/core': '7.28.5',
    jest: '30.5.2',
    react: '19.3.1',
    'react-test-renderer': '19.3.1',
    'react-native-sse': '1.2.1',
    'web-streams-polyfill': '4.3.0',
    // The package's one runtime dependency, at the version the project is tested with.
    'eventsource-parser': parserVersion,
  },
  // The oldest in range: its Jest preset is inside react-native, it has no EventTarget of its own,
  // and it peers React 18.
  '0.76': {
    'react-native': '0.76.9',
    '@react-native/babel-preset': '0.76.9',
    '@babel/core': '7.28.5',
    jest: '30.5.2',
    react: '18.3.1',
    'react-test-renderer': '18.3.1',
    'react-native-sse': '1.2.1',
    'web-streams-polyfill': '4.3.0',
    'eventsource-parser': parserVersion,
  },
}

// The versions `npm test` runs: the newest and the oldest in range. 0.76's Babel preset compiles
// classes (Metro did so before Hermes V1), React 18, no EventTarget, an AbortController without `reason`.
const DEFAULT_VERSIONS = ['0.88', '0.76']

// Each version runs on both platforms' networking JS: iOS first (its run makes the table), then Android.
const PLATFORMS = ['ios', 'android']

const args = process.argv.slice(2)
const writeTable = args.includes('--write-table')
const showTable = writeTable || args.includes('--table')
const chosen = args.filter((arg) => arg in VERSIONS)
const jestArgs = args.filter((arg) => arg !== '--table' && arg !== '--write-table' && !(arg in VERSIONS))
const docs = `${root}docs/react-native.md`
const TABLE_START = '<!-- table:start -->'
const TABLE_END = '<!-- table:end -->'

/** Puts the table between the markers of docs/react-native.md. */
function writeTableToDocs(table) {
  const text = readFileSync(docs, 'utf8')
  const start = text.indexOf(TABLE_START)
  const end = text.indexOf(TABLE_END)
  if (start === -1 || end < start) {
    console.error(`react-native: docs/react-native.md has no ${TABLE_START} … ${TABLE_END} markers`)
    process.exit(1)
  }
  writeFileSync(docs, `${text.slice(0, start + TABLE_START.length)}\n${table}\n${text.slice(end)}`)
  console.log('react-native: wrote the table into docs/react-native.md')
}

function readVersion(dir, name) {
  try {
    return JSON.parse(readFileSync(`${dir}node_modules/${name}/package.json`, 'utf8')).version
  } catch {
    return undefined
  }
}

/** Installs the pinned packages into .react-native/<alias>/ unless they are all there already. */
function ensureInstalled(alias, packages) {
  const dir = `${baseDir}${alias}/`
  if (Object.entries(packages).every(([name, version]) => readVersion(dir, name) === version)) return dir
  console.log(`react-native ${alias}: installing ${Object.entries(packages).map(([name, version]) => `${name}@${version}`).join(', ')} into .react-native/${alias}/`)
  mkdirSync(dir, {recursive: true})
  const manifest = {private: true, description: 'React Native test bed for scripts/react-native.mjs', dependencies: packages}
  writeFileSync(`${dir}package.json`, `${JSON.stringify(manifest, null, 2)}\n`)
  const result = spawnSync(npm, ['install', '--prefix', dir, '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', '--ignore-scripts'], {
    cwd: dir,
    stdio: 'inherit',
    timeout: INSTALL_TIMEOUT_MS,
    shell: process.platform === 'win32',
  })
  if (result.status !== 0 || !Object.entries(packages).every(([name, version]) => readVersion(dir, name) === version)) {
    console.error(`react-native ${alias}: installing into .react-native/${alias}/ failed (${result.error?.message ?? `exit ${result.status}`})`)
    process.exit(1)
  }
  return dir
}

/** Packs the built package once (as `npm publish` would ship it) and returns the tarball. */
function pack() {
  if (!existsSync(`${root}dist/react-native/index.js`)) {
    console.error('react-native: dist/react-native/ is missing: run `npm run build` first (or `npm run test:react-native`)')
    process.exit(1)
  }
  mkdirSync(baseDir, {recursive: true})
  for (const file of readdirSync(baseDir)) if (file.endsWith('.tgz')) rmSync(`${baseDir}${file}`)
  const result = spawnSync(npm, ['pack', '--pack-destination', baseDir, '--loglevel=error', '--json'], {cwd: root, encoding: 'utf8', shell: process.platform === 'win32'})
  if (result.status !== 0) {
    console.error(`react-native: npm pack failed\n${result.stderr}`)
    process.exit(1)
  }
  return `${baseDir}${JSON.parse(result.stdout)[0].filename}`
}

/** Unpacks the tarball as node_modules/eventsource-kit (what `npm install` of it leaves) and copies the suite in. */
function prepare(dir, tarball) {
  const target = `${dir}node_modules/eventsource-kit`
  rmSync(target, {recursive: true, force: true})
  rmSync(`${dir}package`, {recursive: true, force: true})
  const untar = spawnSync('tar', ['-xzf', tarball, '-C', dir], {stdio: 'inherit'})
  if (untar.status !== 0) {
    console.error('react-native: unpacking the tarball failed')
    process.exit(1)
  }
  cpSync(`${dir}package`, target, {recursive: true})
  rmSync(`${dir}package`, {recursive: true, force: true})
  // The suite runs from inside the install, so every bare import resolves as in an app.
  rmSync(`${dir}suite`, {recursive: true, force: true})
  cpSync(suiteSource, `${dir}suite`, {recursive: true})
}

/**
 * Runs Jest in one install for one platform (which RCTNetworking and Platform React Native's JS
 * takes); returns its cases and the side-by-side records. The Android run leaves out
 * react-native-sse (the table is made from the iOS run).
 */
function runJest(alias, dir, platform) {
  const report = `${dir}report.json`
  rmSync(report, {force: true})
  rmSync(`${dir}results`, {recursive: true, force: true})
  mkdirSync(`${dir}results`, {recursive: true})
  const hasNamePattern = jestArgs.some((arg) => arg === '-t' || arg.startsWith('--testNamePattern'))
  const platformArgs = platform === 'android' && !hasNamePattern ? ['--testNamePattern', '^(?!react-native-sse )'] : []
  const result = spawnSync(
    node24,
    [`${dir}node_modules/jest/bin/jest.js`, '--config', `${dir}suite/jest.config.cjs`, '--json', '--outputFile', report, '--silent', ...platformArgs, ...jestArgs],
    {cwd: dir, encoding: 'utf8', timeout: RUN_TIMEOUT_MS, env: {...process.env, RN_RESULTS_DIR: `${dir}results/`, RN_PLATFORM: platform}},
  )
  if (result.error) console.error(`react-native ${alias} ${platform}: Jest did not finish (${result.error.message})`)
  if (!existsSync(report)) {
    console.error(result.stderr || result.error?.message)
    return {ok: false, cases: [], records: []}
  }
  const json = JSON.parse(readFileSync(report, 'utf8'))
  const cases = json.testResults.flatMap((file) =>
    file.assertionResults.length > 0
      ? file.assertionResults.map((test) => ({title: [...test.ancestorTitles, test.title].join(' › '), status: test.status, message: test.failureMessages.join('\n')}))
      : [{title: file.name.replace(`${dir}suite/`, ''), status: 'failed', message: file.message}],
  )
  const records = readdirSync(`${dir}results`).map((file) => JSON.parse(readFileSync(`${dir}results/${file}`, 'utf8')))
  return {ok: result.status === 0 && json.success, cases, records}
}

const started = performance.now()
const tarball = pack()
let passed = 0
let failed = 0
let skipped = 0
for (const alias of chosen.length > 0 ? chosen : DEFAULT_VERSIONS) {
  const packages = VERSIONS[alias]
  const dir = ensureInstalled(alias, packages)
  prepare(dir, tarball)
  for (const platform of PLATFORMS) {
    const {ok, cases, records} = runJest(alias, dir, platform)
    for (const test of cases) {
      const mark = test.status === 'passed' ? 'ok  ' : test.status === 'failed' ? 'FAIL' : 'skip'
      if (mark === 'skip' && platform !== 'ios') continue
      console.log(`${mark} react-native ${packages['react-native']} ${platform} › ${test.title}`)
      if (test.status === 'failed') console.log(test.message.split('\n').slice(0, 12).map((line) => `       ${line}`).join('\n'))
      if (test.status === 'passed') passed++
      else if (test.status === 'failed') failed++
      else skipped++
    }
    if (!ok && cases.every((test) => test.status !== 'failed')) failed++
    if (platform !== 'ios') continue
    const table = formatTable(records, packages)
    if (showTable) console.log(`\n${table}\n`)
    // The docs get the table of the newest React Native, and only from a run where every case passed.
    if (writeTable && alias === Object.keys(VERSIONS)[0] && ok && jestArgs.length === 0) writeTableToDocs(table)
  }
}
rmSync(tarball, {force: true})
console.log(`react-native: ${((performance.now() - started) / 1000).toFixed(1)} s`)
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`)
process.exit(failed > 0 ? 1 : 0)
