// Benchmark 4: the parse path in-process, no network. Each implementation gets a custom `fetch`
// answering with a Response whose body streams pre-made Uint8Array chunks of one corpus; timed from
// construction to the last event. The floors read the same Response body directly.
import {Worker} from './lib/children.mjs'
import {buildCorpus, CHUNKINGS, CORPORA} from './lib/corpora.mjs'
import {IMPLEMENTATIONS, labelOf} from './lib/implementations.mjs'
import {mismatch, num, ratio, spread, table} from './lib/report.mjs'
import {summarize} from './lib/stats.mjs'

export const name = 'parse'
export const title = 'Parse path in-process (Node, no network)'

const IDS = ['kit', 'eventsource', 'fetch-event-source', 'fetch-parser', 'spec-floor', 'scan-lines']
const SEED = 0x5eed

function settings(quick) {
  // 1-byte chunks cost one stream read each, so that corpus is smaller.
  return quick
    ? {bytes: {'64 KiB': 1 << 20, '1–1024 B': 1 << 20, '1 B': 32 << 10}, warmBytes: 64 << 10, reps: 2}
    : {bytes: {'64 KiB': 4 << 20, '1–1024 B': 4 << 20, '1 B': 128 << 10}, warmBytes: 256 << 10, reps: 5}
}

export async function run({quick, log, implementations = IDS}) {
  const {bytes, warmBytes, reps} = settings(quick)
  const failures = []
  const cases = Object.keys(CORPORA).flatMap((corpus) => Object.keys(CHUNKINGS).map((chunking) => ({corpus: {name: corpus, bytes: bytes[chunking]}, chunking})))
  const samples = new Map()
  const workers = new Map(implementations.map((id) => [id, new Worker(id)]))
  const call = (id, corpus, chunking) => workers.get(id).call({cmd: 'parse', corpus, chunking, seed: SEED}, 300_000)
  try {
    // Warm-up: every corpus once, so no implementation is measured while its code is still compiling.
    for (const id of implementations) {
      for (const corpusName of Object.keys(CORPORA)) {
        await call(id, {name: corpusName, bytes: warmBytes}, '1–1024 B').catch((error) => failures.push(`parse warm-up, ${labelOf(id)}: ${error.message}`))
      }
    }
    for (let rep = 0; rep < reps; rep++) {
      for (const {corpus, chunking} of cases) {
        const {expected} = buildCorpus(corpus, chunking, SEED)
        const order = implementations.map((_, i) => implementations[(i + rep) % implementations.length])
        for (const id of order) {
          const key = `${corpus.name}/${chunking}/${id}`
          const result = await call(id, corpus, chunking).catch((error) => ({error}))
          const checkData = IMPLEMENTATIONS.find((i) => i.id === id).parses || corpus.name !== 'multiline'
          const problem = result.error?.message ?? mismatch(result, expected, checkData)
          if (problem) {
            failures.push(`parse rep ${rep + 1}, ${corpus.name} in ${chunking} chunks, ${labelOf(id)}: ${problem}`)
            continue
          }
          if (!samples.has(key)) samples.set(key, [])
          samples.get(key).push(result)
        }
      }
      log(`parse rep ${rep + 1}/${reps} done`)
    }
  } finally {
    await Promise.all([...workers.values()].map((worker) => worker.stop()))
  }

  const rate = (key, metric) => {
    const runs = samples.get(key)
    if (!runs) return undefined
    return summarize(runs.map((r) => (metric === 'MB/s' ? r.bytes / 1e6 : r.events) / (r.ms / 1000)))
  }
  const tableFor = (metric, digits) =>
    table(
      ['corpus', 'chunks', ...implementations.map(labelOf), 'ours vs spec floor', 'ours vs eventsource 5', 'ours vs fetch+parser'],
      cases.map(({corpus, chunking}) => {
        const cells = implementations.map((id) => rate(`${corpus.name}/${chunking}/${id}`, metric))
        const ours = rate(`${corpus.name}/${chunking}/kit`, metric)?.median
        const peer = rate(`${corpus.name}/${chunking}/eventsource`, metric)?.median
        const floor = rate(`${corpus.name}/${chunking}/fetch-parser`, metric)?.median
        const specFloor = rate(`${corpus.name}/${chunking}/spec-floor`, metric)?.median
        return [corpus.name, chunking, ...cells.map((cell) => (cell ? spread(cell, digits) : 'failed')), ratio(ours / specFloor), ratio(ours / peer), ratio(ours / floor)]
      }),
    )
  const corpusLine = Object.keys(CORPORA)
    .map((corpus) => {
      const {expected, bytes: size} = buildCorpus({name: corpus, bytes: bytes['64 KiB']}, '64 KiB', SEED)
      return `${corpus} ${num(expected.events)} events in ${num(size / 2 ** 20, 1)} MiB`
    })
    .join(', ')
  const markdown = [
    `Corpora (all events have ids): small = LLM-token-like JSON events of about 95 bytes; large = one 8 KiB data line per event; ` +
      `multiline = a comment and eight data lines per event; crlf = small with CRLF line ends. ` +
      `Sizes for 64 KiB and 1–1024 B chunks: ${corpusLine}; for 1 B chunks ${num(bytes['1 B'] / 1024)} KiB of each. ` +
      `Random chunk sizes come from a seeded generator (the same cuts for everyone). ${reps} runs per cell after a warm-up; ` +
      'the line-scanning floor is checked for count and last id only where data spans several lines.',
    '',
    '### MB/s (median, min–max)',
    '',
    tableFor('MB/s', 1),
    '',
    '### events/s (median, min–max)',
    '',
    tableFor('events/s', 0),
  ].join('\n')
  // No target is set for the parse path in isolation; the ratio columns show where ours stands.
  return {markdown, targets: [], failures}
}
