import {describe, expect, it} from 'vitest'
import {CORPUS} from './corpus.js'
import {interpretEventStream} from './reference.js'
import {clamped, comparable, transcriptOf} from './run.js'

// [spec] Chunk-boundary invariance on a fixed, representative stream (corpus.ts): one byte at a time,
// and with a one-byte chunk at every position (so every byte boundary is cut, alone and in pairs),
// always the reference transcript.

describe('a fixed corpus cut everywhere', () => {
  const expected = clamped(interpretEventStream(CORPUS))

  it('is representative: it dispatches events of several types, with ids', () => {
    expect(expected.events.length).toBeGreaterThan(15)
    expect(new Set(expected.events.map((event) => event.type))).toEqual(new Set(['message', 'tick', 'error', '\u0000nul']))
    expect(new Set(expected.events.map((event) => event.lastEventId))).toEqual(new Set(['', '1', ' spaced id ']))
    expect(expected.reconnectionTime).toBe(1500)
  })

  it('one byte at a time', async () => {
    const bytes = Array.from(CORPUS, (_, i) => CORPUS.subarray(i, i + 1))
    expect(comparable(await transcriptOf(bytes))).toEqual(expected)
  })

  it('with a one-byte chunk at every position', async () => {
    for (let i = 0; i < CORPUS.length; i++) {
      const chunks = [CORPUS.subarray(0, i), CORPUS.subarray(i, i + 1), CORPUS.subarray(i + 1)]
      const ours = comparable(await transcriptOf(chunks))
      // Only build the message when it fails: toEqual on every position would be slow.
      if (JSON.stringify(ours) !== JSON.stringify(expected)) expect(ours, `one-byte chunk at ${i}`).toEqual(expected)
    }
    console.log(`corpus: ${CORPUS.length} bytes, ${expected.events.length} events, a one-byte chunk at each of the ${CORPUS.length} positions`)
  })
})
