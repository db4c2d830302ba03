// The cases about what a source makes of the stream it reads: parsing across any chunking, fields,
// comments, BOM, line endings, lastEventId, named events, and the source as an EventTarget. Each
// returns what the source got wrong against the standard, one short sentence per problem.
import {compareEvents} from './clients.js'
import {randomFrom, splitRandomly} from './random.js'
import {pause, startServer, startStream, until, writeEach} from './server.js'

// Fields, comments, multi-line data, a named event with an id, and characters of 2, 3 and 4 bytes.
const PARSING_STREAM =
  ': a comment\n' +
  'data: héllo wörld 😀\n' +
  'data:  two spaces\n' +
  '\n' +
  'event: update\n' +
  'data: 日本語\n' +
  'id: 42\n' +
  '\n' +
  'data:no space\n' +
  '\n'
const PARSING_EVENTS = [
  {type: 'message', data: 'héllo wörld 😀\n two spaces'},
  {type: 'update', data: '日本語', lastEventId: '42'},
  {type: 'message', data: 'no space', lastEventId: '42'},
]

/** A case whose server sends `text` (in pieces from `split`) and keeps the stream open; compares the events. */
function streamCase(text, expected, {split = (bytes) => [bytes], types = []} = {}) {
  return async (open) => {
    const server = await startServer(async (_request, response) => {
      startStream(response)
      await writeEach(response, split(Buffer.from(text, 'utf8')))
    })
    try {
      const client = await open(server.url, {types})
      await until(() => client.log.events.length >= expected.length, `${expected.length} events`, 2_000).catch(() => {})
      await pause(50)
      client.close()
      return compareEvents(client.log.events, expected)
    } finally {
      await server.close()
    }
  }
}

const seed = Number(process.env.RN_SEED ?? Date.now() % 1_000_000)

/** @type {import('./cases.js').Case[]} */
export const STREAM_CASES = [
  {
    name: 'parses a stream in one chunk',
    right: 'fields, comments, multi-line data, named events, ids, one leading space removed',
    run: streamCase(PARSING_STREAM, PARSING_EVENTS, {types: ['update']}),
  },
  {
    name: 'parses a stream split at random places, inside UTF-8 characters too',
    detail: `seed ${seed}, RN_SEED=${seed} replays it`,
    right: 'the same events whatever the chunking',
    run: streamCase(PARSING_STREAM, PARSING_EVENTS, {types: ['update'], split: (bytes) => splitRandomly(bytes, randomFrom(seed))}),
  },
  {
    name: 'parses a stream sent one byte at a time',
    right: 'the same events whatever the chunking',
    run: streamCase(PARSING_STREAM, PARSING_EVENTS, {types: ['update'], split: (bytes) => [...bytes].map((byte) => Uint8Array.of(byte))}),
  },
  {
    name: 'gives lastEventId "" before any id',
    right: 'an event before any `id:` has lastEventId "" (the empty string); `id:` with no value resets it to ""',
    run: streamCase('data: a\n\nid: 5\ndata: b\n\nid\ndata: c\n\n', [
      {type: 'message', data: 'a', lastEventId: ''},
      {type: 'message', data: 'b', lastEventId: '5'},
      {type: 'message', data: 'c', lastEventId: ''},
    ]),
  },
  {
    name: 'is an EventTarget',
    right: 'the source is an EventTarget (addEventListener with options, dispatchEvent) with on… handler properties',
    run: async (open) => {
      const server = await startServer(async (_request, response) => {
        startStream(response)
        await writeEach(response, ['data: a\n\n', 'data: b\n\n'])
      })
      try {
        const client = await open(server.url)
        const {source} = client
        const problems = []
        // Where the platform has an EventTarget (React Native 0.86+), the source must be one; before, it must act as one.
        const hasMethods = ['addEventListener', 'removeEventListener', 'dispatchEvent'].every((name) => typeof source[name] === 'function')
        const isInstance = typeof globalThis.EventTarget !== 'function' || source instanceof globalThis.EventTarget
        if (!hasMethods || !isInstance) problems.push(`not an EventTarget${hasMethods ? '' : ' (no dispatchEvent())'}`)
        const once = []
        source.addEventListener?.('message', (event) => once.push(event.data), {once: true})
        const handled = []
        source.onmessage = (event) => handled.push(event.data)
        await until(() => client.log.events.length >= 2, '2 events', 2_000).catch(() => problems.push('not 2 events'))
        client.close()
        if (once.join() !== 'a') problems.push(`a {once: true} listener got ${JSON.stringify(once)}`)
        if (handled.join() !== 'a,b') problems.push(`onmessage got ${JSON.stringify(handled)}`)
        return problems
      } finally {
        await server.close()
      }
    },
  },
  {
    name: 'dispatches named events to their listeners',
    right: '`event:` sets the type; a listener for that type gets it, `message` listeners do not',
    run: streamCase('event: ping\ndata: 1\n\ndata: 2\n\n', [
      {type: 'ping', data: '1'},
      {type: 'message', data: '2'},
    ], {types: ['ping']}),
  },
  {
    name: 'ignores comments',
    right: 'a line starting with a colon is ignored, even between the lines of an event',
    run: streamCase(': first\n\n:\ndata: a\n: inside\ndata: b\n\n', [{type: 'message', data: 'a\nb'}]),
  },
  {
    name: 'matches field names exactly',
    right: 'unknown fields (`eventually`, `identity`, `datum`) are ignored, not read as `event`, `id`, `data`',
    run: streamCase('eventually: x\nidentity: 9\ndata: a\ndatum: b\n\n', [{type: 'message', data: 'a'}]),
  },
  {
    name: 'keeps spaces in values',
    right: 'only one space after the colon is removed; the rest of the value is kept as sent',
    run: streamCase('data:   three\ndata: trailing  \n\n', [{type: 'message', data: '  three\ntrailing  '}]),
  },
  {
    name: 'skips one leading BOM only',
    right: 'a BOM at the start of the stream is skipped; one later is part of a field name',
    run: streamCase('\uFEFFdata: a\n\n\uFEFFdata: b\n\ndata: c\n\n', [
      {type: 'message', data: 'a'},
      {type: 'message', data: 'c'},
    ]),
  },
  {
    name: 'parses CRLF line endings',
    right: 'CRLF ends a line',
    run: streamCase('data: a\r\n\r\nid: 3\r\ndata: b\r\n\r\n', [
      {type: 'message', data: 'a'},
      {type: 'message', data: 'b', lastEventId: '3'},
    ]),
  },
  {
    name: 'parses CR, LF and CRLF mixed in one stream',
    right: 'CR, LF and CRLF all end a line, mixed in one stream',
    run: streamCase('data: a\r\n\r\ndata: b\n\ndata: c\r\rdata: d\n\n', [
      {type: 'message', data: 'a'},
      {type: 'message', data: 'b'},
      {type: 'message', data: 'c'},
      {type: 'message', data: 'd'},
    ]),
  },
]
