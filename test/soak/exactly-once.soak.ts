import {describe, expect, it} from 'vitest'
import {runScenario} from '../exactly-once/scenario.js'

// [non-spec, reliability] The long version of test/exactly-once/stalls.test.ts: 1,000 silent stalls at
// random bytes, each caught by a 20 ms inactivityTimeout; every event arrives once, in order.

describe('exactly-once delivery with inactivityTimeout, at length', () => {
  it('delivers every event once, in order, through 1,000 stalls at random bytes', async () => {
    const report = await runScenario({events: 3000, fault: 'stall', faults: 1000, inactivityTimeout: 20, timeoutMs: 150_000})
    console.log('exactly-once, 1,000 stalls:', JSON.stringify(report))
    expect(report, `seed ${report.seed}`).toMatchObject({delivered: 3000, lost: 0, duplicated: 0, outOfOrder: 0, corrupted: 0, fatalErrors: 0, unknownLastEventIds: 0})
    expect(report.errors.InactivityTimeoutError).toBeGreaterThanOrEqual(1000)
    for (const place of Object.values(report.cuts)) expect(place).toBeGreaterThan(150)
    expect(report.eventsBeforeLastFault).toBeGreaterThan(400)
  })
})
