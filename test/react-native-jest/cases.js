// The conformance cases run side by side on eventsource-kit and react-native-sse, in the order of
// the table in docs/react-native.md. Each starts its own loopback server, drives a source opened
// with `open` and returns what the source got wrong, one short sentence per problem.
import {CONNECTION_CASES} from './connection-cases.js'
import {longStream} from './long-stream.js'
import {STREAM_CASES} from './stream-cases.js'

/** @typedef {{name: string, right: string, detail?: string, run: (open: Function) => Promise<string[]>}} Case */

/** @type {Case[]} */
export const CASES = [
  ...STREAM_CASES,
  ...CONNECTION_CASES,
  {
    name: 'bounds responseText over a 20 MiB stream',
    right: 'not in the standard (browsers free what they parsed): on XHR responseText stays under 8 MiB, every event once, no error, OPEN throughout',
    run: longStream,
  },
]
