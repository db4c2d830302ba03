// Shared by the worker bundles: imports the polyfill (after worker-scope.ts has looked at the global),
// then runs a transcript spec on the global EventSource and reports what that global was.
import {nativeEventSource, typeBefore} from './worker-scope.js'
import 'eventsource-kit/polyfill'
import {type RunResult, type RunSpec, runTranscript, type SourceConstructor} from './transcript.js'

/** What the worker answers. */
export interface WorkerReport {
  /** `typeof EventSource` before the polyfill. */
  typeBefore: string
  /** Whether the global EventSource is the platform's own after the polyfill. */
  isNative: boolean
  /** Whether the global EventSource is ours (it has the `reconnectionTime` getter). */
  isOurs: boolean
  result: RunResult
}

/** Describes the global EventSource as the polyfill left it. */
export function describeGlobal(): Omit<WorkerReport, 'result'> {
  const Source = (globalThis as {EventSource?: SourceConstructor}).EventSource
  return {
    typeBefore,
    isNative: Source !== undefined && Source === nativeEventSource,
    isOurs: Source !== undefined && 'reconnectionTime' in Source.prototype,
  }
}

/** Runs `spec` on the global EventSource. */
export async function report(spec: RunSpec): Promise<WorkerReport> {
  return {...describeGlobal(), result: await runTranscript(globalThis.EventSource, spec)}
}

