import {random} from '../helpers.js'

// The log a replaying server serves: N numbered events with ids "1".."N", each a named event with
// one or two data lines of mixed 1- to 4-byte UTF-8 characters and random line endings, so that
// cutting the stream at a random byte lands mid-line, mid-event, mid-character or between events.

/** One event of the log, and the bytes of its block in the stream. */
export interface LoggedEvent {
  readonly id: string
  readonly type: string
  readonly data: string
  readonly bytes: Uint8Array
}

const WORDS = ['tick', 'é', '€', '日本', '𝄞', '😀', 'ascii', ' ', 'ü', '∑']
const LINE_ENDINGS = ['\n', '\r\n', '\r']

/** N events, the same for the same seed. */
export function eventLog(count: number, seed: number): LoggedEvent[] {
  const next = random(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T
  const encoder = new TextEncoder()
  return Array.from({length: count}, (_, i) => {
    const id = String(i + 1)
    const lines = Array.from({length: next() < 0.3 ? 2 : 1}, () => Array.from({length: 2 + Math.floor(next() * 12)}, () => pick(WORDS)).join(''))
    const data = `${id}:${lines.join('\n')}`
    const eol = pick(LINE_ENDINGS)
    const dataLines = data.split('\n').map((line) => `data: ${line}${eol}`)
    return {id, type: 'tick', data, bytes: encoder.encode(`id: ${id}${eol}event: tick${eol}${dataLines.join('')}${eol}`)}
  })
}

/** Where a cut lands, relative to the event stream's structure. */
export type CutPlace = 'between-events' | 'mid-event' | 'mid-line' | 'mid-character'

export const CUT_PLACES: readonly CutPlace[] = ['between-events', 'mid-event', 'mid-line', 'mid-character']

/**
 * What a cut before byte `offset` of `bytes` (the blocks of consecutive events, concatenated) splits;
 * `blockStarts` holds the offsets where blocks start.
 */
export function placeOf(bytes: Uint8Array, offset: number, blockStarts: ReadonlySet<number>): CutPlace {
  if (blockStarts.has(offset) || offset === bytes.length) return 'between-events'
  const byte = bytes[offset] as number
  // 10xxxxxx: a continuation byte, inside a multi-byte character.
  if ((byte & 0xc0) === 0x80) return 'mid-character'
  const previous = bytes[offset - 1]
  // A line starts after LF, or after a CR that is not followed by LF (a cut between CR and LF is mid-line).
  const isLineStart = previous === 0x0a || (previous === 0x0d && byte !== 0x0a)
  return isLineStart ? 'mid-event' : 'mid-line'
}
