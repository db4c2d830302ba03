// The ESM consumer: `import` of the installed tarball (see scenario.cjs).
import {fileURLToPath} from 'node:url'
import * as lib from 'eventsource-kit'
import scenario from './scenario.cjs'

await scenario.run(lib, {
  mode: 'ESM',
  resolved: fileURLToPath(import.meta.resolve('eventsource-kit')),
  polyfill: () => import('eventsource-kit/polyfill'),
})

// eventsource-kit/shared in Node: the fallback (no tabs), closed at once by its signal.
const {EventSource: SharedEventSource} = await import('eventsource-kit/shared')
const shared = new SharedEventSource('http://127.0.0.1:9/', {signal: globalThis.AbortSignal.abort()})
if (shared.isShared !== false || shared.isLeader !== false || shared.readyState !== 2) {
  throw new Error(`eventsource-kit/shared: expected the closed fallback, got isShared ${shared.isShared}, readyState ${shared.readyState}`)
}
