import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {comparable, transcriptOf} from './run.js'
import {applySplit, eventStream, split} from './streams.js'

// [spec] "Interpreting an event stream" does not depend on how the bytes arrive: the events
// (type, data, lastEventId), their order, the final last event ID string and reconnection time are
// the same whatever the chunk boundaries: generated streams, each in one chunk and in 8 random
// splits (corpus.test.ts cuts a fixed stream at every byte).

const STREAMS = 250
const SPLITS_PER_STREAM = 8

describe('chunk-boundary invariance', () => {
  it('gives the same transcript for a stream in one chunk and in random chunks', async () => {
    let splits = 0
    await fc.assert(
      fc.asyncProperty(eventStream(), fc.array(split, {minLength: SPLITS_PER_STREAM, maxLength: SPLITS_PER_STREAM}), async (bytes, cuts) => {
        const whole = comparable(await transcriptOf([bytes]))
        for (const cut of cuts) {
          splits++
          expect(comparable(await transcriptOf(applySplit(bytes, cut)))).toEqual(whole)
        }
      }),
      {numRuns: STREAMS},
    )
    console.log(`chunk-boundary invariance: ${splits} random splits of ${STREAMS} generated streams`)
    // CPU-bound (about 4 s alone): room for a machine busy with other suites.
  }, 60_000)
})
