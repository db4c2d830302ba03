// [non-spec] pauseWhenHidden in React Native: the app's state (AppState) stands for the page's
// visibility. `background` pauses the stream, `active` resumes it; `inactive` (iOS, between the two,
// or with the app switcher or a system dialog over the app) changes nothing.
import {AppState} from 'react-native'
import {ignore} from '../body.js'

/** The app states that pause (`background`) and resume (`active`) a stream. */
export type AppStateChange = 'background' | 'active'

/** Whether the app runs in the background now (`AppState.currentState`; null or `unknown` before it is known counts as not). */
export function isInBackground(): boolean {
  return AppState.currentState === 'background'
}

/**
 * Calls `onChange` each time the app's state becomes `state`.
 * @returns what removes the subscription (nothing to remove where AppState is not available)
 */
export function watchAppState(state: AppStateChange, onChange: () => void): () => void {
  let subscription: {remove(): void}
  try {
    subscription = AppState.addEventListener('change', (next) => {
      if (next === state) onChange()
    })
  } catch {
    // "Cannot use AppState when `isAvailable` is false": no native module, so no state changes.
    return ignore
  }
  return () => subscription.remove()
}
