import {EventSource} from '../../src/index.js'
import {until} from '../helpers.js'
import {type CutPlace, eventLog} from './event-log.js'
import {type DeliveryCounts, DeliveryLedger} from './ledger.js'
import {type FaultKind, startReplayServer} from './replay-server.js'

// One exactly-once run: a replaying server breaks `faults` responses at random bytes, an EventSource
// reads the whole log through them, and a ledger counts what arrived.

export interface ScenarioOptions {
  /** Events in the log. */
  readonly events: number
  readonly fault: FaultKind
  readonly faults: number
  /** The client's inactivityTimeout in ms (needed for stalls). */
  readonly inactivityTimeout?: number
  /** The server's `retry:` in ms. */
  readonly retryMs?: number
  /** How long the whole run may take before the test gives up, in ms. */
  readonly timeoutMs: number
  readonly seed?: number
}

export interface ScenarioReport extends DeliveryCounts {
  readonly seed: number
  readonly faults: number
  readonly cuts: Record<CutPlace, number>
  /** Error events by error class ("ended" when the stream simply ended). */
  readonly errors: Record<string, number>
  /** Error events after which the source did not reconnect. */
  readonly fatalErrors: number
  readonly responses: number
  /** Events delivered through the faulty connections (the rest came after the last fault). */
  readonly eventsBeforeLastFault: number
  readonly unknownLastEventIds: number
  readonly durationMs: number
}

export async function runScenario({events, fault, faults, inactivityTimeout = 0, retryMs = 1, timeoutMs, seed = Math.floor(Math.random() * 2 ** 31)}: ScenarioOptions): Promise<ScenarioReport> {
  const log = eventLog(events, seed)
  const server = await startReplayServer({log, fault, faults, retryMs, seed})
  const started = performance.now()
  const source = new EventSource<'tick'>(server.url, {inactivityTimeout})
  const ledger = new DeliveryLedger(log)
  const errors: Record<string, number> = {}
  let fatalErrors = 0
  source.addEventListener('tick', (event) => ledger.receive(event.type, event.data, event.lastEventId))
  source.addEventListener('error', (event) => {
    const name = event.error?.name ?? 'ended'
    errors[name] = (errors[name] ?? 0) + 1
    if (!event.willReconnect) fatalErrors++
  })
  try {
    await until(() => ledger.hasLast || source.readyState === EventSource.CLOSED, timeoutMs).catch(() => {})
  } finally {
    source.close()
    await server.close()
  }
  return {
    ...ledger.counts(),
    seed,
    faults,
    cuts: server.cuts,
    errors,
    fatalErrors,
    responses: server.responses(),
    eventsBeforeLastFault: server.eventsBeforeLastFault(),
    unknownLastEventIds: server.unknownLastEventIds.length,
    durationMs: Math.round(performance.now() - started),
  }
}
