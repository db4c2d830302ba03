// Leader election with the Web Locks API: every tab on a channel queues a request for one exclusive
// lock; the holder leads. The browser releases a closed or crashed page's lock, so the next tab in
// the queue is granted it at once. A page that hears its `freeze` event steps out (pause) and queues
// again when it is resumed. A stuck page keeps its lock: a follower that no longer hears the leader
// takes it with `steal`, which rejects the stuck holder's request with an AbortError.

/** The part of `navigator.locks` the election uses. */
export interface LockManagerLike {
  request(name: string, options: {signal?: AbortSignal; steal?: boolean}, callback: () => Promise<void>): Promise<void>
}

/** What the election tells its source. */
export interface ElectionHost {
  /** This tab now holds the lock. */
  elected(): void
  /** The lock was taken from this tab (stolen); it is queued again. */
  deposed(): void
}

/**
 * One tab's place in the election for one lock name: queued, holding, or out (after `leave()`).
 */
export class Election {
  readonly #locks: LockManagerLike
  readonly #name: string
  readonly #host: ElectionHost
  // Aborts the queued request; replaced on each request.
  #queued: AbortController | undefined
  // Ends the held lock's callback, which releases it.
  #release: (() => void) | undefined
  #hasLeft = false

  constructor(locks: LockManagerLike, name: string, host: ElectionHost) {
    this.#locks = locks
    this.#name = name
    this.#host = host
  }

  /** Queues for the lock (or, with `steal`, takes it from its holder now). */
  join(steal = false): void {
    if (this.#hasLeft || this.#release) return
    this.#queued?.abort()
    const queued = steal ? undefined : new AbortController()
    this.#queued = queued
    let wasGranted = false
    this.#locks
      .request(this.#name, queued ? {signal: queued.signal} : {steal: true}, () => {
        wasGranted = true
        if (this.#queued === queued) this.#queued = undefined
        // Left while the grant was on its way: hand the lock straight back.
        if (this.#hasLeft) return Promise.resolve()
        return new Promise<void>((resolve) => {
          this.#release = resolve
          this.#host.elected()
        })
      })
      .catch(() => {
        // Aborted while queued (leave, or a steal replaced this request): nothing to do. Rejected
        // while held: another tab stole the lock.
        if (!wasGranted || !this.#release) return
        this.#release()
        this.#release = undefined
        if (!this.#hasLeft) this.#host.deposed()
      })
  }

  /** Gives up the lock if held and queues again behind the others. */
  resign(): void {
    this.#release?.()
    this.#release = undefined
    this.join()
  }

  /** Steps out while the page is frozen: the queued request is withdrawn and a held lock released; `join()` queues again. */
  pause(): void {
    this.#queued?.abort()
    this.#queued = undefined
    this.#release?.()
    this.#release = undefined
  }

  /** Leaves for good: the queued request is withdrawn and a held lock released. */
  leave(): void {
    this.#hasLeft = true
    this.pause()
  }
}
