// The part of React Native's own types the React Native build uses (react-native is an optional peer
// dependency, not installed for the type check): AppState, for pauseWhenHidden.
declare module 'react-native' {
  /** The app's state: `active`, `background`, `inactive` (iOS), or others (`unknown`, `extension`). */
  export type AppStateStatus = 'active' | 'background' | 'inactive' | 'unknown' | 'extension'

  /** React Native's AppState: the app's current state and its changes. */
  export const AppState: {
    /** The current state; null until it is known. */
    readonly currentState: AppStateStatus | null
    /** Subscribes to the state's changes; throws where the native module is not available. */
    addEventListener(type: 'change', handler: (state: AppStateStatus) => void): {remove(): void}
  }
}
