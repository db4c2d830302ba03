import type {EventSourceError} from '../core/errors.js'
import type {StringMessageEvent} from '../core/events.js'
import type {Tap} from '../core/policy.js'

// Past either bound the source stops reading from the network until the consumer catches up.
const MAX_QUEUED_EVENTS = 1024

/**
 * The async iterator behind `for await (const event of source)`: every MessageEvent in dispatch
 * order, queued while the consumer is busy. A full queue pauses reading (backpressure), so nothing
 * is dropped and memory stays bounded.
 */
export class MessageQueue implements AsyncIterableIterator<StringMessageEvent>, Tap {
  readonly #maxQueuedChars: number
  readonly #onReturn: () => void
  readonly #events: StringMessageEvent[] = []
  #queuedChars = 0
  // next() may be called again before the previous promise settled: each waits its turn.
  readonly #pendingNexts: Array<{resolve: (result: IteratorResult<StringMessageEvent>) => void; reject: (error: unknown) => void}> = []
  #drainWaiters: Array<() => void> = []
  #end: {error: EventSourceError | undefined} | undefined

  /**
   * @param maxQueuedChars - characters of data queued before reading pauses (the source's maxEventSize)
   * @param onReturn - called when the consumer leaves the loop early: closes the source
   */
  constructor(maxQueuedChars: number, onReturn: () => void) {
    this.#maxQueuedChars = maxQueuedChars
    this.#onReturn = onReturn
  }

  /** Whether reading should pause until the consumer catches up. */
  get isFull(): boolean {
    return this.#events.length >= MAX_QUEUED_EVENTS || this.#queuedChars >= this.#maxQueuedChars
  }

  /** Resolves once the queue is no longer full (or has ended). */
  whenDrained(): Promise<void> {
    if (!this.isFull || this.#end) return Promise.resolve()
    return new Promise((resolve) => this.#drainWaiters.push(resolve))
  }

  /** A MessageEvent was dispatched. */
  push(event: StringMessageEvent): void {
    if (this.#end) return
    const waiting = this.#pendingNexts.shift()
    if (waiting) {
      waiting.resolve({value: event, done: false})
      return
    }
    this.#events.push(event)
    this.#queuedChars += event.data.length
  }

  /** The source closed (`error` undefined) or failed: queued events are still delivered first. */
  end(error: EventSourceError | undefined): void {
    if (this.#end) return
    this.#end = {error}
    this.#settlePendingNexts(this.#end)
    this.#releaseDrainWaiters()
  }

  next(): Promise<IteratorResult<StringMessageEvent>> {
    const event = this.#events.shift()
    if (event !== undefined) {
      this.#queuedChars -= event.data.length
      if (!this.isFull) this.#releaseDrainWaiters()
      return Promise.resolve({value: event, done: false})
    }
    return new Promise((resolve, reject) => {
      this.#pendingNexts.push({resolve, reject})
      if (this.#end) this.#settlePendingNexts(this.#end)
    })
  }

  /** Leaving the loop (break, return, a throw in the body) closes the source. */
  return(): Promise<IteratorResult<StringMessageEvent>> {
    this.#events.length = 0
    this.#queuedChars = 0
    this.end(undefined)
    this.#onReturn()
    return Promise.resolve({value: undefined, done: true})
  }

  [Symbol.asyncIterator](): this {
    return this
  }

  /** After the end: a next() waits only on an empty queue, so each waiting one is settled. */
  #settlePendingNexts(end: {error: EventSourceError | undefined}): void {
    for (const pending of this.#pendingNexts.splice(0)) {
      const {error} = end
      // A failure is thrown once; after that the iterator is simply done.
      end.error = undefined
      if (error) pending.reject(error)
      else pending.resolve({value: undefined, done: true})
    }
  }

  #releaseDrainWaiters(): void {
    for (const resolve of this.#drainWaiters.splice(0)) resolve()
  }
}
