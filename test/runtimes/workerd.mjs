// Runs the smoke suite inside workerd, the runtime of Cloudflare Workers, at one compatibility date.
// A Node script (scripts/runtimes.mjs starts it with the project's Node 24):
//
//   node test/runtimes/workerd.mjs [server base URL] [--compatibility-date=YYYY-MM-DD|latest]
//
// 1. test/runtimes/worker.mjs (the cases of test/runtimes/cases.mjs over the built dist/) is bundled
//    with rolldown, as wrangler bundles a Worker with esbuild: one ES module plus the chunk of the
//    polyfill's dynamic import.
// 2. A workerd config gives the Worker the compatibility date and an outbound network that may reach
//    loopback addresses only (workerd's default "internet" service allows public addresses only).
// 3. workerd listens on 127.0.0.1, port 0, and reports the port on a control file descriptor; one
//    request to the Worker runs the suite, whose answer is the lines other runtimes print.
//
// workerd is the `workerd` npm package (its binary comes in a per-platform optional package), which
// scripts/runtimes.mjs installs on demand into .runtimes/. `latest` is the newest date it supports.
/* global fetch, AbortSignal */
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'
import {rolldown} from 'rolldown'

const WORKER = fileURLToPath(new URL('./worker.mjs', import.meta.url))
const RUNTIMES_DIR = fileURLToPath(new URL('../../.runtimes/', import.meta.url))
const LISTEN_TIMEOUT_MS = 20_000
const SUITE_TIMEOUT_MS = 50_000
// Dates are the only thing in the config that comes from the command line: keep them plain.
const DATE = /^\d{4}-\d{2}-\d{2}$/

const {values, positionals} = parseArgs({options: {'compatibility-date': {type: 'string', default: 'latest'}}, allowPositionals: true})

/** The workerd package installed in .runtimes/: its binary, version and newest compatibility date. */
function loadWorkerd() {
  try {
    const workerd = createRequire(join(RUNTIMES_DIR, 'package.json'))('workerd')
    return {bin: workerd.default, version: workerd.version, latestDate: workerd.compatibilityDate}
  } catch (error) {
    console.error(`workerd: not installed in .runtimes/ (run \`node scripts/runtimes.mjs workerd\` to install it): ${error.message}`)
    process.exit(1)
  }
}

/** Bundles the Worker into `dir`; returns the module file names, the main module first. */
async function bundleWorker(dir) {
  // The conditions wrangler resolves with, for packages that ship a Workers build.
  const bundle = await rolldown({input: WORKER, platform: 'browser', logLevel: 'silent', resolve: {conditionNames: ['workerd', 'worker', 'browser', 'import', 'default']}})
  try {
    const {output} = await bundle.write({dir, format: 'es', entryFileNames: 'worker.js', chunkFileNames: '[name]-[hash].js'})
    const chunks = output.filter((item) => item.type === 'chunk')
    return [...chunks.filter((chunk) => chunk.isEntry), ...chunks.filter((chunk) => !chunk.isEntry)].map((chunk) => chunk.fileName)
  } finally {
    await bundle.close()
  }
}

/** The workerd config: the Worker at `date`, its fetch allowed to reach loopback addresses only. */
function config(modules, date) {
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .smokeWorker),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);

const smokeWorker :Workerd.Worker = (
  modules = [
${modules.map((file) => `    (name = "${file}", esModule = embed "${file}"),`).join('\n')}
  ],
  compatibilityDate = "${date}",
  globalOutbound = "loopback",
);
`
}

/** Starts workerd on the config in `dir`; resolves with the child and the port it listens on. */
function startWorkerd(bin, dir) {
  return new Promise((resolve, reject) => {
    // fd 3 is the control channel: workerd writes {"event":"listen","socket":"http","port":N}.
    const child = spawn(bin, ['serve', 'config.capnp', '--control-fd=3'], {cwd: dir, stdio: ['ignore', 'inherit', 'inherit', 'pipe']})
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`workerd did not listen within ${LISTEN_TIMEOUT_MS} ms`))
    }, LISTEN_TIMEOUT_MS)
    let control = ''
    child.stdio[3].setEncoding('utf8').on('data', (chunk) => {
      control += chunk
      for (const line of control.split('\n').slice(0, -1)) {
        const message = JSON.parse(line)
        if (message.event === 'listen' && message.socket === 'http') {
          clearTimeout(timer)
          resolve({child, port: message.port})
        }
      }
    })
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`workerd exited before listening (${code ?? signal})`))
    })
  })
}

function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', resolve)
    child.kill('SIGTERM')
  })
}

const workerd = loadWorkerd()
const date = values['compatibility-date'] === 'latest' ? workerd.latestDate : values['compatibility-date']
if (!DATE.test(date)) {
  console.error(`workerd: --compatibility-date must be YYYY-MM-DD or latest, got ${JSON.stringify(date)}`)
  process.exit(1)
}

let server
let base = positionals[0]
if (!base) {
  const {startSmokeServer} = await import('./server.mjs')
  server = await startSmokeServer()
  base = server.url
}
const dir = mkdtempSync(join(tmpdir(), 'eventsource-kit-workerd-'))
let child
let isPassed = false
try {
  const modules = await bundleWorker(dir)
  writeFileSync(join(dir, 'config.capnp'), config(modules, date))
  const started = await startWorkerd(workerd.bin, dir)
  child = started.child
  console.log(`# workerd ${workerd.version} (compatibility date ${date})`)
  const response = await fetch(`http://127.0.0.1:${started.port}/?base=${encodeURIComponent(base)}`, {signal: AbortSignal.timeout(SUITE_TIMEOUT_MS)})
  const text = await response.text()
  process.stdout.write(text)
  isPassed = response.status === 200 && /^# \d+ passed, 0 failed$/m.test(text)
} catch (error) {
  console.log(`not ok - workerd: ${error?.stack ?? error}`)
} finally {
  if (child) await stop(child)
  await server?.close()
  rmSync(dir, {recursive: true, force: true})
}
process.exitCode = isPassed ? 0 : 1
