// A module service worker (/bundles/service-worker.js): the polyfill installs ours where the worker has
// no EventSource (Firefox, older Chromium, or `?without-native`). A message {spec} with a MessagePort
// gets the transcript back on the port.
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
