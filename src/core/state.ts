import {createEventStreamDecoder, type EventStreamCallbacks} from './decode.js'
import type {EventSourceError} from './errors.js'
import {createMessageEvent} from './message-event.js'
import {dispatch} from './platform.js'
import {MAX_DELAY_MS, type Outcome, type Tap} from './policy.js'
import {CLOSED, CONNECTING} from './ready-state.js'
import {reportException} from './report.js'

export const ENDED: Outcome = {error: undefined, isRetryable: true}
export const RESOLVED = Promise.resolve()

/**
 * The state the spec keeps for an EventSource (readyState, the last event ID string, the
 * reconnection time) and the interpretation of a body: decoding it and dispatching its events. The
 * EventSource is the event target. The connect → read → reconnect loop (src/core/connection.ts)
 * stands on it and supplies what an attempt adds: its watchdog, its errors.
 */
export abstract class SourceState implements EventStreamCallbacks {
  /** [spec] readyState: CONNECTING (0), OPEN (1) or CLOSED (2). */
  readyState: 0 | 1 | 2 = CONNECTING
  /** [spec] the EventSource's "last event ID string". */
  lastEventId: string
  /** [spec] the event stream's "reconnection time", in milliseconds. */
  reconnectionTime: number
  /** The server's last `retry:` value in ms (for the `reconnect` policy), or undefined. */
  protected serverRetryMs: number | undefined
  /** Why the connection failed, for taps attached afterwards. */
  protected failure: EventSourceError | undefined
  readonly #target: EventTarget
  // The current chunk's events as flat (type, data, lastEventId) triples, and the last event ID as
  // of the parser: `lastEventId` follows it as events are dispatched, so that after a close() in a
  // listener it names the last event the page actually saw.
  #queue: string[] | undefined
  #parsedLastEventId = ''
  // [non-spec] the taps of eventsource-kit/iterate.
  #taps: Set<Tap> | undefined

  /** @param target - the EventSource: every event is fired at it */
  constructor(target: EventTarget, lastEventId: string, reconnectionTime: number) {
    this.#target = target
    this.lastEventId = lastEventId
    this.reconnectionTime = reconnectionTime
  }

  /** The decoder's limit: most characters buffered for one line or event. */
  abstract get maxEventSize(): number

  /** [spec] close(): abort the fetch (or the wait) and set readyState to CLOSED; no event fires after it. */
  abstract close(): void

  /** [non-spec] inactivityTimeout: (re)starts the countdown that drops a silent attempt, or stops it. */
  protected abstract kick(isRunning: boolean): void

  /** How a read that failed with `cause` ends the attempt. */
  protected abstract networkError(cause: unknown): Outcome

  /** [non-spec] maxEventSize: how a line or event too large to buffer ends the attempt. */
  protected abstract tooLarge(): Outcome

  /** True once readyState is CLOSED: close(), the signal, or a failed connection. (A method: readyState changes behind TypeScript's back, in listeners.) */
  isClosed(): boolean {
    return this.readyState === CLOSED
  }

  /** [non-spec] Attaches a tap (eventsource-kit/iterate) that gets every MessageEvent from now on. */
  tap<T extends Tap>(create: (maxQueuedChars: number, close: () => void) => T): T {
    const tap = create(this.maxEventSize, () => this.close())
    if (this.isClosed()) tap.end(this.failure)
    else (this.#taps ??= new Set()).add(tap)
    return tap
  }

  /** Ends every tap: the source closed (`error` undefined) or failed. */
  protected endTaps(error: EventSourceError | undefined): void {
    if (this.#taps) for (const tap of this.#taps) tap.end(error)
    this.#taps = undefined
  }

  /**
   * [spec] "interpret res's body line by line", to its end, then `settle` with how the attempt ended.
   * Promise callbacks rather than an async loop: an open connection waiting for its next chunk holds
   * the pending read and one small closure, not a suspended frame with every local of the loop.
   */
  protected read(reader: ReadableStreamDefaultReader<Uint8Array>, origin: string, signal: AbortSignal, settle: (outcome: Outcome) => void): void {
    // Its own methods, called with it as `this`: no closures per attempt for the decoder to hold.
    const feed = createEventStreamDecoder(this.maxEventSize, this.onEvent, this.onId, this.onRetry, this)
    this.#parsedLastEventId = this.lastEventId
    // A read that fails (the network, or a source closed or paused meanwhile) ends the attempt.
    const onError = (cause: unknown): void => settle(this.networkError(cause))
    const readNext = (): void => {
      // A reader whose read() throws (a custom fetch's body, say) fails the attempt like a failed read.
      try {
        void reader.read().then(onChunk, onError)
      } catch (cause) {
        onError(cause)
      }
    }
    // The chunk is a parameter: nothing keeps it once it is fed, while the next read waits.
    const onChunk = (result: ReadableStreamReadResult<Uint8Array>): void => {
      try {
        if (this.isClosed()) return settle(ENDED)
        if (signal.aborted) return settle(this.networkError(signal.reason))
        // [spec] "If the file ends in the middle of an event, before the final empty line, the
        // incomplete event is not dispatched": the decoder and its buffers are dropped here.
        if (result.done) return settle(ENDED)
        this.kick(true)
        const fits = feed(result.value)
        const afterDispatch = (): void => {
          // A listener closed the source.
          if (this.isClosed()) return settle(ENDED)
          // [spec] dispatch step 1 also runs for blocks without data (an id-only block): once the
          // chunk's events are out, the last event ID string is the parser's.
          this.lastEventId = this.#parsedLastEventId
          // [non-spec] maxEventSize: a line or event too large to buffer fails the connection, after
          // the complete events before it.
          if (!fits) return settle(this.tooLarge())
          const drained = this.#whenDrained()
          if (!drained) return readNext()
          // A paused reader hears nothing from the server: the watchdog must not count that time.
          this.kick(false)
          drained.then(() => {
            this.kick(true)
            readNext()
          }, onError)
        }
        const queue = this.#queue
        const dispatching = queue !== undefined && queue.length > 0 ? this.#dispatchQueued(queue, origin) : undefined
        if (dispatching) dispatching.then(afterDispatch, onError)
        else afterDispatch()
      } catch (cause) {
        onError(cause)
      }
    }
    readNext()
  }

  /** [spec] dispatch step 5: the event's lastEventId is the last event ID string. Called by the decoder. */
  onEvent(type: string, data: string): void {
    (this.#queue ??= []).push(type, data, this.#parsedLastEventId)
  }

  /** [spec] dispatch step 1: "Set the last event ID string of the event source to the value of the last event ID buffer." */
  onId(id: string): void {
    this.#parsedLastEventId = id
  }

  /** [spec] retry field: "set the event stream's reconnection time to that integer" (clamped to what a timer can wait). */
  onRetry(ms: number): void {
    this.reconnectionTime = this.serverRetryMs = Math.min(ms, MAX_DELAY_MS)
  }

  /**
   * Dispatches the current chunk's events in order: the first at once, each next one a microtask
   * turn later, so that microtasks queued by a listener (a close(), say) run before the next event,
   * as they would between the browser's tasks. Chained on a settled promise: cheaper than an
   * `await` per event. Resolves (or returns undefined) once the chunk is out or the source closed.
   */
  #dispatchQueued(queue: string[], origin: string): Promise<void> | undefined {
    this.#dispatchMessage(queue, 0, origin)
    if (queue.length === 3) {
      queue.length = 0
      return undefined
    }
    return new Promise((resolve) => {
      let index = 3
      const next = (): void => {
        // [spec] each event is dispatched in its own task.
        if (index < queue.length && !this.isClosed()) {
          this.#dispatchMessage(queue, index, origin)
          index += 3
          void RESOLVED.then(next)
        } else {
          queue.length = 0
          resolve()
        }
      }
      void RESOLVED.then(next)
    })
  }

  #dispatchMessage(queue: readonly string[], index: number, origin: string): void {
    // [spec] "queue a task which, if the readyState attribute is set to a value other than CLOSED, dispatches the newly created event"
    if (this.isClosed()) return
    const lastEventId = queue[index + 2] as string
    this.lastEventId = lastEventId
    // [spec] "Initialize event's type attribute to "message", its data attribute to data, its
    // origin attribute to the serialization of the origin of the event stream's final URL, and its
    // lastEventId attribute to the last event ID string of the event source." source null, ports empty.
    const event = createMessageEvent(queue[index] as string, queue[index + 1] as string, origin, lastEventId)
    // Queued first: a listener that closes the source must not take this event from the loop.
    if (this.#taps) for (const iterator of this.#taps) iterator.push(event)
    this.fire(event)
  }

  /** Fires `event` at the EventSource; a listener's exception never reaches the loop: the platform reports it. */
  fire(event: Event): void {
    try {
      // Through the handlers: where the platform calls on<type> itself (workerd), each handler still runs once.
      dispatch(this.#target, event)
    } catch (error) {
      reportException(error)
    }
  }

  /** [non-spec] Backpressure from async iteration: a promise while an iterator's queue is full. */
  #whenDrained(): Promise<void> | undefined {
    if (this.#taps) for (const queue of this.#taps) if (queue.isFull) return queue.whenDrained().then(() => this.#whenDrained())
    return undefined
  }
}
