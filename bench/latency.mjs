// Benchmark 2: delivery latency. The server sends one probe every 10 ms carrying its
// process.hrtime.bigint() (CLOCK_MONOTONIC, shared by all processes on a Linux host); the client
// subtracts it from its own clock when the `message` event reaches the listener. All implementations
// (one worker process each) are measured over the same stretch of time, each at its own phase within
// the 10 ms period so they never wake together: a stall of the shared machine hits every one of them
// rather than whichever happened to be running then.
import {Worker} from './lib/children.mjs'
import {available, IMPLEMENTATIONS, labelOf} from './lib/implementations.mjs'
import {mismatch, num, ratio, spread, table, target} from './lib/report.mjs'
import {summarize} from './lib/stats.mjs'

export const name = 'latency'
export const title = 'Delivery latency, one event every 10 ms (Node)'

const EVERY_MS = 10

function settings(quick) {
  return quick ? {events: 100, reps: 2} : {events: 500, reps: 5}
}

/** What a client must have seen after `events` probes: only the count and last id are fixed. */
function expectation(events) {
  return {events, lastId: String(events - 1)}
}

export async function run({quick, serverUrl, log, implementations: wanted = IMPLEMENTATIONS.map((i) => i.id)}) {
  const {ids: implementations, notes} = await available(wanted)
  const {events, reps} = settings(quick)
  const failures = []
  const samples = new Map(implementations.map((id) => [id, []]))
  const workers = new Map(implementations.map((id) => [id, new Worker(id)]))
  const timeout = events * EVERY_MS + 30_000
  try {
    // Run 0 is a short warm-up.
    for (let rep = 0; rep <= reps; rep++) {
      const count = rep === 0 ? 50 : events
      const every = rep === 0 ? 1 : EVERY_MS
      const url = `${serverUrl}/latency?n=${count}&every=${every}&group=${name}-${rep}&size=${workers.size}`
      const results = await Promise.all(
        [...workers].map(([id, worker]) =>
          worker
            .call({cmd: 'latency', url, events: count}, timeout)
            .catch((error) => ({error}))
            .then((result) => ({id, result})),
        ),
      )
      for (const {id, result} of results) {
        const problem = result.error?.message ?? mismatch(result, expectation(count), false)
        if (problem) failures.push(`latency ${rep ? `rep ${rep}` : 'warm-up'}, ${labelOf(id)}: ${problem}`)
        else if (rep > 0) samples.get(id).push({...result, rep})
      }
      if (rep > 0) log(`latency rep ${rep}/${reps}: p99 ${results.map(({id, result}) => `${labelOf(id)} ${result.p99 ? num(result.p99 / 1000) : '-'} µs`).join(', ')}`)
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
  // Runs share their stretch of time, so compare within each run: the median of the per-run ratios is
  // not swayed by a run that a stall of the machine hit harder than the others.
  const pairedRatios = (samples.get('kit') ?? []).flatMap((run) => {
    const peer = samples.get('eventsource')?.find((other) => other.rep === run.rep)
    return peer ? [run.p99 / peer.p99] : []
  })
  const paired = pairedRatios.length ? summarize(pairedRatios) : undefined
  const ours = p99.get('kit')?.median
  const markdown = [
    `${events} events per run, one every ${EVERY_MS} ms, ${reps} runs after a warm-up. In each run every implementation, in its own ` +
      `process, has its own connection and gets its probes at its own phase of the ${EVERY_MS} ms period (${Math.floor(EVERY_MS / implementations.length)} ms apart), ` +
      'so all are measured over the same stretch of time without waking together; each probe is stamped just before it is written. ' +
      'Latency is the client\'s `process.hrtime.bigint()` in the listener minus the server\'s when it wrote the event, in µs; ' +
      'each cell is the median over runs of that run\'s percentile (min–max over runs).',
    '',
    table(['implementation', 'p50 µs', 'p90 µs', 'p99 µs', 'max µs', 'p99 vs eventsource 5'], rows),
    ...notes.map((note) => `\n${note}`),
    '',
    'The target compares ours with eventsource 5 run by run (both measured over the same stretch of time) and takes the median ' +
      'of those ratios. On a busy machine p99 and max are set by scheduler stalls that every implementation sees; p50 and p90 ' +
      'show the per-event cost.',
  ].join('\n')
  return {
    markdown,
    targets: [
      target(
        'p99 latency ≤ eventsource 5 (median of per-run ratios)',
        paired?.median <= 1,
        `${ratio(paired?.median)} (runs ${ratio(paired?.min)}–${ratio(paired?.max)}; medians ${num(ours)} µs vs ${num(baseline)} µs)`,
        {value: paired?.median, higherIsBetter: false},
      ),
    ],
    failures,
  }
}
