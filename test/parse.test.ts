import {describe, expect, it} from 'vitest'
import {bytesOf, SPLITS, type Split, splitBytes, transcribe} from './helpers.js'

// [spec] "Parsing an event stream" and "Interpreting an event stream", case by case. Every case runs
// with the whole stream in one chunk, one byte at a time, and in 25 seeded random splits.

interface Case {
  name: string
  stream: string | Uint8Array
  /** [type, data, lastEventId] of each dispatched MessageEvent, in order. */
  events: Array<[string, string, string]>
  lastEventId?: string
  reconnectionTime?: number
}

const TYPES = ['message', 'tick', 'x', ' x', 'open', 'foo', 'Message']

const cases: Case[] = [
  {name: 'dispatches a data line on a blank line', stream: 'data: hello\n\n', events: [['message', 'hello', '']]},
  {name: 'joins data lines with LF', stream: 'data: a\ndata: b\n\n', events: [['message', 'a\nb', '']]},
  {name: 'accepts CR line endings', stream: 'data: a\rdata: b\r\r', events: [['message', 'a\nb', '']]},
  {name: 'accepts CRLF line endings', stream: 'data: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n', events: [['message', 'a\nb', ''], ['message', 'c', '']]},
  {name: 'accepts mixed line endings', stream: 'data: a\r\ndata: b\rdata: c\n\r\n', events: [['message', 'a\nb\nc', '']]},
  {name: 'treats CR CR as two line endings', stream: 'data: a\r\rdata: b\r\n\r\n', events: [['message', 'a', ''], ['message', 'b', '']]},
  {name: 'treats LF CR as two line endings', stream: 'data: a\n\rdata: b\n\n', events: [['message', 'a', ''], ['message', 'b', '']]},
  {name: 'strips exactly one leading space of a value', stream: 'data:  two\ndata:none\n\n', events: [['message', ' two\nnone', '']]},
  {name: 'keeps colons after the first', stream: 'data: a:b\ndata::c\n\n', events: [['message', 'a:b\n:c', '']]},
  {name: 'takes a line without a colon as a field with an empty value', stream: 'data\n\ndata\ndata\n\n', events: [['message', '', ''], ['message', '\n', '']]},
  {name: 'ignores comments', stream: ': hi\n:\ndata: x\n: between\n\n:only a comment\n\n', events: [['message', 'x', '']]},
  {name: 'ignores unknown fields', stream: 'foo: bar\nDATA: no\nData: no\ndata : no\ndata: yes\n\n', events: [['message', 'yes', '']]},
  {name: 'dispatches nothing for an empty data buffer', stream: 'event: x\n\nid\n\n\n\n', events: []},
  {name: 'resets the event type after each dispatch', stream: 'event: x\n\ndata: 1\n\nevent: tick\ndata: 2\n\ndata: 3\n\n', events: [['message', '1', ''], ['tick', '2', ''], ['message', '3', '']]},
  {name: 'uses the last event field and keeps its spaces', stream: 'event: tick\nevent:  x\ndata: 1\n\n', events: [[' x', '1', '']]},
  {name: 'uses message when the event field is empty', stream: 'event: tick\nevent:\ndata: 1\n\n', events: [['message', '1', '']]},
  {name: 'compares event types literally', stream: 'event: Message\ndata: 1\n\nevent: open\ndata: 2\n\n', events: [['Message', '1', ''], ['open', '2', '']]},
  {name: 'removes only one trailing LF of the data buffer', stream: 'data: a\ndata\n\ndata:\ndata\n\n', events: [['message', 'a\n', ''], ['message', '\n', '']]},
  {name: 'keeps NUL and other control characters in data', stream: 'data: a\u0000b\u0001\tc\n\n', events: [['message', 'a\u0000b\u0001\tc', '']]},
  {name: 'sets the last event ID for this and later events', stream: 'id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\n', events: [['message', 'a', '1'], ['message', 'b', '1'], ['message', 'c', '2']], lastEventId: '2'},
  {name: 'resets the last event ID on an empty id', stream: 'id: 1\ndata: a\n\nid\ndata: b\n\nid: 3\n\nid:\ndata: c\n\n', events: [['message', 'a', '1'], ['message', 'b', ''], ['message', 'c', '']], lastEventId: ''},
  {name: 'ignores an id containing U+0000', stream: 'id: 1\ndata: a\n\nid: 2\u00003\ndata: b\n\n', events: [['message', 'a', '1'], ['message', 'b', '1']], lastEventId: '1'},
  {name: 'sets the last event ID from an id-only block', stream: 'id: 7\n\ndata: a\n\n', events: [['message', 'a', '7']], lastEventId: '7'},
  {name: 'keeps spaces inside and after an id', stream: 'id:  a b \ndata: x\n\n', events: [['message', 'x', ' a b ']], lastEventId: ' a b '},
  {name: 'takes the last id of a block', stream: 'id: 1\nid: 2\ndata: x\n\n', events: [['message', 'x', '2']], lastEventId: '2'},
  {name: 'discards an incomplete event at the end of the stream', stream: 'data: a\n\nid: 9\ndata: b\n', events: [['message', 'a', '']], lastEventId: ''},
  {name: 'discards an unterminated last line', stream: 'data: a\n\ndata: b', events: [['message', 'a', '']]},
  {name: 'sets the reconnection time from retry', stream: 'retry: 1234\ndata: a\n\n', events: [['message', 'a', '']], reconnectionTime: 1234},
  {name: 'ignores retry values that are not all ASCII digits', stream: 'retry: 12\nretry: 1x\nretry: -5\nretry: 1.5\nretry:\nretry:  7\nretry: ٣\n\n', events: [], reconnectionTime: 12},
  {name: 'applies retry even without a dispatch', stream: 'retry: 50\n', events: [], reconnectionTime: 50},
  {name: 'strips one leading BOM', stream: '\uFEFFdata: a\n\n', events: [['message', 'a', '']]},
  {name: 'keeps a second leading BOM, making the first line unknown', stream: '\uFEFF\uFEFFdata: a\n\ndata: b\n\n', events: [['message', 'b', '']]},
  {name: 'keeps a BOM that is not at the start', stream: 'data: a\n\n\uFEFFdata: b\n\ndata: \uFEFFc\n\n', events: [['message', 'a', ''], ['message', '\uFEFFc', '']]},
  {name: 'decodes multi-byte UTF-8', stream: 'data: héllo € 𝄞 日本\nid: ñ\n\n', events: [['message', 'héllo € 𝄞 日本', 'ñ']], lastEventId: 'ñ'},
  {
    name: 'replaces invalid UTF-8 with U+FFFD',
    stream: new Uint8Array([...bytesOf('data: a'), 0xff, 0xfe, ...bytesOf('b'), 0xe2, 0x82, ...bytesOf('\n\n')]),
    events: [['message', 'a\uFFFD\uFFFDb\uFFFD', '']],
  },
  {name: 'does not decode raw BOM-like characters as a BOM', stream: 'ï»¿data: a\n\ndata: b\n\n', events: [['message', 'b', '']]},
  {name: 'strips a leading space but not a leading tab', stream: 'data:\ttab\ndata: \tboth\n\n', events: [['message', '\ttab\n\tboth', '']]},
  {
    name: 'parses field names exactly (mixed endings, NULs, near-misses)',
    stream: 'data:\0\ndata:  2\rData:1\ndata\0:2\ndata:1\r\0data:4\nda-ta:3\rdata_5\ndata:3\rdata:\r\n data:32\ndata:4\n\n',
    events: [['message', '\0\n 2\n1\n3\n\n4', '']],
  },
  {
    name: 'handles comments and blank lines between CR, LF and CRLF',
    stream: 'data:1\r:\0\n:\r\ndata:2\n:\0\n\r\rdata:3\n:data:fail\r:\n\r\n\ndata:4\n\n',
    events: [['message', '1\n2', ''], ['message', '3', ''], ['message', '4', '']],
  },
  {name: 'reads retry with leading zeros', stream: 'retry: 0300\n\n', events: [], reconnectionTime: 300},
  {name: 'keeps a long line intact', stream: `data: ${'x'.repeat(100_000)}\n\n`, events: [['message', 'x'.repeat(100_000), '']]},
]

function describeSplit(split: Split): string {
  return split.kind === 'random' ? `random split #${split.seed}` : split.kind === 'bytes' ? 'one byte at a time' : 'one chunk'
}

describe('parsing an event stream', () => {
  for (const testCase of cases) {
    describe(testCase.name, () => {
      const bytes = bytesOf(testCase.stream)
      // The 100 kB line one byte at a time is slow and adds nothing over the random splits.
      const splits = bytes.length > 10_000 ? SPLITS.filter((split) => split.kind !== 'bytes') : SPLITS
      it.for(splits.map((split) => [describeSplit(split), split] as const))('%s', async ([, split]) => {
        const result = await transcribe(splitBytes(bytes, split), TYPES)
        const events = result.seen.filter((seen) => seen.data !== undefined).map((seen) => [seen.type, seen.data, seen.lastEventId])
        expect(events).toEqual(testCase.events)
        if (testCase.lastEventId !== undefined) expect(result.lastEventId).toBe(testCase.lastEventId)
        expect(result.reconnectionTime).toBe(testCase.reconnectionTime ?? 3000)
      })
    })
  }
})
