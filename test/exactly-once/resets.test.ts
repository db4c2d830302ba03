import {describe, expect, it} from 'vitest'
import {runScenario} from './scenario.js'

// [non-spec, reliability] Exactly-once delivery across connection resets: the replaying server
// destroys the socket 1,000 times at random bytes (between events, mid-event, mid-line between CR
// and LF included, mid-UTF-8 character), with `retry: 1`. Every event arrives once, in order,
// because the last event ID only moves when an event is complete ([spec] "dispatch the event").

describe('exactly-once delivery', () => {
  it('delivers every event once, in order, through 1,000 resets at random bytes', async () => {
    const report = await runScenario({events: 3000, fault: 'reset', faults: 1000, timeoutMs: 60_000})
    console.log('exactly-once, resets:', JSON.stringify(report))
    expect(report, `seed ${report.seed}`).toMatchObject({delivered: 3000, lost: 0, duplicated: 0, outOfOrder: 0, corrupted: 0, fatalErrors: 0, unknownLastEventIds: 0})
    // Every fault was one reconnection, and cuts landed in every kind of place.
    expect(report.responses).toBe(1001)
    for (const place of Object.values(report.cuts)) expect(place).toBeGreaterThan(150)
    // The bytes before each cut reached the parser: about 1.1 events per faulty connection on average.
    expect(report.eventsBeforeLastFault).toBeGreaterThan(400)
  }, 90_000)
})
