// The AbortController React Native 0.76 to 0.86 install (the abort-controller 3 polyfill), as the
// tests need it: abort() takes no argument, and the signal has `aborted` and an `abort` event but no
// `reason`.

class LegacySignal extends EventTarget {
  aborted = false
}

/** An AbortController whose signal never shows a reason. */
export class LegacyAbortController {
  readonly signal = new LegacySignal()
  abort(): void {
    if (this.signal.aborted) return
    this.signal.aborted = true
    this.signal.dispatchEvent(new Event('abort'))
  }
}
