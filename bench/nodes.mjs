// Benchmark 0: the end-to-end and idle benchmarks under every Node version users run (20, 22, 24, 26),
// one row per version. The binaries come from scripts/runtimes.mjs (Node 24 is the project's
// devDependency; 20, 22 and 26 are installed on demand into .runtimes/). Repetitions interleave every
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
export const title = 'Across Node versions: end-to-end and idle'

const RUNTIMES_SCRIPT = fileURLToPath(new URL('../scripts/runtimes.mjs', import.meta.url))
/** The versions measured by default (names as scripts/runtimes.mjs knows them). */
export const VERSIONS = ['node 20', 'node 22', 'node 24', 'node 26']
/** The supported lines, held to the targets (issue 22); Node 20 is past its end of life and only reported. */
const TARGETED = ['node 22', 'node 24', 'node 26']
const E2E = ['kit', 'eventsource', 'fetch-parser', 'spec-floor']
const IDLE = ['kit', 'eventsource']
const MIN_VS_SPEC_FLOOR = 1.3
const MIN_VS_EVENTSOURCE = 1.5

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

/**
 * The median of per-repetition ratios, with the weakest and the best repetition ("n/a" when there
 * are none). `text` is "median (weakest–best)"; `detail` spells it out for the targets table.
 */
function ratioSpread(values, higherIsBetter = true) {
  if (!values.length) return {text: 'n/a', detail: 'n/a', median: NaN}
  const {median, min, max} = summarize(values)
  const [weakest, best] = higherIsBetter ? [min, max] : [max, min]
  return {
    text: `${ratio(median)} (${ratio(weakest)}–${ratio(best)})`,
    detail: `median ${ratio(median)}, weakest repetition ${ratio(weakest)}, best ${ratio(best)}`,
    median,
  }
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
    // Repetition i of each ran back to back; a failed run of either drops the pair.
    const paired = (ours, other, key) => {
      const mine = runs.get(ours)
      const theirs = runs.get(other)
      return Array.from({length: Math.min(mine.length, theirs.length)}, (_, i) => theirs[i][key] / mine[i][key])
    }
    const vs = (other, key = 'ms') => ratioSpread(paired('kit', other, key))
    const vsSpec = vs('spec-floor')
    const vsEventsource = vs('eventsource')
    const vsFloor = vs('fetch-parser')
    const specVsFloor = ratioSpread(paired('spec-floor', 'fetch-parser', 'ms'))
    const cpuVsSpec = vs('spec-floor', 'cpuMs')
    const cpuVsEventsource = vs('eventsource', 'cpuMs')
    const cpuVsFloor = vs('fetch-parser', 'cpuMs')
    const heap = (id) => (idle.get(version).get(id).length ? summarize(idle.get(version).get(id).map((r) => r.heapPerConnection)) : undefined)
    const ourHeap = heap('kit')
    const theirHeap = heap('eventsource')
    const heapRatios = idle
      .get(version)
      .get('kit')
      .map((r, i) => r.heapPerConnection / idle.get(version).get('eventsource')[i]?.heapPerConnection)
      .filter(Number.isFinite)
    const heapRatio = ratioSpread(heapRatios, false)
    const targeted = TARGETED.includes(version)
    // Node 20 is past its end of life: its figures are reported, not held to a target.
    const verdict = (met) => (targeted ? met : null)
    const label = targeted ? version : `${version} (not targeted)`
    targets.push(
      target(`${label}: end-to-end events/s ≥ ${MIN_VS_SPEC_FLOOR}× the spec floor`, verdict(vsSpec.median >= MIN_VS_SPEC_FLOOR), `${vsSpec.detail}; by CPU time ${cpuVsSpec.text}`, {value: vsSpec.median}),
      target(`${label}: end-to-end events/s ≥ ${MIN_VS_EVENTSOURCE}× eventsource 5`, verdict(vsEventsource.median >= MIN_VS_EVENTSOURCE), `${vsEventsource.detail}; by CPU time ${cpuVsEventsource.text}`, {
        value: vsEventsource.median,
      }),
      target(
        `${label}: idle heap per connection ≤ eventsource 5 (${num(idleCount)} connections)`,
        verdict(ourHeap !== undefined && theirHeap !== undefined && heapRatio.median <= 1),
        `${num(ourHeap?.median)} B vs ${num(theirHeap?.median)} B, ${heapRatio.detail}`,
        {value: heapRatio.median, higherIsBetter: false},
      ),
    )
    const ourRate = runs.get('kit').length ? summarize(runs.get('kit').map((r) => events / (r.ms / 1000))) : undefined
    return [
      version.replace('node ', ''),
      exactVersion.get(version),
      vsSpec.text,
      vsEventsource.text,
      vsFloor.text,
      specVsFloor.text,
      `${num(ourHeap?.median)} vs ${num(theirHeap?.median)} B (${ratio(heapRatio.median)})`,
      cpuVsSpec.text,
      cpuVsEventsource.text,
      cpuVsFloor.text,
      ourRate ? spread(ourRate) : 'failed',
    ]
  })
  const markdown = [
    `Per Node version: ${num(events)} token events per end-to-end run, ${reps} repetitions of ours, eventsource 5, the ` +
      'fetch + eventsource-parser floor and the spec floor (the same loop plus a `MessageEvent` and a `dispatchEvent()` per ' +
      `event) after a warm-up; idle heap with ${num(idleCount)} connections, ${idleReps} fresh processes each. Repetitions ` +
      'interleave every version and implementation (order rotated); each ratio is the median of per-repetition ratios, ' +
      'then the weakest and the best repetition (events/s: ours ÷ theirs, higher is better; heap: ours ÷ theirs, lower is ' +
      'better). The CPU columns compare the client processes\' user+system time instead of wall clock. Targets hold on ' +
      `${TARGETED.map((v) => v.replace('node ', 'Node ')).join(', ')}; other versions are reported, not targeted.`,
    '',
    table(
      [
        'Node',
        'version',
        'ours ÷ spec floor',
        'ours ÷ eventsource 5',
        'ours ÷ fetch+parser',
        'spec floor ÷ fetch+parser',
        'heap/conn ours vs eventsource 5',
        'by CPU: ours ÷ spec floor',
        'by CPU: ours ÷ eventsource 5',
        'by CPU: ours ÷ fetch+parser',
        'ours events/s',
      ],
      rows,
    ),
  ].join('\n')
  // One row per version on the console too.
  const print = [
    ['Node', 'ours ÷ spec floor', 'ours ÷ eventsource 5', 'ours ÷ fetch+parser', 'spec ÷ fetch+parser', 'heap/conn ours vs eventsource 5'],
    ...rows.map((row) => [row[1], row[2], row[3], row[4], row[5], row[6]]),
  ]
  const widths = print[0].map((_, column) => Math.max(...print.map((row) => row[column].length)))
  return {markdown, targets, failures, print: print.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ')).join('\n')}
}
