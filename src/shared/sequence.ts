import type {MessageRecord} from './protocol.js'

// How long a missing position (a late record of the previous leader) is waited for before it is skipped.
const GAP_MS = 1000
// Records held back while waiting for a missing position, at most.
const MAX_HELD = 1024

/**
 * Puts the relayed events of a channel back in position order, each once: replays and late
 * duplicates are dropped; a missing position is waited for a moment, then skipped.
 * @example
 * ```ts
 * const sequence = new Sequence((record) => fire(record))
 * sequence.nextPos = 1
 * sequence.push(second) // held: position 1 is missing
 * sequence.push(first) // fires first, then second
 * ```
 */
export class Sequence {
  /** The position of the next event to dispatch; undefined until this tab knows where the stream is. */
  nextPos: number | undefined
  readonly #held = new Map<number, MessageRecord>()
  readonly #dispatch: (record: MessageRecord) => void
  #gapTimer: ReturnType<typeof setTimeout> | undefined

  /** @param dispatch - called with each record, in position order */
  constructor(dispatch: (record: MessageRecord) => void) {
    this.#dispatch = dispatch
  }

  /** Takes a record: dispatches it and the held ones that follow it, holds it, or drops it. */
  push(record: MessageRecord): void {
    if (this.nextPos === undefined || record.pos < this.nextPos) return
    this.#held.set(record.pos, record)
    for (let next = this.#held.get(this.nextPos); next; next = this.#held.get(this.nextPos)) {
      this.#held.delete(this.nextPos)
      this.nextPos++
      this.#dispatch(next)
    }
    clearTimeout(this.#gapTimer)
    if (this.#held.size === 0) return
    // A missing position: a late record of the previous leader may still be on its way.
    const skip = (): void => {
      this.nextPos = Math.min(...this.#held.keys())
      const first = this.#held.get(this.nextPos)
      if (first) this.push(first)
    }
    if (this.#held.size > MAX_HELD) skip()
    else this.#gapTimer = setTimeout(skip, GAP_MS)
  }

  /** Drops the held records and the gap timer. */
  clear(): void {
    clearTimeout(this.#gapTimer)
    this.#held.clear()
  }
}
