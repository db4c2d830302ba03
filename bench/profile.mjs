// Where the time goes: runs one implementation with the V8 CPU profiler on (the profile `node
// --cpu-prof` writes, but only around the measured runs, after one warm-up run) and prints the
// functions with the most self time, and the same grouped by where the code lives.
//
//   node bench/profile.mjs [implementation] [--parse corpus/chunking] [--runs 3] [--events 200000] [--top 25]
//     implementation: kit (default), kit-iterate, eventsource, fetch-event-source, fetch-parser, spec-floor, scan-lines
//     default: the end-to-end token stream over loopback HTTP; --parse small/1–1024 B: the in-process parse path
// The .cpuprofile is kept (path printed) for Chrome DevTools or speedscope.
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'
import {startServer, Worker} from './lib/children.mjs'
import {buildCorpus} from './lib/corpora.mjs'
import {summarizeProfile} from './lib/cpuprofile.mjs'
import {mismatch} from './lib/report.mjs'
import {tokenExpectation} from './lib/stream.mjs'

const {values, positionals} = parseArgs({
  allowPositionals: true,
  options: {parse: {type: 'string'}, runs: {type: 'string', default: '3'}, events: {type: 'string', default: '200000'}, top: {type: 'string', default: '25'}},
})
const implementation = positionals[0] ?? 'kit'
const runs = Number(values.runs)
const events = Number(values.events)
const dir = mkdtempSync(join(tmpdir(), 'esp-bench-profile-'))

const server = await startServer(values.parse ? [] : [events])
const worker = new Worker(implementation)
const file = join(dir, `${implementation}.cpuprofile`)
try {
  // Run 0 is the warm-up, outside the profile.
  for (let run = 0; run <= runs; run++) {
    if (run === 1) await worker.call({cmd: 'profile', action: 'start'}, 10_000)
    if (values.parse) {
      const [corpus, chunking] = values.parse.split('/')
      const spec = {name: corpus, bytes: chunking === '1 B' ? 128 << 10 : 4 << 20}
      const result = await worker.call({cmd: 'parse', corpus: spec, chunking, seed: 0x5eed}, 300_000)
      const problem = mismatch(result, buildCorpus(spec, chunking, 0x5eed).expected, corpus !== 'multiline')
      console.log(`${run ? `run ${run}` : 'warm-up'}: ${(result.bytes / 1e6 / (result.ms / 1000)).toFixed(1)} MB/s${problem ? `  MISMATCH: ${problem}` : ''}`)
    } else {
      const result = await worker.call({cmd: 'stream', url: `${server.url}/stream?n=${events}`, events}, 300_000)
      const problem = mismatch(result, tokenExpectation(events))
      console.log(`${run ? `run ${run}` : 'warm-up'}: ${Math.round(events / (result.ms / 1000))} events/s${problem ? `  MISMATCH: ${problem}` : ''}`)
    }
  }
  await worker.call({cmd: 'profile', action: 'stop', file}, 60_000)
} finally {
  await worker.stop()
  server.stop()
}
console.log(`\nprofile: ${file}\n`)
console.log(summarizeProfile(file, Number(values.top)))
