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

// eventsource-kit/server: a frame, and an eventStream Response read back by the installed parse entry.
const {formatEvent, eventStream} = await import('eventsource-kit/server')
const {parseEventStream} = await import('eventsource-kit/parse')
if (formatEvent({id: '1', data: 'a\nb'}) !== 'id: 1\ndata: a\ndata: b\n\n') throw new Error(`eventsource-kit/server: formatEvent wrote ${JSON.stringify(formatEvent({id: '1', data: 'a\nb'}))}`)
const served = []
for await (const event of parseEventStream(eventStream([{id: '7', data: ' x'}, 'y'], {heartbeatMs: 0}))) served.push(`${event.lastEventId}:${event.data}`)
if (served.join('|') !== '7: x|7:y') throw new Error(`eventsource-kit/server: read back ${JSON.stringify(served)}`)
