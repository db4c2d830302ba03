// [non-spec] The `AbortController` of the react-native build. React Native 0.76 to 0.86 install the
// abort-controller 3 polyfill, whose abort() drops its argument: `signal.reason` stays undefined. The
// core tells a pause (pauseWhenHidden), its watchdog and close() apart by that reason, so where the
// platform's controller does not keep it, this subclass does (on the signal, before the abort event).
import {DOMException} from './dom-exception.js'

const Platform = globalThis.AbortController

/** Whether the platform's `abort(reason)` shows `reason` on the signal. */
function keepsReason(): boolean {
  const probe = new Platform()
  const reason = {}
  probe.abort(reason)
  return probe.signal.reason === reason
}

/** [spec] DOM "signal abort": the controller's signal gets `reason` ("AbortError" DOMException by default). */
export class ReasonKeepingAbortController extends Platform {
  override abort(reason?: unknown): void {
    if (!this.signal.aborted) {
      const value = reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason
      Object.defineProperty(this.signal, 'reason', {value, configurable: true, enumerable: true})
    }
    super.abort(reason)
  }
}

/** The `AbortController` the react-native build uses: the platform's where it keeps the reason, else {@link ReasonKeepingAbortController}. */
export const AbortController: typeof globalThis.AbortController = keepsReason() ? Platform : ReasonKeepingAbortController
