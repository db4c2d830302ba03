// The runtime matrix: runs test/runtimes/smoke.mjs against the built dist/ under Node 20, 22, 24
// and 26, Deno 2 and Bun 1, and the same cases inside workerd (Cloudflare Workers) at two old and
// the newest compatibility dates (test/runtimes/workerd.mjs), and prints one row per runtime.
// `npm run test:runtimes` builds first.
//
//   node scripts/runtimes.mjs [name ...]     e.g. `node scripts/runtimes.mjs deno bun`
//   node scripts/runtimes.mjs --bins [name ...]   install if needed, print {name: binary} as JSON (bench/ uses it)
//
// Node 24 is the project's devDependency. The others are npm packages too, but they cannot be
// devDependencies (the lockfile would then need deno's and bun's packages for every platform, and
// `npm ci` fails where the registry lacks one): they are installed on demand, at the exact versions
// below, into .runtimes/ (git-ignored). A re-run with the right versions in place skips npm. workerd
// is the same case: its binary comes in per-platform optional packages.
import {spawn} from 'node:child_process'
import {performance} from 'node:perf_hooks'
import {existsSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {startSmokeServer} from '../test/runtimes/server.mjs'
import {installPinned, readVersion} from './install-pinned.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const runtimesDir = fileURLToPath(new URL('../.runtimes/', import.meta.url))
const smoke = fileURLToPath(new URL('../test/runtimes/smoke.mjs', import.meta.url))
const workerdRunner = fileURLToPath(new URL('../test/runtimes/workerd.mjs', import.meta.url))

const RUN_TIMEOUT_MS = 60_000
// How long a runtime may take to exit after its last line before it counts as kept alive.
const EXIT_GRACE_MS = 5_000

/** The packages installed into .runtimes/: alias → exact version (update together with the table). */
const PACKAGES = {
  node20: 'npm:node@20.20.2',
  node22: 'npm:node@22.23.3',
  node26: 'npm:node@26.10.0',
  deno: '2.9.6',
  bun: '1.4.5',
  workerd: '1.20261117.1',
}

const inRuntimes = (path) => `${runtimesDir}node_modules/${path}`

/**
 * The matrix: how to start each runtime on a script (test/runtimes/smoke.mjs unless `script` says
 * otherwise; `scriptArgs` follow the server URL). `dir` holds the package.json whose version is
 * pinned; `needs` is the file that must exist once it is installed (`bin` by default).
 */
const RUNTIMES = [
  {name: 'node 20', dir: inRuntimes('node20'), bin: inRuntimes('node20/bin/node'), args: []},
  {name: 'node 22', dir: inRuntimes('node22'), bin: inRuntimes('node22/bin/node'), args: []},
  {name: 'node 24', dir: `${root}node_modules/node`, bin: `${root}node_modules/node/bin/node`, args: []},
  {name: 'node 26', dir: inRuntimes('node26'), bin: inRuntimes('node26/bin/node'), args: []},
  {
    name: 'deno 2',
    dir: inRuntimes('deno'),
    bin: inRuntimes('.bin/deno'),
    // The project's package.json makes Deno resolve the bare `eventsource-parser` import of dist/
    // from node_modules (no download). Network only to the loopback server, reads only the project.
    args: ['run', '--no-lock', '--no-prompt', '--allow-net=127.0.0.1', `--allow-read=${root}`],
  },
  {name: 'bun 1', dir: inRuntimes('bun'), bin: inRuntimes('.bin/bun'), args: []},
  // workerd runs the cases as a Worker, driven by a Node script (test/runtimes/workerd.mjs). Workers
  // keep the compatibility date they were deployed with: the oldest there is (fetch throws
  // synchronously), 2024-01-01 (before 2024-11-11 fetch rejects the `cache` field) and the newest the
  // pinned workerd knows.
  ...['2021-11-03', '2024-01-01', 'latest'].map((date) => ({
    name: `workerd ${date}`,
    dir: inRuntimes('workerd'),
    bin: `${root}node_modules/node/bin/node`,
    needs: inRuntimes('workerd/bin/workerd'),
    args: [],
    script: workerdRunner,
    scriptArgs: [`--compatibility-date=${date}`],
  })),
]

/** Whether .runtimes/ holds every pinned package, at its version, with its binary. */
function isInstalled() {
  return Object.entries(PACKAGES).every(([alias, spec]) => {
    const runtime = RUNTIMES.find((entry) => entry.dir === inRuntimes(alias))
    return readVersion(inRuntimes(alias)) === spec.split('@').at(-1) && runtime !== undefined && existsSync(runtime.needs ?? runtime.bin)
  })
}

function ensureRuntimes() {
  // The packages' install scripts fetch the platform binaries, so they are allowed explicitly.
  installPinned({label: 'runtimes', dir: runtimesDir, packages: PACKAGES, allowScripts: {node: true, deno: true, bun: true, workerd: true}, isInstalled})
}

const isGroupKillable = process.platform !== 'win32'
// The runtime being run, ended with this script on Ctrl+C (its own process group does not get the signal).
let running
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    if (running) killGroup(running)
    process.exit(130)
  })
}

/** Kills a child and, where it leads a process group of its own, everything in that group. */
function killGroup(child) {
  try {
    if (isGroupKillable) process.kill(-child.pid, 'SIGKILL')
    else child.kill('SIGKILL')
  } catch {
    child.kill('SIGKILL')
  }
}

/**
 * Runs the smoke suite under one runtime.
 * @returns {Promise<{version: string, passed: number, total: number, ok: boolean, durationMs: number, output: string, problem?: string}>}
 */
function runSmoke(runtime, serverUrl) {
  return new Promise((resolve) => {
    const started = performance.now()
    const child = spawn(runtime.bin, [...runtime.args, runtime.script ?? smoke, serverUrl, ...(runtime.scriptArgs ?? [])], {
      cwd: root,
      env: {...process.env, DENO_NO_UPDATE_CHECK: '1', DO_NOT_TRACK: '1', NO_COLOR: '1'},
      stdio: ['ignore', 'pipe', 'pipe'],
      // A process group of its own, so that a kill also ends what the runtime started (workerd.mjs starts workerd).
      detached: isGroupKillable,
    })
    running = child
    let output = ''
    let problem
    let lingerTimer
    const kill = (why) => {
      problem ??= why
      killGroup(child)
    }
    const runTimer = setTimeout(() => kill(`no result within ${RUN_TIMEOUT_MS} ms`), RUN_TIMEOUT_MS)
    const onData = (chunk) => {
      output += chunk
      // The summary line is the last thing the suite does: from now on only exiting is left.
      if (lingerTimer === undefined && /^# \d+ passed, \d+ failed$/m.test(output)) {
        lingerTimer = setTimeout(() => kill(`did not exit by itself within ${EXIT_GRACE_MS} ms after its last line`), EXIT_GRACE_MS)
      }
    }
    child.stdout.setEncoding('utf8').on('data', onData)
    child.stderr.setEncoding('utf8').on('data', onData)
    child.on('error', (error) => {
      problem ??= error.message
    })
    child.on('close', (code, signal) => {
      running = undefined
      clearTimeout(runTimer)
      clearTimeout(lingerTimer)
      // `# <runtime> <version>` (workerd adds its compatibility date in parentheses).
      const version = /^# \S+ (\S+(?: \(.*\))?)$/m.exec(output)?.[1] ?? '?'
      const summary = /^# (\d+) passed, (\d+) failed$/m.exec(output)
      const passed = summary ? Number(summary[1]) : 0
      const total = summary ? passed + Number(summary[2]) : 0
      if (!problem && code !== 0) problem = `exit ${code ?? signal}`
      if (!problem && (!summary || total === 0)) problem = 'no summary line'
      resolve({version, passed, total, ok: problem === undefined, durationMs: performance.now() - started, output, problem})
    })
  })
}

function table(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)))
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()).join('\n')
}

if (!process.argv.includes('--bins') && !existsSync(`${root}dist/index.js`)) {
  console.error('runtimes: dist/index.js is missing; run `npm run build` (or `npm run test:runtimes`)')
  process.exit(1)
}
const printBins = process.argv.includes('--bins')
const only = process.argv.slice(2).filter((arg) => arg !== '--bins')
const selected = RUNTIMES.filter((runtime) => only.length === 0 || only.some((name) => runtime.name.startsWith(name)))
if (selected.length === 0) {
  console.error(`runtimes: no runtime matches ${only.join(', ')}; known: ${RUNTIMES.map((runtime) => runtime.name).join(', ')}`)
  process.exit(1)
}
ensureRuntimes()
if (printBins) {
  console.log(JSON.stringify(Object.fromEntries(selected.map((runtime) => [runtime.name, runtime.bin]))))
  process.exit(0)
}

// One Node-hosted server for every runtime: the client under test is the only thing that varies.
const server = await startSmokeServer()
const results = []
try {
  for (const runtime of selected) {
    const result = await runSmoke(runtime, server.url)
    results.push({runtime, ...result})
    if (!result.ok) console.log(`\n${runtime.name} failed (${result.problem}):\n${result.output.trimEnd()}\n`)
  }
} finally {
  await server.close()
}

const rows = [['runtime', 'version', 'result', 'cases', 'duration']]
for (const {runtime, version, ok, passed, total, durationMs, problem} of results) {
  rows.push([runtime.name, version, ok ? 'pass' : `FAIL (${problem})`, `${passed}/${total}`, `${(durationMs / 1000).toFixed(2)} s`])
}
console.log(table(rows))
const failures = results.filter((result) => !result.ok).length
console.log(failures === 0 ? `runtimes: all ${results.length} passed` : `runtimes: ${failures} of ${results.length} failed`)
process.exitCode = failures === 0 ? 0 : 1
