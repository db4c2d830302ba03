/** A restartable one-shot timer: calls `onTimeout` when `kick()` was not called for `ms` milliseconds. */
export class Watchdog {
  readonly #ms: number
  readonly #onTimeout: () => void
  #timer: ReturnType<typeof setTimeout> | undefined

  /** `ms` of 0 makes a watchdog that never fires. */
  constructor(ms: number, onTimeout: () => void) {
    this.#ms = ms
    this.#onTimeout = onTimeout
  }

  /** (Re)starts the countdown. */
  kick(): void {
    if (this.#ms === 0) return
    clearTimeout(this.#timer)
    this.#timer = setTimeout(this.#onTimeout, this.#ms)
  }

  /** Stops the countdown for good. */
  stop(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
  }
}
