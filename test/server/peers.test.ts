import {readFileSync} from 'node:fs'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import type {ServerSentEvent} from '../../src/server/index.js'
import {anyEvent, EDGE_CASES, expectedReadBack, isWritable} from './cases.js'
import {only, ours, PEERS, type Writer} from './peers.js'
import {readBack, type ReadBack} from './read-back.js'

// The same events through our writer and through Hono's streamSSE, better-sse and h3: what does a
// conforming client (parseEventStream) read back? The table in docs/server.md is what this test
// observes (it fails when the two differ).

const RANDOM_LISTS = 300
const SEED = 24

const short = (text: string): string => (text.length > 24 ? `${JSON.stringify(text.slice(0, 12))}… (${text.length})` : JSON.stringify(text))

/** What a client reads, in a few words (only what differs from the written event). */
function describeRead(read: ReadBack, event: ServerSentEvent): string {
  const parts: string[] = []
  if (read.events.length === 0 && event.data !== undefined) parts.push('no event')
  if (read.events.length > 1) parts.push(`${read.events.length} events`)
  const first = read.events[0]
  if (first) {
    if (first.data !== (event.data ?? '').replace(/\r\n?/g, '\n') || event.data === undefined) parts.push(`data ${short(first.data)}`)
    if (first.type !== (event.event || 'message')) parts.push(`type ${short(first.type)}`)
    if (first.id !== event.id) parts.push(first.id === undefined ? 'no id' : `id ${short(first.id)}`)
  } else if (event.id !== undefined && read.lastEventId !== event.id) {
    parts.push(`last event ID ${short(read.lastEventId)}`)
  }
  if (event.retry !== undefined && read.reconnectionTime !== event.retry) parts.push(read.reconnectionTime === undefined ? 'no retry' : `retry ${read.reconnectionTime}`)
  return parts.join(', ') || 'read differently'
}

/** What the client reads from what `writer` wrote, and what it should have read. */
async function readWritten(writer: Writer, events: readonly ServerSentEvent[]): Promise<{read: ReadBack; expected: ReadBack} | 'refused'> {
  const written = await writer.write(events)
  if ('refused' in written) return 'refused'
  const read = await readBack(written.text)
  const decode = written.decodeData
  if (!decode) return {read, expected: expectedReadBack(events)}
  return {read: {...read, events: read.events.map((event) => ({...event, data: decode(event.data)}))}, expected: expectedReadBack(events, {isDataExact: true})}
}

/** The cell of one writer for one edge case. */
async function outcome(writer: Writer, event: ServerSentEvent): Promise<string> {
  if (Object.keys(event).some((key) => !writer.fields.has(key as keyof ServerSentEvent))) return '—'
  const result = await readWritten(writer, [event])
  if (result === 'refused') return 'refused'
  if (isWritable(event) && JSON.stringify(result.read) === JSON.stringify(result.expected)) return 'ok'
  return describeRead(result.read, event)
}

/** Whether a list survived: written and read back exactly, or refused because it held an event the format cannot carry. */
async function survives(writer: Writer, events: readonly ServerSentEvent[]): Promise<boolean> {
  const kept = events.map((event) => only(event, writer.fields))
  const result = await readWritten(writer, kept)
  if (result === 'refused') return !kept.every(isWritable)
  return kept.every(isWritable) && JSON.stringify(result.read) === JSON.stringify(result.expected)
}

async function observe(): Promise<string> {
  const writers = [ours, ...PEERS]
  const rows = [`| input | ${writers.map((writer) => writer.name).join(' | ')} |`, `| --- |${writers.map(() => ' --- |').join('')}`]
  for (const {name, event} of EDGE_CASES) {
    const cells = []
    for (const writer of writers) cells.push(await outcome(writer, event))
    rows.push(`| ${name} | ${cells.join(' | ')} |`)
  }
  const lists = fc.sample(fc.array(anyEvent, {maxLength: 8}), {numRuns: RANDOM_LISTS, seed: SEED})
  const cells = []
  for (const writer of writers) {
    let corrupted = 0
    for (const events of lists) if (!(await survives(writer, events))) corrupted++
    cells.push(`${corrupted} corrupted`)
  }
  rows.push(`| ${RANDOM_LISTS} random event lists (seed ${SEED}) | ${cells.join(' | ')} |`)
  return rows.join('\n')
}

describe('[non-spec] other writers of event streams, same inputs', () => {
  it('matches the table in docs/server.md, and ours reads back every edge case or refuses it', async () => {
    const table = await observe()
    console.log(table)
    const ourColumn = table.split('\n').slice(2, 2 + EDGE_CASES.length).map((row) => row.split(' | ')[1])
    expect(ourColumn.every((cell) => cell === 'ok' || cell === 'refused')).toBe(true)
    expect(table).toContain('| 0 corrupted |')
    const doc = readFileSync(new URL('../../docs/server.md', import.meta.url), 'utf8')
    const recorded = /<!-- peers-table:start -->\n([\s\S]*?)\n?<!-- peers-table:end -->/.exec(doc)?.[1]?.trim()
    expect(recorded, 'docs/server.md: the table between the peers-table markers').toBe(table)
  }, 60_000)
})
