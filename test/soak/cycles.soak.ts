import {afterAll, describe, expect, it} from 'vitest'
import {startServer, type TestServer} from '../helpers.js'
import {lastJsonLine, runChild} from './child-process.js'

// [non-spec, resource hygiene] 10,000 reconnect cycles in one process (after 1,000 to warm up): the
// heap after GC grows by less than 1 MB, no timers, sockets or listeners accumulate, and after close()
// the process holds no resources and exits by itself. The cycles mix every way a connection ends:
// the stream ends (retry: 0), the socket is destroyed mid-event, a 503 retried with Retry-After: 0,
// and every 500th a silent stall that inactivityTimeout (100 ms) drops.

const WARMUP = 1000
const CYCLES = 10_000
const MB = 1024 * 1024

interface Checkpoint {
  cycle: number
  heapUsed: number
  rss: number
  resources: Record<string, number>
  abortListeners: number
  sourceListeners: number
}

interface Report {
  failure?: string
  cycles: number
  messages: number
  errors: Record<string, number>
  durationMs: number
  checkpoints: Checkpoint[]
  baseline: Record<string, number>
  afterClose: Record<string, number>
  readyState: number
}

const servers: TestServer[] = []
afterAll(async () => {
  for (const server of servers) await server.close()
})

describe('10,000 reconnect cycles', () => {
  it('keep the heap flat and leave no timers, sockets or listeners behind', async () => {
    const server = await startServer((_req, res, index) => {
      // Cycle kinds repeat every 4 requests (and stalls every 500), so checkpoints 1,000 cycles
      // apart see the source in the same state.
      if (index % 500 === 250) {
        res.writeHead(200, {'content-type': 'text/event-stream'})
        return void res.write('retry: 0\n: stall\n\n')
      }
      switch (index % 4) {
        case 1:
          res.writeHead(200, {'content-type': 'text/event-stream'})
          return void res.write(`retry: 0\nid: ${index}\ndata: ${index}\n\nid: x\ndata: cut mid-eve`, () => res.destroy())
        case 3:
          res.writeHead(503, {'retry-after': '0', 'content-type': 'text/plain'})
          return void res.end('busy')
        default:
          res.writeHead(200, {'content-type': 'text/event-stream'})
          return void res.end(`retry: 0\nid: ${index}\ndata: ${index}\n\n`)
      }
    })
    servers.push(server)
    const result = await runChild('./fixtures/cycles-child.ts', [server.url, String(CYCLES), String(WARMUP)], {nodeArgs: ['--expose-gc'], timeoutMs: 170_000})
    const report = lastJsonLine<Report>(result)
    const first = report.checkpoints[0] as Checkpoint
    const last = report.checkpoints.at(-1) as Checkpoint
    const heapGrowth = last.heapUsed - first.heapUsed
    console.log(
      `cycles: ${report.cycles} in ${report.durationMs} ms; errors ${JSON.stringify(report.errors)}; heap after GC at cycle ${first.cycle}: ${(first.heapUsed / MB).toFixed(2)} MB, at ${last.cycle}: ${(last.heapUsed / MB).toFixed(2)} MB (growth ${(heapGrowth / 1024).toFixed(1)} KB); heap by 1,000 cycles (MB): ${report.checkpoints.map((c) => (c.heapUsed / MB).toFixed(2)).join(' ')}; RSS ${(last.rss / MB).toFixed(1)} MB; resources ${JSON.stringify(first.resources)} -> ${JSON.stringify(last.resources)}; after close ${JSON.stringify(report.afterClose)} (before the source: ${JSON.stringify(report.baseline)}); child exited ${result.code} after ${result.durationMs} ms`,
    )
    expect(result.timedOut, 'the child exits by itself after close()').toBe(false)
    expect(result.code).toBe(0)
    expect(report.failure).toBeUndefined()
    expect(report.cycles).toBe(WARMUP + CYCLES)
    expect(report.checkpoints).toHaveLength(CYCLES / 1000 + 1)
    expect(report.errors.InactivityTimeoutError).toBeGreaterThanOrEqual((WARMUP + CYCLES) / 500)
    expect(heapGrowth).toBeLessThan(1 * MB)
    for (const checkpoint of report.checkpoints) {
      expect(checkpoint.resources, `resources at cycle ${checkpoint.cycle}`).toEqual(first.resources)
      expect(checkpoint.abortListeners, `listeners on the user's signal at cycle ${checkpoint.cycle}`).toBe(first.abortListeners)
      expect(checkpoint.sourceListeners).toBe(first.sourceListeners)
    }
    expect(report.afterClose, 'what is left after close()').toEqual(report.baseline)
  })
})
