// Benchmark 0: the end-to-end and idle benchmarks under every Node version users run (20, 22, 24),
// one row per version. The binaries come from scripts/runtimes.mjs (Node 24 is the project's
// devDependency; 20 and 22 are installed on demand into .runtimes/). Repetitions interleave every
// version and implementation, and each figure is the median of per-repetition ratios, so a busy
// stretch of the machine hits both sides of a ratio.
import {execFileSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'
import {Worker} from './lib/children.mjs'
import {labelOf} from './lib/implementations.mjs'
import {mismatch, num, ratio, spread, table, target} from './lib/report.mjs'
import {summarize} from './lib/stats.mjs'
import {tokenExpectation} from './lib/stream.mjs'

export const name = 'nodes'
export const title = 'Across Node versions: end-to-end and idle (Node 20, 22, 24)'

const RUNTIMES_SCRIPT = fileURLToPath(new URL('../scripts/runtimes.mjs', import.meta.url))
/** The versions measured by default (names as scripts/runtimes.mjs knows them). */
export const VERSIONS = ['node 20', 'node 22', 'node 24']
const E2E = ['kit', 'eventsource', 'fetch-parser']
const IDLE = ['kit', 'eventsource']
// The targets: eventsource 5 itself runs at about two thirds of the floor on Node 20.
const MIN_VS_EVENTSOURCE = {'node 20': 1.2}
const DEFAULT_MIN_VS_EVENTSOURCE = 1.5
const MIN_VS_FLOOR = 0.8

function settings(quick) {
  return quick ? {events: 50_000, reps: 3, idleCount: 1000, idleReps: 1} : {events: 200_000, reps: 9, idleCount: 1000, idleReps: 3}
}

/** Stream sizes the server should build before the run starts. */
export function streamSizes(quick) {
  return [settings(quick).events]
}

/** The node binary of each version, installing the missing ones through scripts/runtimes.mjs. */
function nodeBinaries(versions) {
  const output = execFileSync(process.execPath, [RUNTIMES_SCRIPT, '--bins', ...versions], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 10 * 60_000})
  const bins = JSON.parse(output.trim().split('\n').at(-1))
  return versions.map((version) => {
    if (!bins[version]) throw new Error(`scripts/runtimes.mjs knows no runtime "${version}"`)
    return {version, bin: bins[version]}
  })
}

/** Median (min–max) of ratios, "n/a" when there are none. */
function ratioSpread(values) {
  if (!values.length) return {text: 'n/a', median: NaN}
  const summary = summarize(values)
  return {text: `${ratio(summary.median)} (${ratio(summary.min)}–${ratio(summary.max)})`, median: summary.median}
}

export async function run({quick, serverUrl, log, versions = VERSIONS}) {
  const {events, reps, idleCount, idleReps} = settings(quick)
  const expected = tokenExpectation(events)
  const failures = []
  const nodes = nodeBinaries(versions)
  const exactVersion = new Map(
    nodes.map(({version, bin}) => [version, execFileSync(bin, ['--version'], {encoding: 'utf8', timeout: 30_000}).trim()]),
  )

  // End-to-end: one long-lived worker per version and implementation, warmed up once.
  const e2e = new Map(nodes.map(({version}) => [version, new Map(E2E.map((id) => [id, []]))]))
  const workers = new Map(nodes.map(({version, bin}) => [version, new Map(E2E.map((id) => [id, new Worker(id, [], bin)]))]))
  const stream = (worker) =>
    worker.call({cmd: 'stream', url: `${serverUrl}/stream?n=${events}`, events}, 180_000).catch((error) => ({error}))
  try {
    for (const [version, byId] of workers) {
      for (const [id, worker] of byId) {
        const result = await stream(worker)
        const problem = result.error?.message ?? mismatch(result, expected)
        if (problem) failures.push(`nodes e2e warm-up, ${version} ${labelOf(id)}: ${problem}`)
      }
    }
    for (let rep = 0; rep < reps; rep++) {
      for (const [v, {version}] of nodes.entries()) {
        // Rotate the order each repetition (and per version), so drift does not favour anyone.
        const order = E2E.map((_, i) => E2E[(i + rep + v) % E2E.length])
        const rates = {}
        for (const id of order) {
          const result = await stream(workers.get(version).get(id))
          const problem = result.error?.message ?? mismatch(result, expected)
          if (problem) {
            failures.push(`nodes e2e rep ${rep + 1}, ${version} ${labelOf(id)}: ${problem}`)
            continue
          }
          rates[id] = result
          e2e.get(version).get(id).push(result)
        }
        if (rates.kit) log(`nodes e2e rep ${rep + 1}/${reps} ${version}: ours ${num(events / (rates.kit.ms / 1000))} events/s`)
      }
    }
  } finally {
    await Promise.all([...workers.values()].flatMap((byId) => [...byId.values()].map((worker) => worker.stop())))
  }

  // Idle: a fresh process per implementation, version and repetition.
  const idle = new Map(nodes.map(({version}) => [version, new Map(IDLE.map((id) => [id, []]))]))
  for (let rep = 0; rep < idleReps; rep++) {
    for (const [v, {version, bin}] of nodes.entries()) {
      const order = IDLE.map((_, i) => IDLE[(i + rep + v) % IDLE.length])
      for (const id of order) {
        const worker = new Worker(id, [], bin)
        try {
          const result = await worker.call({cmd: 'idle', url: `${serverUrl}/idle`, count: idleCount}, 120_000)
          idle.get(version).get(id).push(result)
          log(`nodes idle rep ${rep + 1}/${idleReps} ${version} ${labelOf(id)} × ${idleCount}: heap ${num(result.heapPerConnection)} B/conn`)
        } catch (error) {
          failures.push(`nodes idle rep ${rep + 1}, ${version} ${labelOf(id)}: ${error.message}`)
        } finally {
          await worker.stop()
        }
      }
    }
  }

  const targets = []
  const rows = nodes.map(({version}) => {
    const runs = e2e.get(version)
    const paired = (other, key) => {
      const ours = runs.get('kit')
      const theirs = runs.get(other)
      const count = Math.min(ours.length, theirs.length)
      // Repetition i of each ran back to back; a failed run of either drops the pair.
      return Array.from({length: count}, (_, i) => (key === 'ms' ? theirs[i].ms / ours[i].ms : theirs[i].cpuMs / ours[i].cpuMs))
    }
    const vsEventsource = ratioSpread(paired('eventsource', 'ms'))
    const vsFloor = ratioSpread(paired('fetch-parser', 'ms'))
    const cpuVsEventsource = ratioSpread(paired('eventsource', 'cpuMs'))
    const cpuVsFloor = ratioSpread(paired('fetch-parser', 'cpuMs'))
    const heap = (id) => summarize(idle.get(version).get(id).map((r) => r.heapPerConnection))
    const ourHeap = idle.get(version).get('kit').length ? heap('kit') : undefined
    const theirHeap = idle.get(version).get('eventsource').length ? heap('eventsource') : undefined
    const heapRatios = idle
      .get(version)
      .get('kit')
      .map((r, i) => r.heapPerConnection / idle.get(version).get('eventsource')[i]?.heapPerConnection)
      .filter(Number.isFinite)
    const heapRatio = ratioSpread(heapRatios)
    const minVsEventsource = MIN_VS_EVENTSOURCE[version] ?? DEFAULT_MIN_VS_EVENTSOURCE
    targets.push(
      target(`${version}: end-to-end events/s ≥ ${minVsEventsource}× eventsource 5`, vsEventsource.median >= minVsEventsource, `${vsEventsource.text}; by CPU time ${cpuVsEventsource.text}`),
      target(`${version}: end-to-end events/s ≥ ${MIN_VS_FLOOR}× fetch + eventsource-parser`, vsFloor.median >= MIN_VS_FLOOR, `${vsFloor.text}; by CPU time ${cpuVsFloor.text}`),
      target(
        `${version}: idle heap per connection ≤ eventsource 5 (${num(idleCount)} connections)`,
        ourHeap !== undefined && theirHeap !== undefined && heapRatio.median <= 1,
        `${num(ourHeap?.median)} B vs ${num(theirHeap?.median)} B (${heapRatio.text})`,
      ),
    )
    const ourRate = runs.get('kit').length ? summarize(runs.get('kit').map((r) => events / (r.ms / 1000))) : undefined
    return [
      version.replace('node ', ''),
      exactVersion.get(version),
      vsEventsource.text,
      vsFloor.text,
      `${num(ourHeap?.median)} vs ${num(theirHeap?.median)} B (${ratio(heapRatio.median)})`,
      cpuVsEventsource.text,
      cpuVsFloor.text,
      ourRate ? spread(ourRate) : 'failed',
    ]
  })
  const markdown = [
    `Per Node version: ${num(events)} token events per end-to-end run, ${reps} repetitions of ours, eventsource 5 and the ` +
      `fetch + eventsource-parser floor after a warm-up; idle heap with ${num(idleCount)} connections, ${idleReps} ` +
      'fresh processes each. Repetitions interleave every version and implementation (order rotated); each ratio is the ' +
      'median (min–max) of per-repetition ratios (events/s: ours ÷ theirs; heap: ours ÷ theirs, lower is better). ' +
      'The CPU columns compare the client processes\' user+system time instead of wall clock.',
    '',
    table(
      [
        'Node',
        'version',
        'ours ÷ eventsource 5',
        'ours ÷ fetch+parser',
        'heap/conn ours vs eventsource 5',
        'by CPU: ours ÷ eventsource 5',
        'by CPU: ours ÷ fetch+parser',
        'ours events/s',
      ],
      rows,
    ),
  ].join('\n')
  // One row per version on the console too.
  const print = [
    ['Node', 'ours ÷ eventsource 5', 'ours ÷ fetch+parser', 'heap/conn ours vs eventsource 5'],
    ...rows.map((row) => [row[1], row[2], row[3], row[4]]),
  ]
  const widths = print[0].map((_, column) => Math.max(...print.map((row) => row[column].length)))
  return {markdown, targets, failures, print: print.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ')).join('\n')}
}
