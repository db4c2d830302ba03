import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {interpretEventStream} from './reference.js'
import {clamped, comparable, transcriptOf} from './run.js'
import {applySplit, eventStream, split} from './streams.js'

// Differential check: generated streams, cut at random places, through eventsource-kit and through
// the reference transcription of the spec's "Interpreting an event stream" (reference.ts): the same
// events (type, data, lastEventId) in the same order, the same last event ID string and the same
// reconnection time at the end.

describe('eventsource-kit against the reference interpretation of the spec', () => {
  it('dispatches what the spec dispatches for generated streams in random chunks', async () => {
    await fc.assert(
      fc.asyncProperty(eventStream(), split, async (bytes, cut) => {
        const ours = await transcriptOf(applySplit(bytes, cut))
        expect(ours.endedWith).toBeUndefined()
        expect(comparable(ours)).toEqual(clamped(interpretEventStream(bytes)))
      }),
      {numRuns: 600},
    )
  })
})
