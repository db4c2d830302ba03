// The page's entry (/bundles/page.js): puts the transcript harness on `globalThis.harness`, where
// `page.evaluate` reaches it. Ours is the built dist/, loaded as an app would load the package.
import {type RunResult, type RunSpec, type SourceConstructor, runTranscript} from './transcript.js'

/** Which EventSource a run uses. */
export type Implementation = 'native' | 'ours'

/** What the page offers the tests. */
export interface Harness {
  /** The EventSource of `implementation`: native, or ours from /dist/index.js. */
  load(implementation: Implementation): Promise<SourceConstructor>
  /** Runs `spec` with `implementation` and returns the transcript. */
  run(implementation: Implementation, spec: RunSpec): Promise<RunResult>
}

// A variable specifier: the bundler leaves it alone and the page's import map resolves the
// bare `eventsource-parser` import inside dist/index.js.
const distEntry = '/dist/index.js'

async function load(implementation: Implementation): Promise<SourceConstructor> {
  if (implementation === 'native') return globalThis.EventSource
  const module = (await import(/* @vite-ignore */ distEntry)) as typeof import('../../src/index.js')
  return module.EventSource
}

const harness: Harness = {
  load,
  run: async (implementation, spec) => runTranscript(await load(implementation), spec),
}

Object.assign(globalThis, {harness})
