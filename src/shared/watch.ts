// A follower that has heard nothing from the leader for this long asks whether it is alive...
const SILENCE_MS = 1500
// ...and takes the lock when no answer comes within this (plus up to as much again, at random, so
// that followers do not all steal at once).
const PING_TIMEOUT_MS = 750

/**
 * A follower's watch on the leader: after a silence it pings; when the ping goes unanswered the
 * leader is taken to be frozen (or stuck) and the follower should take the lock from it.
 */
export class LeaderWatch {
  #heardAtMs = Date.now()
  #pingedAtMs: number | undefined

  /** The leader was heard from (or a new wait starts): no ping is pending. */
  heard(): void {
    this.#heardAtMs = Date.now()
    this.#pingedAtMs = undefined
  }

  /**
   * Called on every beat interval. A tab that never heard where the stream is (`isPositioned`
   * false) waits longer, so that one that knows usually takes over.
   * @returns `ping` to ask the leader, `steal` to take the lock, or undefined to keep waiting
   */
  check(isPositioned: boolean): 'ping' | 'steal' | undefined {
    const nowMs = Date.now()
    if (this.#pingedAtMs === undefined) {
      if (nowMs - this.#heardAtMs < SILENCE_MS) return undefined
      this.#pingedAtMs = nowMs
      return 'ping'
    }
    if (nowMs - this.#pingedAtMs <= PING_TIMEOUT_MS * (isPositioned ? 1 + Math.random() : 3)) return undefined
    this.heard()
    return 'steal'
  }
}
