// A dedicated module worker (/bundles/worker.js): runs the transcript spec it is sent on the global
// EventSource, as the polyfill left it, and posts back the result and what the global was.
import type {RunSpec} from './transcript.js'
import {report} from './worker-report.js'

const scope = globalThis as unknown as {onmessage: ((event: MessageEvent<RunSpec>) => void) | null; postMessage(message: unknown): void}
scope.onmessage = (event) => void report(event.data).then((answer) => scope.postMessage(answer))
