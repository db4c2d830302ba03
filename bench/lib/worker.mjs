// One implementation in its own process (forked by children.mjs with --expose-gc): runs the
// commands the parent sends over IPC and answers each with {id, ok, result | error}.
import {performance} from 'node:perf_hooks'
import {setImmediate} from 'node:timers'
import {buildCorpus, responseFetch} from './corpora.mjs'
import {loadImplementation} from './implementations.mjs'
import {percentile} from './stats.mjs'

const implementationId = process.argv[2]
const open = await loadImplementation(implementationId)

/**
 * Opens one connection and collects events until `events` arrived (then closes it).
 * @returns {Promise<{ms: number, cpuMs: number, events: number, lastId: string, dataChars: number, latenciesNs?: number[]}>}
 */
function receive(url, events, {fetch, onMessage} = {}) {
  return new Promise((resolve, reject) => {
    let count = 0
    let dataChars = 0
    let lastId = ''
    let handle
    const cpuStart = process.cpuUsage()
    const start = performance.now()
    handle = open(url, {
      fetch,
      onMessage(data, id) {
        count++
        dataChars += data.length
        lastId = id
        onMessage?.(data)
        if (count === events) {
          const ms = performance.now() - start
          const cpu = process.cpuUsage(cpuStart)
          handle.close()
          resolve({ms, cpuMs: (cpu.user + cpu.system) / 1000, events: count, lastId, dataChars})
        }
      },
      onError(error) {
        handle?.close()
        reject(new Error(`after ${count} events: ${error?.message ?? error}`))
      },
    })
  })
}

const commands = {
  /** End-to-end: the token stream from the server. */
  stream: ({url, events}) => receive(url, events),

  /** Delivery latency: now minus the server's monotonic timestamp, per event. */
  async latency({url, events}) {
    const latencies = []
    const result = await receive(url, events, {
      onMessage(data) {
        const now = process.hrtime.bigint()
        latencies.push(Number(now - BigInt(JSON.parse(data).t)))
      },
    })
    latencies.sort((a, b) => a - b)
    return {...result, p50: percentile(latencies, 50), p90: percentile(latencies, 90), p99: percentile(latencies, 99), max: latencies.at(-1)}
  },

  /** Parse path: pre-made chunks served by a custom fetch, no network. */
  async parse({corpus, chunking, seed}) {
    const {chunks, bytes, expected} = buildCorpus(corpus, chunking, seed)
    const result = await receive('http://127.0.0.1/parse', expected.events, {fetch: responseFetch(chunks)})
    return {...result, bytes, chunks: chunks.length}
  },

  /** Idle connections: open `count` at once, then heap and RSS after GC, per connection. */
  async idle({url, count}) {
    await settleHeap()
    const before = process.memoryUsage()
    const handles = []
    const start = performance.now()
    let failure
    await new Promise((resolve, reject) => {
      let opened = 0
      for (let i = 0; i < count; i++) {
        handles.push(
          open(url, {
            onOpen: () => ++opened === count && resolve(),
            onMessage() {},
            onError: (error) => {
              failure ??= error
              reject(new Error(`connection ${i} failed after ${opened} opened: ${error?.message ?? error}`))
            },
          }),
        )
      }
    })
    const openMs = performance.now() - start
    // Let the first bytes (a comment) be read and any per-open work finish before measuring.
    await new Promise((resolve) => setTimeout(resolve, 500))
    await settleHeap()
    const after = process.memoryUsage()
    for (const handle of handles) handle.close()
    if (failure) throw failure
    return {
      count,
      openMs,
      heapPerConnection: (after.heapUsed - before.heapUsed) / count,
      externalPerConnection: (after.external + after.arrayBuffers - before.external - before.arrayBuffers) / count,
      rssPerConnection: (after.rss - before.rss) / count,
    }
  },
}

// `node --cpu-prof` would include start-up and the warm-up; this profiles just the runs in between.
let profiler
const profiling = {
  async start() {
    const {Session} = await import('node:inspector/promises')
    profiler = new Session()
    profiler.connect()
    await profiler.post('Profiler.enable')
    await profiler.post('Profiler.setSamplingInterval', {interval: 100})
    await profiler.post('Profiler.start')
    return {}
  },
  async stop({file}) {
    const {profile} = await profiler.post('Profiler.stop')
    profiler.disconnect()
    const {writeFileSync} = await import('node:fs')
    writeFileSync(file, JSON.stringify(profile))
    return {file}
  },
}
commands.profile = ({action, file}) => profiling[action]({file})

async function settleHeap() {
  for (let i = 0; i < 3; i++) {
    globalThis.gc()
    await new Promise((resolve) => setImmediate(resolve))
  }
}

process.on('message', async ({id, cmd, ...args}) => {
  try {
    const command = commands[cmd]
    if (!command) throw new Error(`unknown command ${cmd}`)
    process.send({id, ok: true, result: await command(args)})
  } catch (error) {
    process.send({id, ok: false, error: error?.message ?? String(error)})
  }
})
process.on('disconnect', () => process.exit(0))
