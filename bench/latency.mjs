// Benchmark 2: delivery latency. The server sends one probe every 10 ms carrying its
// process.hrtime.bigint() (CLOCK_MONOTONIC, shared by all processes on a Linux host); the client
// subtracts it from its own clock when the `message` event reaches the listener.
import {Worker} from './lib/children.mjs'
import {IMPLEMENTATIONS, labelOf} from './lib/implementations.mjs'
import {mismatch, num, ratio, spread, table, target} from './lib/report.mjs'
import {summarize} from './lib/stats.mjs'

export const name = 'latency'
export const title = 'Delivery latency, one event every 10 ms (Node)'

const EVERY_MS = 10

function settings(quick) {
  return quick ? {events: 100, reps: 2} : {events: 400, reps: 3}
}

/** What a client must have seen after `events` probes: only the count and last id are fixed. */
function expectation(events) {
  return {events, lastId: String(events - 1)}
}

export async function run({quick, serverUrl, log, implementations = IMPLEMENTATIONS.map((i) => i.id)}) {
  const {events, reps} = settings(quick)
  const failures = []
  const samples = new Map(implementations.map((id) => [id, []]))
  const workers = new Map(implementations.map((id) => [id, new Worker(id)]))
  const timeout = events * EVERY_MS + 30_000
  try {
    for (const [id, worker] of workers) {
      const warm = await worker.call({cmd: 'latency', url: `${serverUrl}/latency?n=20&every=1`, events: 20}, 30_000).catch((error) => ({error}))
      if (warm.error) failures.push(`latency warm-up, ${labelOf(id)}: ${warm.error.message}`)
    }
    for (let rep = 0; rep < reps; rep++) {
      const order = implementations.map((_, i) => implementations[(i + rep) % implementations.length])
      for (const id of order) {
        const result = await workers
          .get(id)
          .call({cmd: 'latency', url: `${serverUrl}/latency?n=${events}&every=${EVERY_MS}`, events}, timeout)
          .catch((error) => ({error}))
        const problem = result.error?.message ?? mismatch(result, expectation(events), false)
        if (problem) {
          failures.push(`latency rep ${rep + 1}, ${labelOf(id)}: ${problem}`)
          continue
        }
        samples.get(id).push(result)
        log(`latency rep ${rep + 1}/${reps} ${labelOf(id)}: p50 ${num(result.p50 / 1000)} µs, p99 ${num(result.p99 / 1000)} µs`)
      }
    }
  } finally {
    await Promise.all([...workers.values()].map((worker) => worker.stop()))
  }

  const us = (runs, key) => summarize(runs.map((r) => r[key] / 1000))
  const p99 = new Map([...samples].filter(([, runs]) => runs.length).map(([id, runs]) => [id, us(runs, 'p99')]))
  const baseline = p99.get('eventsource')?.median
  const rows = [...samples].map(([id, runs]) =>
    runs.length
      ? [labelOf(id), spread(us(runs, 'p50')), spread(us(runs, 'p90')), spread(us(runs, 'p99')), spread(us(runs, 'max')), ratio(p99.get(id).median / baseline)]
      : [labelOf(id), 'failed', '', '', '', ''],
  )
  const ours = p99.get('plus')?.median
  const markdown = [
    `${events} events per run, one every ${EVERY_MS} ms, ${reps} runs per implementation (order rotated). ` +
      'Latency is the client\'s `process.hrtime.bigint()` in the listener minus the server\'s when it wrote the event, in µs; ' +
      'each cell is the median over runs of that run\'s percentile (min–max over runs).',
    '',
    table(['implementation', 'p50 µs', 'p90 µs', 'p99 µs', 'max µs', 'p99 vs eventsource 5'], rows),
  ].join('\n')
  return {
    markdown,
    targets: [target('p99 latency ≤ eventsource 5', ours <= baseline, `${num(ours)} µs vs ${num(baseline)} µs`)],
    failures,
  }
}
