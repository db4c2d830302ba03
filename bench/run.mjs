// Runs the benchmarks and writes bench/RESULTS.md. See bench/README.md.
//
//   node bench/run.mjs                  every benchmark, full size (npm run bench builds dist/ first)
//   node bench/run.mjs --quick          fewer repetitions and events
//   node bench/run.mjs e2e size         only the named benchmarks
//   node bench/run.mjs --out file.md    write somewhere else
//   node bench/run.mjs nodes --node 20,22   the per-Node benchmark on some versions only
//   node bench/run.mjs --runs 3 nodes   run the benchmarks 3 times; the targets quote the weakest run
// Exits 1 when an implementation received other events than expected or a benchmark broke;
// missed targets are reported in RESULTS.md, not failed.
import {writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'
import * as chromium from './chromium.mjs'
import * as e2e from './e2e.mjs'
import * as idle from './idle.mjs'
import * as latency from './latency.mjs'
import * as nodes from './nodes.mjs'
import * as parse from './parse.mjs'
import {startServer} from './lib/children.mjs'
import {isBuilt, snapshotDist} from './lib/dist.mjs'
import {describeMachine} from './lib/machine.mjs'
import {verdict, weakestOf} from './lib/report.mjs'
import * as size from './size.mjs'

const BENCHMARKS = [nodes, e2e, latency, idle, parse, size, chromium]

const {values, positionals} = parseArgs({
  allowPositionals: true,
  options: {
    quick: {type: 'boolean', default: false},
    runs: {type: 'string', default: '1'},
    out: {type: 'string'},
    node: {type: 'string'},
    help: {type: 'boolean', short: 'h'},
  },
})
if (values.help) {
  console.log(`usage: node bench/run.mjs [--quick] [--runs N] [--out file] [--node 20,22,24,26] [${BENCHMARKS.map((b) => b.name).join(' ')}]`)
  process.exit(0)
}
const unknown = positionals.filter((wanted) => !BENCHMARKS.some((b) => b.name === wanted))
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`)
  process.exit(2)
}
const selected = positionals.length ? BENCHMARKS.filter((b) => positionals.includes(b.name)) : BENCHMARKS
const {quick} = values
const runs = Number(values.runs)
if (!Number.isSafeInteger(runs) || runs < 1 || runs > 10) {
  console.error(`--runs takes a whole number from 1 to 10, not ${values.runs}`)
  process.exit(2)
}
// --node 20,22 limits the per-Node benchmark to those versions.
const versions = values.node ? values.node.split(',').map((v) => `node ${v.trim().replace(/^node\s*/, '')}`) : undefined
if (!isBuilt()) {
  console.error('dist/ holds no main entry: run `npm run bench` (it builds first) or `npm run build`.')
  process.exit(2)
}

const startedAt = new Date()
const log = (message) => console.log(`[${((Date.now() - startedAt.getTime()) / 1000).toFixed(1).padStart(6)} s] ${message}`)
// Every child loads this copy of dist/, so a rebuild during the run cannot mix two builds.
const build = snapshotDist()
const sizes = selected.flatMap((b) => b.streamSizes?.(quick) ?? [])
let server
try {
  server = await startServer(sizes)
} catch (error) {
  build.remove()
  throw error
}
log(`server at ${server.url}; build under test: dist/index.js sha256 ${build.hash}`)

const sections = []
const targetRuns = []
const failures = []
const extraMachine = {}
try {
  for (let round = 1; round <= runs; round++) {
    const targets = []
    const suffix = runs > 1 ? ` (run ${round} of ${runs})` : ''
    for (const benchmark of selected) {
      log(`${benchmark.name}${suffix}: ${benchmark.title}`)
      const started = Date.now()
      try {
        const result = await benchmark.run({quick, serverUrl: server.url, server, log, ...(versions ? {versions} : {})})
        if (result.print) console.log(`\n${result.print}\n`)
        sections.push(`## ${benchmark.title}${suffix}\n\n${result.markdown}`)
        targets.push(...result.targets)
        failures.push(...result.failures.map((failure) => `${failure}${suffix}`))
        Object.assign(extraMachine, result.machine)
      } catch (error) {
        failures.push(`${benchmark.name}${suffix}: ${error?.stack ?? error}`)
        sections.push(`## ${benchmark.title}${suffix}\n\nFailed: ${error?.message ?? error}`)
      }
      log(`${benchmark.name}${suffix} done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    }
    targetRuns.push(targets)
  }
} finally {
  server.stop()
  build.remove()
}

// With several runs, each target quotes its weakest run and passes only when every run passed.
const targets = weakestOf(targetRuns)
const targetRows = targets.map((t) => `| ${t.name} | ${t.detail} | ${verdict(t.pass)} |`)
const scope = [
  quick ? 'quick run (fewer repetitions and events)' : 'full run',
  ...(runs > 1 ? [`${runs} runs, targets quote the weakest`] : []),
  positionals.length ? `benchmarks: ${positionals.join(', ')}` : 'all benchmarks',
]
const markdown = [
  '# Benchmark results',
  '',
  `Measured ${startedAt.toISOString().slice(0, 10)} by \`node bench/run.mjs${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}\` (${scope.join(', ')}), ` +
    `in ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s. What each figure means: [README.md](README.md). ` +
    'Absolute figures drift on a shared machine; compare ratios within one run.',
  '',
  describeMachine({...extraMachine, build: build.hash}),
  '',
  '## Targets',
  '',
  '| target | measured | result |',
  '| --- | --- | --- |',
  ...targetRows,
  '',
  ...(failures.length ? ['## Failures', '', ...failures.map((f) => `- ${f.split('\n')[0]}`), ''] : []),
  ...sections.flatMap((section) => [section, '']),
].join('\n')

const out = values.out ?? fileURLToPath(new URL('./RESULTS.md', import.meta.url))
writeFileSync(out, markdown)
log(`wrote ${out}`)
console.log(['', 'Targets:', ...targets.map((t) => `  ${t.pass === null ? 'info' : t.pass ? 'pass' : 'MISS'}  ${t.name}: ${t.detail}`)].join('\n'))
if (failures.length) {
  console.error(['', 'FAILURES:', ...failures.map((f) => `  ${f.split('\n').slice(0, 3).join('\n    ')}`)].join('\n'))
  process.exitCode = 1
}
