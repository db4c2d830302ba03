// A module service worker (/bundles/service-worker.js): service workers have no EventSource, so the
// polyfill installs ours. A message {spec} with a MessagePort gets the transcript back on the port.
import {report} from './worker-report.js'
import type {RunSpec} from './transcript.js'

interface ExtendableMessageEvent extends MessageEvent<RunSpec> {
  waitUntil(promise: Promise<unknown>): void
}

globalThis.addEventListener('message', (event) => {
  const message = event as ExtendableMessageEvent
  const [port] = message.ports
  // waitUntil keeps the worker alive until the transcript is done.
  message.waitUntil(report(message.data).then((answer) => port?.postMessage(answer)))
})
