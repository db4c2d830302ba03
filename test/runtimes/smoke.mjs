// Runtime-agnostic smoke suite for the BUILT package (dist/), run by scripts/runtimes.mjs under every
// runtime users have (Node 20/22/24/26, Deno 2, Bun 1; workerd runs the same cases through
// test/runtimes/workerd.mjs). The cases (test/runtimes/cases.mjs) use only web APIs; node:process
// and node:timers serve this harness (argv, exit code, an unref'd watchdog) and exist in all three.
//
//   <runtime> test/runtimes/smoke.mjs [server base URL]
//
// Without a URL it starts test/runtimes/server.mjs in-process (node:http) and stops it at the end.
// One line per case; exit code 1 on any failure. On success the script does NOT call process.exit:
// it ends when nothing is left to do, which proves close() left no timer, socket or read behind
// (scripts/runtimes.mjs fails a runtime whose process lingers after the last line).
import process from 'node:process'
import {setTimeout as unrefTimer} from 'node:timers'
import {cases, runSmokeCases} from './cases.mjs'
import {serve} from './serve.mjs'

const GLOBAL_TIMEOUT_MS = 45_000

const runtime = globalThis.Deno ? `deno ${globalThis.Deno.version.deno}` : globalThis.Bun ? `bun ${globalThis.Bun.version}` : `node ${process.versions.node}`

const watchdog = unrefTimer(() => {
  console.log(`not ok - global timeout: the suite took longer than ${GLOBAL_TIMEOUT_MS} ms`)
  process.exit(1)
}, GLOBAL_TIMEOUT_MS)

let server
let base = process.argv[2]
if (!base) {
  const {startSmokeServer} = await import('./server.mjs')
  server = await startSmokeServer()
  base = server.url
}

console.log(`# ${runtime}`)
const failed = await runSmokeCases(base, {log: (line) => console.log(line), setTimer: unrefTimer, serve})
await server?.close()
clearTimeout(watchdog)
console.log(`# ${Object.keys(cases).length - failed} passed, ${failed} failed`)
if (failed > 0) process.exit(1)
