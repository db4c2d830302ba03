// The connection panel: one EventSource on /api/ticks with the resilience options on, its state, the
// details of its last failure, a reconnection countdown, and buttons that make the server misbehave.
import {EventSource, type EventSourceErrorEvent, HttpError} from 'eventsource-kit'
import {retry} from 'eventsource-kit/reconnect'
import {byId, showReadyState} from './dom.js'
import {clientId, parseTick, type Tick, ticksUrl} from './feed.js'
import {EventLog} from './log.js'
import {SequenceCheck} from './sequence.js'
import {SequenceStrip} from './strip.js'

/** Ms without a byte before the source drops a stalled stream (the server sends a sample every 500 ms). */
export const INACTIVITY_TIMEOUT_MS = 2000
/** Seconds of history the panel asks for when it starts, to fill the chart. */
const HISTORY_SECONDS = 60
const FAULTS = ['drop', 'stall', '503', '401'] as const

/** Where the panel shows things (ids in index.html). */
const view = {
  readyState: byId('ready-state'),
  lastEventId: byId('last-event-id'),
  countdown: byId('countdown'),
  countdownBar: byId('countdown-bar'),
  received: byId('received'),
  reconnections: byId('reconnections'),
  gaps: byId('gaps'),
  duplicates: byId('duplicates'),
  failure: byId('failure'),
  failureName: byId('failure-name'),
  failureStatus: byId('failure-status'),
  failureMessage: byId('failure-message'),
  failureWillReconnect: byId('failure-will-reconnect'),
  failureDelay: byId('failure-delay'),
  reconnect: byId<HTMLButtonElement>('reconnect'),
}

/** The panel; `onTick` receives every sample (the chart draws them). */
export class ConnectionPanel {
  readonly #onTick: (tick: Tick) => void
  readonly #check = new SequenceCheck()
  readonly #strip = new SequenceStrip(byId('sequence'))
  readonly #log = new EventLog(byId('log'))
  #source: EventSource | undefined
  #opens = 0
  #reconnectAt: {at: number; delayMs: number} | undefined

  constructor(onTick: (tick: Tick) => void) {
    this.#onTick = onTick
    for (const kind of FAULTS) byId(`fault-${kind}`).addEventListener('click', () => void this.#inject(kind))
    view.reconnect.addEventListener('click', () => this.connect())
    byId('client-id').textContent = clientId
    setInterval(() => this.#renderCountdown(), 100)
  }

  /** Opens a new source; after a fatal error it resumes after the old source's last event ID. */
  connect(): void {
    const lastEventId = this.#source?.lastEventId ?? ''
    const source = new EventSource(ticksUrl('panel', HISTORY_SECONDS), {
      lastEventId,
      // A 503 is a server restarting: reconnect (honouring Retry-After) instead of failing.
      reconnect: retry({retryOnStatus: [503]}),
      // A proxy that silently stops forwarding: give up on the stream after 2 s of silence.
      inactivityTimeout: INACTIVITY_TIMEOUT_MS,
    })
    this.#source = source
    source.addEventListener('open', () => this.#opened(source))
    source.addEventListener('message', (event) => this.#received(parseTick(event.data)))
    source.addEventListener('error', (event) => this.#failed(source, event))
    this.#log.add(lastEventId ? `new source, Last-Event-ID: ${lastEventId}` : 'new source')
    this.#render()
  }

  #opened(source: EventSource): void {
    this.#opens += 1
    this.#reconnectAt = undefined
    // Before any event arrives, lastEventId is what this request sent.
    if (this.#opens > 1) this.#strip.resumed(source.lastEventId)
    this.#log.add(this.#opens > 1 ? `open, resuming after ${source.lastEventId || '(none)'}` : 'open', 'good')
    this.#render()
  }

  #received(tick: Tick): void {
    this.#check.see(tick.seq)
    this.#strip.seq(tick.seq)
    this.#onTick(tick)
    this.#render()
  }

  #failed(source: EventSource, event: EventSourceErrorEvent): void {
    const {error, willReconnect, reconnectDelay} = event
    this.#reconnectAt = willReconnect && reconnectDelay !== null ? {at: performance.now() + reconnectDelay, delayMs: reconnectDelay} : undefined
    view.failure.hidden = false
    view.failureName.textContent = error?.name ?? '(none: the stream ended)'
    view.failureStatus.textContent = error instanceof HttpError ? String(error.status) : '—'
    view.failureMessage.textContent = error?.message ?? 'The server ended the response.'
    view.failureWillReconnect.textContent = String(willReconnect)
    view.failureDelay.textContent = reconnectDelay === null ? 'null' : `${reconnectDelay} ms`
    const what = error ? `${error.name}${error instanceof HttpError ? ` ${error.status}` : ''}` : 'stream ended'
    this.#log.add(willReconnect ? `error: ${what}, reconnecting in ${reconnectDelay} ms` : `error: ${what}, CLOSED`, 'bad')
    if (source === this.#source) this.#render()
  }

  async #inject(kind: (typeof FAULTS)[number]): Promise<void> {
    // A drop also breaks the React and Vue cards' streams (when they are mounted), to show their
    // bindings reconnecting.
    if (kind === 'drop') for (const part of ['react', 'vue']) void fetch(`/api/fault?client=${clientId}-${part}&kind=drop`, {method: 'POST'})
    const response = await fetch(`/api/fault?client=${clientId}&kind=${kind}`, {method: 'POST'})
    const answer = (await response.json()) as {error?: string}
    this.#log.add(response.ok ? `server: ${kind} injected` : `server: ${answer.error ?? response.status}`, response.ok ? 'info' : 'bad')
  }

  #render(): void {
    const source = this.#source
    const readyState = source?.readyState ?? EventSource.CLOSED
    showReadyState(view.readyState, readyState)
    view.lastEventId.textContent = source?.lastEventId || '(none)'
    view.received.textContent = String(this.#check.received)
    view.reconnections.textContent = String(Math.max(0, this.#opens - 1))
    view.gaps.textContent = String(this.#check.gaps)
    view.duplicates.textContent = String(this.#check.duplicates)
    view.gaps.dataset.bad = String(this.#check.gaps > 0)
    view.duplicates.dataset.bad = String(this.#check.duplicates > 0)
    view.reconnect.disabled = readyState !== EventSource.CLOSED
    this.#renderCountdown()
  }

  #renderCountdown(): void {
    const pending = this.#source?.readyState === EventSource.CONNECTING ? this.#reconnectAt : undefined
    const leftMs = pending ? Math.max(0, pending.at - performance.now()) : 0
    view.countdown.textContent = pending ? (leftMs > 0 ? `in ${(leftMs / 1000).toFixed(1)} s` : 'connecting…') : '—'
    view.countdownBar.style.transform = `scaleX(${pending && pending.delayMs > 0 ? leftMs / pending.delayMs : 0})`
  }
}
