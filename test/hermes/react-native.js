// What the React Native build imports from 'react-native' (only `AppState`), for the Hermes smoke
// run: scripts/hermes.mjs points the build's `react-native` import here. The app starts `active`;
// setAppState() plays a change as React Native reports it (a `change` event with the new state).

const handlers = new Set()

/** React Native's `AppState`, as much of it as the build uses. */
export const AppState = {
  currentState: 'active',
  isAvailable: true,
  addEventListener(type, handler) {
    const entry = {type, handler}
    handlers.add(entry)
    return {remove: () => handlers.delete(entry)}
  },
}

/** Moves the app to `state` ('active' | 'background' | 'inactive') and tells the `change` listeners. */
export function setAppState(state) {
  AppState.currentState = state
  for (const {type, handler} of [...handlers]) if (type === 'change') handler(state)
}

/** How many listeners are subscribed (the smoke checks that close() removed its own). */
export function appStateListeners() {
  return handlers.size
}
