// The conformance cases on React Native's own XMLHttpRequest, for eventsource-kit (every case must
// pass) and for react-native-sse (its result is recorded for the table, and checked against what
// react-native-sse 1.2.1 is known to do, so that the table cannot drift from the run).
import {afterEach, describe, expect, test} from '@jest/globals'
import {CASES} from './cases.js'
import {openSource} from './clients.js'
import {KNOWN_SSE_PROBLEMS} from './known-sse.js'
import {record} from './record.js'
import {until} from './server.js'

// Every case bounds its own waits; the long stream may take a minute or two on a busy machine.
const CASE_TIMEOUT_MS = 180_000

afterEach(async () => {
  // Nothing left in flight at the fake native side once a case has closed its source.
  await until(() => globalThis.__fakeNetworkingRequests.size === 0, 'every request to end', 2_000)
})

describe('eventsource-kit', () => {
  for (const [order, {name, right, detail, run}] of CASES.entries())
    test(detail ? `${name} (${detail})` : name, async () => {
      const problems = await run((url, options) => openSource('eventsource-kit', url, options))
      record({order, name, right}, 'eventsource-kit', problems)
      expect(problems).toEqual([])
    }, CASE_TIMEOUT_MS)
})

describe('react-native-sse', () => {
  for (const [order, {name, right, run}] of CASES.entries())
    test(`${name} (recorded; known: ${KNOWN_SSE_PROBLEMS[name]?.length ? 'wrong' : 'right'})`, async () => {
      const problems = await run((url, options) => openSource('react-native-sse', url, options))
      record({order, name, right}, 'react-native-sse', problems)
      expect(problems).toEqual(KNOWN_SSE_PROBLEMS[name] ?? [])
    }, CASE_TIMEOUT_MS)
})
