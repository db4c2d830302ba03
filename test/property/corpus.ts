import {encodeSegments, INVALID_UTF8} from './streams.js'

// A fixed, representative event stream (about 1 KB) with one of everything the parser must get right
// whatever the chunk boundaries: a BOM, every line ending (CRLF split by a cut, CR CR, LF CR), every
// field, fields without a colon, comments, unknown fields, spaces after the colon, ids with U+0000,
// empty ids, retry values good and bad, 2-, 3- and 4-byte UTF-8, invalid UTF-8, a BOM inside, an
// event type named like the built-in events, an empty data line, and an unfinished event at the end.

const [strayContinuation, truncated2, , truncated4] = INVALID_UTF8

export const CORPUS: Uint8Array = encodeSegments([
  '\uFEFF',
  ': a comment first\n',
  'data: plain\n\n',
  'data:no space\r\ndata:  two spaces\r\n\r\n',
  'event: tick\rdata: CR only\r\r',
  'id: 1\ndata: with id\n\n',
  'data: keeps id 1\n\n',
  'id\ndata: empty id from a field without colon\n\n',
  'id: 2\u00003\ndata: id with NUL is ignored\n\n',
  'id:  spaced id \ndata\ndata\n\n',
  'retry: 1500\nretry: 15x\nretry: -1\nretry:  20\nretry: ٣\n\n',
  'event: error\ndata: a message named error\n\n',
  'event: open\nevent:\ndata: empty event resets to message\n\n',
  'data: é € 日本 𝄞 😀 mixed widths\n\n',
  'data: invalid ',
  strayContinuation ?? new Uint8Array(),
  ' and ',
  truncated2 ?? new Uint8Array(),
  ' and ',
  truncated4 ?? new Uint8Array(),
  ' end\n\n',
  'data: \uFEFF inner BOM kept\n\n',
  'Data: wrong case\nfoo: unknown\ndata : space before colon\n\n',
  'data: a:b::c\ndata::leading colon\n\n',
  'data: x\n\r',
  'data: LF then CR\n\n',
  'event: \u0000nul\ndata: \u0000\u0001\t\n\n',
  ':\n:\r\n\n\n\r\r\n',
  `data: ${'long '.repeat(60)}\n\n`,
  'id: 9\nevent: tail\ndata: never dispatched',
])
