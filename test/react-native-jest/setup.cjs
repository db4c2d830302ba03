// Runs before each test file, after @react-native/jest-preset's own setup: takes Node's web
// platform away and puts React Native's in its place, as an app on a phone has it.
//
// Deleted: what Node has and React Native's JS does not install (or installs its own of). Jest's
// Node environment copies these onto the test's global object.
const DELETED = [
  'fetch',
  'Headers',
  'Request',
  'Response',
  'FormData',
  'Blob',
  'File',
  'WebSocket',
  'XMLHttpRequest',
  'ReadableStream',
  'WritableStream',
  'TransformStream',
  'EventTarget',
  'Event',
  'CustomEvent',
  'MessageEvent',
  'DOMException',
  'TextDecoder',
  'TextEncoder',
  'URL',
  'URLSearchParams',
  'AbortController',
  'AbortSignal',
]
// Node's, kept aside for the test that checks they are gone.
globalThis.__nodeWebGlobals = Object.fromEntries(DELETED.map((name) => [name, globalThis[name]]))
for (const name of DELETED) delete globalThis[name]

// React Native's own: setUpXHR (XMLHttpRequest, its fetch over XHR, Headers, URL, AbortController,
// ...) as InitializeCore runs it, and its EventTarget and Event (setUpDOM, React Native 0.86+).
require('react-native/Libraries/Core/setUpXHR')
globalThis.__hasReactNativeEventTarget = hasSetUpDOM()
if (globalThis.__hasReactNativeEventTarget) require('react-native/src/private/setup/setUpDOM').default()

/** Whether this React Native installs an EventTarget (setUpDOM with EventTarget, from 0.86). */
function hasSetUpDOM() {
  try {
    return require('node:fs').readFileSync(require.resolve('react-native/src/private/setup/setUpDOM'), 'utf8').includes("'EventTarget'")
  } catch {
    return false
  }
}

// RCTNetworking, the native module React Native's XMLHttpRequest calls, performs the request
// against the loopback server.
require('./fake-networking.cjs').installFakeNetworking()
