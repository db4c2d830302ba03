// The page's entry (/bundles/page.js): puts the transcript harness on `globalThis.harness`, where
// `page.evaluate` reaches it. Ours is the built dist/, loaded as an app would load the package.
import {type Entry, type RunResult, type RunSpec, record, runTranscript, type SourceConstructor, type SourceLike} from './transcript.js'

/** Our EventSource class, as dist/index.js exports it. */
export type Ours = typeof import('../../src/index.js').EventSource

/** Which EventSource a run uses. */
export type Implementation = 'native' | 'ours'

/** What the page offers the tests. */
export interface Harness {
  /** The EventSource of `implementation`: native, or ours from /dist/index.js. */
  load(implementation: Implementation): Promise<SourceConstructor>
  /** Runs `spec` with `implementation` and returns the transcript. */
  run(implementation: Implementation, spec: RunSpec): Promise<RunResult>
  /** Our EventSource with all its options, from /dist/index.js. */
  ours(): Promise<Ours>
  /** Runs `spec` with any constructor (say, ours with options bound). */
  runTranscript(Source: SourceConstructor, spec: RunSpec): Promise<RunResult>
  /** Records the events of `source` as they come, into the returned array. */
  record(source: SourceLike, types?: readonly string[]): Entry[]
}

/** What a test's `page.evaluate` callback finds on `globalThis` (cast to it: types only, no import at run time). */
export interface PageGlobals {
  harness: Harness
  /** A source a test keeps running across several `page.evaluate` calls, and its events so far. */
  live?: {source: InstanceType<Ours>; entries: Entry[]}
  /** Set by the visibility test: makes the page look hidden or visible and fires `visibilitychange`. */
  setVisibility?: (state: 'visible' | 'hidden') => void
}

// A variable specifier: the bundler leaves it alone and the page's import map resolves the
// bare `eventsource-parser` import inside dist/browser/index.js (the `browser` export condition's build).
const distEntry = '/dist/browser/index.js'

async function ours(): Promise<Ours> {
  const module = (await import(/* @vite-ignore */ distEntry)) as typeof import('../../src/index.js')
  return module.EventSource
}

async function load(implementation: Implementation): Promise<SourceConstructor> {
  return implementation === 'native' ? globalThis.EventSource : ours()
}

const harness: Harness = {
  load,
  run: async (implementation, spec) => runTranscript(await load(implementation), spec),
  ours,
  runTranscript,
  record,
}

Object.assign(globalThis, {harness})
