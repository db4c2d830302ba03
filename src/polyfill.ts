/**
 * Side-effect entry: `import 'eventsource-kit/polyfill'` installs EventSource on `globalThis`
 * where the platform has none (Node, Deno without it, service workers) and leaves a native one alone.
 * @packageDocumentation
 */
// The package's own name: the built polyfill imports dist/index.js instead of duplicating it.
import {EventSource} from 'eventsource-kit'

const scope = globalThis as {EventSource?: unknown}
if (typeof scope.EventSource !== 'function') {
  Object.defineProperty(globalThis, 'EventSource', {value: EventSource, writable: true, configurable: true, enumerable: false})
}
