// The react-native build imports React Native (`AppState`, for pauseWhenHidden), which Vitest does
// not have: every test of the project gets an AppState that stays `active`. The tests of
// pauseWhenHidden mock the module themselves with one they can script (test/react-native/app-state.test.ts).
import {vi} from 'vitest'

vi.mock('react-native', () => ({AppState: {currentState: 'active', addEventListener: () => ({remove() {}})}}))
