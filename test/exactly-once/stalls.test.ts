import {describe, expect, it} from 'vitest'
import {runScenario} from './scenario.js'

// [non-spec, reliability] Exactly-once delivery across silent stalls: the replaying server stops
// writing at a random byte (between events, mid-event, mid-line, mid-UTF-8 character) and keeps the
// connection open; `inactivityTimeout` drops the attempt and the source resumes from its last event
// ID. 100 stalls at a 20 ms timeout here; test/soak/exactly-once.soak.ts runs 1,000.

describe('exactly-once delivery with inactivityTimeout', () => {
  it('delivers every event once, in order, through 100 stalls at random bytes', async () => {
    const report = await runScenario({events: 400, fault: 'stall', faults: 100, inactivityTimeout: 20, timeoutMs: 30_000})
    console.log('exactly-once, stalls:', JSON.stringify(report))
    expect(report, `seed ${report.seed}`).toMatchObject({delivered: 400, lost: 0, duplicated: 0, outOfOrder: 0, corrupted: 0, fatalErrors: 0, unknownLastEventIds: 0})
    // At least one timeout per stall (more if the machine is slow enough to starve a healthy stream).
    expect(report.errors.InactivityTimeoutError).toBeGreaterThanOrEqual(100)
    for (const place of Object.values(report.cuts)) expect(place).toBeGreaterThan(5)
    expect(report.eventsBeforeLastFault).toBeGreaterThan(40)
  }, 60_000)
})
