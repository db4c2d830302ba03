// Benchmark 1: end-to-end over loopback HTTP. The server (a child process) pushes the token stream
// as fast as the socket takes it; each implementation, in its own worker process, is timed from
// construction to the last `message` event.
import {Worker} from './lib/children.mjs'
import {available, IMPLEMENTATIONS, labelOf} from './lib/implementations.mjs'
import {mismatch, num, ratio, spread, table} from './lib/report.mjs'
import {summarize} from './lib/stats.mjs'
import {tokenExpectation} from './lib/stream.mjs'

export const name = 'e2e'
export const title = 'End-to-end over loopback HTTP (Node)'

/** Stream sizes the server should build before the run starts. */
export function streamSizes(quick) {
  const {events, warmup} = settings(quick)
  return [events, warmup]
}

function settings(quick) {
  return quick ? {events: 50_000, warmup: 50_000, reps: 3} : {events: 200_000, warmup: 200_000, reps: 9}
}

export async function run({quick, serverUrl, log, implementations: wanted = IMPLEMENTATIONS.map((i) => i.id)}) {
  const {ids: implementations, notes} = await available(wanted)
  const {events, warmup, reps} = settings(quick)
  const expected = tokenExpectation(events)
  const failures = []
  const samples = new Map(implementations.map((id) => [id, []]))
  const workers = new Map(implementations.map((id) => [id, new Worker(id)]))
  try {
    for (const [id, worker] of workers) {
      // One short stream first, so every implementation is measured with its code already compiled.
      const result = await worker.call({cmd: 'stream', url: `${serverUrl}/stream?n=${warmup}`, events: warmup}, 60_000).catch((error) => ({error}))
      const problem = result.error?.message ?? mismatch(result, tokenExpectation(warmup))
      if (problem) failures.push(`e2e warm-up, ${labelOf(id)}: ${problem}`)
    }
    for (let rep = 0; rep < reps; rep++) {
      // Rotate the order each repetition, so slow drift on a shared machine does not favour anyone.
      const order = implementations.map((_, i) => implementations[(i + rep) % implementations.length])
      for (const id of order) {
        const result = await workers
          .get(id)
          .call({cmd: 'stream', url: `${serverUrl}/stream?n=${events}`, events}, 180_000)
          .catch((error) => ({error}))
        const problem = result.error?.message ?? mismatch(result, expected)
        if (problem) {
          failures.push(`e2e rep ${rep + 1}, ${labelOf(id)}: ${problem}`)
          continue
        }
        samples.get(id).push(result)
        log(`e2e rep ${rep + 1}/${reps} ${labelOf(id)}: ${num(events / (result.ms / 1000))} events/s`)
      }
    }
  } finally {
    await Promise.all([...workers.values()].map((worker) => worker.stop()))
  }

  const rates = new Map()
  for (const [id, runs] of samples) if (runs.length) rates.set(id, summarize(runs.map((r) => events / (r.ms / 1000))))
  const baseline = rates.get('eventsource')?.median
  const floor = rates.get('fetch-parser')?.median
  const specFloor = rates.get('spec-floor')?.median
  const rows = [...samples].map(([id, runs]) => {
    const rate = rates.get(id)
    if (!rate) return [labelOf(id), 'failed', '', '', '', '', '']
    return [
      labelOf(id),
      spread(rate),
      spread(summarize(runs.map((r) => r.ms))),
      num(summarize(runs.map((r) => r.cpuMs)).median),
      ratio(rate.median / specFloor),
      ratio(rate.median / baseline),
      ratio(rate.median / floor),
    ]
  })
  const markdown = [
    `${num(events)} token events (${num(expected.dataChars)} data characters, ids 0–${expected.lastId}) per run, ` +
      `${reps} runs per implementation after one ${num(warmup)}-event warm-up, order rotated each run. ` +
      'Time is from construction to the last `message` event; CPU is the client process\'s user+system time. ' +
      'Ratios are of median events/s.',
    '',
    table(['implementation', 'events/s median (min–max)', 'ms median (min–max)', 'client CPU ms', 'vs spec floor', 'vs eventsource 5', 'vs fetch+parser'], rows),
    ...notes.map((note) => `\n${note}`),
  ].join('\n')
  // The speed targets are held per Node version by nodes.mjs; this table puts every implementation side by side.
  return {markdown, targets: [], failures}
}
