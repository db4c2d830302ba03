import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {formatEvent, type ServerSentEvent} from '../../src/server/index.js'
import {anyEvent, EDGE_CASES, expectedReadBack, isWritable} from '../server/cases.js'
import {readBack} from '../server/read-back.js'
import {applySplit, encodeSegments, split} from './streams.js'

// formatEvent → bytes → parseEventStream (the EventSource's interpretation) gives back exactly the
// events, ids and retry values written, whatever the chunk boundaries; the only other outcome is a
// TypeError for an event the format cannot carry.

const RUNS = 300

/** Formats each event, or checks that its TypeError was due: returns the written events and the text. */
function write(events: readonly ServerSentEvent[]): {written: ServerSentEvent[]; text: string} {
  const written: ServerSentEvent[] = []
  let text = ''
  for (const event of events) {
    let frame: string
    try {
      frame = formatEvent(event)
    } catch (error) {
      expect(error).toBeInstanceOf(TypeError)
      expect(isWritable(event), `refused a writable event: ${JSON.stringify(event)}`).toBe(false)
      continue
    }
    expect(isWritable(event), `wrote an event the format cannot carry: ${JSON.stringify(event)}`).toBe(true)
    written.push(event)
    text += frame
  }
  return {written, text}
}

describe('formatEvent round trip through parseEventStream', () => {
  it('gives back the same events, ids and retry values under random chunking', async () => {
    let refused = 0
    let total = 0
    await fc.assert(
      fc.asyncProperty(fc.array(anyEvent, {maxLength: 12}), split, async (events, cut) => {
        const {written, text} = write(events)
        total += events.length
        refused += events.length - written.length
        const bytes = encodeSegments([text])
        expect(await readBack(applySplit(bytes, cut))).toEqual(expectedReadBack(written))
      }),
      {numRuns: RUNS},
    )
    // Both outcomes happened: the property saw refused events and written ones.
    expect(refused).toBeGreaterThan(0)
    expect(total - refused).toBeGreaterThan(0)
  }, 60_000)

  it('gives back the same events one byte at a time', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyEvent, {maxLength: 6}), async (events) => {
        const {written, text} = write(events)
        const bytes = encodeSegments([text])
        const bytewise = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1))
        expect(await readBack(bytewise)).toEqual(expectedReadBack(written))
      }),
      {numRuns: 60},
    )
  }, 60_000)

  it('gives back every edge case, or refuses it with a TypeError when the format cannot carry it', async () => {
    for (const {name, event} of EDGE_CASES) {
      const {written, text} = write([event])
      expect(written.length, name).toBe(isWritable(event) ? 1 : 0)
      expect(await readBack(text), name).toEqual(expectedReadBack(written))
    }
  })
})
