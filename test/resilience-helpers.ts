import {afterEach, expect, vi} from 'vitest'
import {EventSource, type EventSourceError, type EventSourceInit} from '../src/index.js'
import {type Fault, type FaultServer, startFaultServer} from './fault-server.js'
import {streamResponse} from './helpers.js'

// Shared by the resilience tests ([non-spec] extensions): backoff, maxRetries, retryOnStatus,
// shouldReconnect, inactivityTimeout and maxEventSize. Timing runs on a fake clock with a custom
// fetch; the network behaviours run against the loopback fault server. Importing this module
// registers the cleanup hook in the importing test file.

export const FAKE_URL = 'http://127.0.0.1:9/stream'
const cleanups: Array<() => unknown> = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  vi.useRealTimers()
  vi.restoreAllMocks()
})

export function source(init: EventSourceInit, url = FAKE_URL): EventSource {
  const created = new EventSource(url, init)
  cleanups.push(() => created.close())
  return created
}

export async function faultServer(...script: Fault[]): Promise<FaultServer> {
  const server = await startFaultServer(script)
  cleanups.push(() => server.close())
  return server
}

export interface SeenError {
  error: EventSourceError | undefined
  willReconnect: boolean
  reconnectDelay: number | null
  readyState: number
}

export function errorsOf(target: EventSource): SeenError[] {
  const seen: SeenError[] = []
  target.addEventListener('error', ({error, willReconnect, reconnectDelay}) => seen.push({error, willReconnect, reconnectDelay, readyState: target.readyState}))
  return seen
}

export const delaysOf = (seen: SeenError[]) => seen.map((event) => event.reconnectDelay)

export const failing = () => Promise.reject(new TypeError('fetch failed'))
/** A stream that opens and ends at once. */
export const ended = () => streamResponse([])
/** A stream that opens and stays open: the end of a script, so the loop comes to rest. */
export const staysOpen = () => new Response(new ReadableStream<Uint8Array>({}), {headers: {'content-type': 'text/event-stream'}})
export const status = (code: number, headers: Record<string, string> = {}) => () => new Response(null, {status: code, headers})

/** Lets pending promise jobs run without moving the fake clock. */
export const settle = () => vi.advanceTimersByTimeAsync(0)

/**
 * Asserts that the next request goes out exactly `ms` after now. A wait of 0 is a `setTimeout(…, 0)`,
 * which Node (and the fake clock, for timers set while it runs) fires after 1 ms.
 */
export async function expectNextAttemptAfter(calls: readonly unknown[], ms: number): Promise<void> {
  const before = calls.length
  if (ms > 1) {
    await vi.advanceTimersByTimeAsync(ms - 1)
    expect(calls, `no request ${ms - 1} ms into a ${ms} ms wait`).toHaveLength(before)
  }
  await vi.advanceTimersByTimeAsync(1)
  expect(calls, `a request after ${ms} ms`).toHaveLength(before + 1)
}
