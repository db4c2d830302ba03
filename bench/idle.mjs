// Benchmark 3: idle connections. A fresh worker process (run with --expose-gc) per implementation
// and count opens that many connections to /idle at once (the server sends headers and a comment,
// then nothing), and measures the time until every one is open, and heap and RSS after GC.
import {readFileSync} from 'node:fs'
import {Worker} from './lib/children.mjs'
import {labelOf} from './lib/implementations.mjs'
import {num, ratio, spread, table, target} from './lib/report.mjs'
import {summarize} from './lib/stats.mjs'

export const name = 'idle'
export const title = 'Idle connections (Node)'

// The iterator variant holds the same connection as `kit`; the floors show what fetch itself costs.
const IMPLEMENTATIONS = ['kit', 'eventsource', 'fetch-event-source', 'fetch-parser', 'scan-lines']

function settings(quick) {
  return quick ? {counts: [1000, 5000], reps: 1} : {counts: [1000, 5000], reps: 3}
}

/** The soft and hard limits on open files of this process (children inherit them), from /proc. */
export function openFileLimits() {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'))
    const [soft, hard] = line.split(/\s{2,}/).slice(1, 3)
    return {soft: Number(soft) || Infinity, hard: Number(hard) || Infinity}
  } catch {
    return {soft: NaN, hard: NaN}
  }
}

export async function run({quick, serverUrl, log, implementations = IMPLEMENTATIONS}) {
  const {counts, reps} = settings(quick)
  const limits = openFileLimits()
  const failures = []
  const notes = []
  const samples = new Map()
  for (let rep = 0; rep < reps; rep++) {
    for (const count of counts) {
      // Each connection is one descriptor in the client (and one in the server process); leave room for the rest.
      if (count + 200 > limits.soft) {
        notes.push(`${num(count)} connections skipped: the open-file limit (ulimit -n) is ${limits.soft}; raise it to at least ${count + 200}.`)
        continue
      }
      const order = implementations.map((_, i) => implementations[(i + rep) % implementations.length])
      for (const id of order) {
        const worker = new Worker(id)
        try {
          const result = await worker.call({cmd: 'idle', url: `${serverUrl}/idle`, count}, 120_000)
          const key = `${id}/${count}`
          if (!samples.has(key)) samples.set(key, [])
          samples.get(key).push(result)
          log(
            `idle rep ${rep + 1}/${reps} ${labelOf(id)} × ${count}: open in ${num(result.openMs)} ms, ` +
              `heap ${num(result.heapPerConnection)} B/conn, rss ${num(result.rssPerConnection)} B/conn`,
          )
        } catch (error) {
          failures.push(`idle rep ${rep + 1}, ${labelOf(id)} × ${count}: ${error.message}`)
        } finally {
          await worker.stop()
        }
      }
    }
  }
  const summary = (id, count, key) => {
    const runs = samples.get(`${id}/${count}`)
    return runs ? summarize(runs.map((r) => r[key])) : undefined
  }
  const rows = counts.flatMap((count) =>
    implementations.map((id) => {
      const heap = summary(id, count, 'heapPerConnection')
      if (!heap) return [labelOf(id), num(count), 'failed or skipped', '', '', '', '']
      const baseline = summary('eventsource', count, 'heapPerConnection')?.median
      return [
        labelOf(id),
        num(count),
        spread(summary(id, count, 'openMs')),
        spread(heap),
        ratio(heap.median / baseline),
        spread(summary(id, count, 'externalPerConnection')),
        spread(summary(id, count, 'rssPerConnection')),
      ]
    }),
  )
  const targets = counts.map((count) => {
    const ours = summary('kit', count, 'heapPerConnection')?.median
    const peer = summary('eventsource', count, 'heapPerConnection')?.median
    return target(`Idle heap per connection ≤ eventsource 5 (${num(count)} connections)`, ours <= peer, `${num(ours)} B vs ${num(peer)} B (${ratio(ours / peer)})`, {
      value: ours / peer,
      higherIsBetter: false,
    })
  })
  const markdown = [
    `A fresh process per implementation and count opens all connections at once; ${reps} runs each. ` +
      '"open" is the time until every connection fired its open event (response headers received); memory is measured ' +
      'after every connection is open, 500 ms of quiet and three GCs, minus the same before opening, divided by the count ' +
      '(heap = V8 heapUsed, external = external + array buffers, RSS = the whole process).',
    '',
    `Open-file limit here: soft ${limits.soft}, hard ${limits.hard} (each connection takes one descriptor in the client process, one in the server process).`,
    ...notes.map((note) => `\n${note}`),
    '',
    table(['implementation', 'connections', 'time to open all, ms', 'heap B/conn', 'heap vs eventsource 5', 'external B/conn', 'RSS B/conn'], rows),
  ].join('\n')
  return {markdown, targets, failures}
}
