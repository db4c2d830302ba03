import {describe, expect, it} from 'vitest'
import {interpretEventStream, splitLines} from './reference.js'

// The reference itself, checked against the examples in the spec's "Server-sent events" section and
// a few edge cases, so that the differential test compares against something known to be right.

const bytes = (text: string) => new TextEncoder().encode(text)
const run = (text: string) => interpretEventStream(bytes(text))
const message = (data: string, lastEventId = '', type = 'message') => ({type, data, lastEventId})

describe('the reference interpretation of an event stream', () => {
  it('spec example: three messages, one of two lines', () => {
    const stream = 'data: This is the first message.\n\ndata: This is the second message, it\ndata: has two lines.\n\ndata: This is the third message.\n\n'
    expect(run(stream).events).toEqual([message('This is the first message.'), message('This is the second message, it\nhas two lines.'), message('This is the third message.')])
  })

  it('spec example: named events', () => {
    const stream = 'event: add\ndata: 73857293\n\nevent: remove\ndata: 2153\n\nevent: add\ndata: 113411\n\n'
    expect(run(stream).events).toEqual([message('73857293', '', 'add'), message('2153', '', 'remove'), message('113411', '', 'add')])
  })

  it('spec example: a comment, ids, an empty id, and a value with two leading spaces', () => {
    const stream = ': test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n'
    const transcript = run(stream)
    expect(transcript.events).toEqual([message('first event', '1'), message('second event', '')])
    expect(transcript.lastEventId).toBe('')
  })

  it('spec example: an empty data line, two empty data lines, and an unfinished last line', () => {
    expect(run('data\n\ndata\ndata\n\ndata:').events).toEqual([message(''), message('\n')])
  })

  it('spec example: "data:test" and "data: test" are the same', () => {
    expect(run('data:test\n\ndata: test\n\n').events).toEqual([message('test'), message('test')])
  })

  it('splits lines on CRLF, CR and LF, and drops an unterminated last line', () => {
    expect(splitLines('a\r\nb\rc\nd\r\re\n\rf')).toEqual(['a', 'b', 'c', 'd', '', 'e', ''])
    expect(splitLines('x\r')).toEqual(['x'])
  })

  it('strips one BOM, keeps a second', () => {
    expect(interpretEventStream(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('data: a\n\n')])).events).toEqual([message('a')])
    expect(run('\uFEFF\uFEFFdata: a\n\ndata: b\n\n').events).toEqual([message('b')])
  })

  it('ignores an id with U+0000, sets the last event ID without data, takes only ASCII-digit retry', () => {
    const transcript = run('id: 1\n\nid: 2\u0000\ndata: a\n\nretry: 12\nretry: 1x\nretry: ٣\n\n')
    expect(transcript.events).toEqual([message('a', '1')])
    expect(transcript.lastEventId).toBe('1')
    expect(transcript.reconnectionTime).toBe(12)
  })

  it('does not dispatch, nor take the id of, an event the stream ends in', () => {
    const transcript = run('id: 1\ndata: a\n\nid: 2\ndata: b\n')
    expect(transcript.events).toEqual([message('a', '1')])
    expect(transcript.lastEventId).toBe('1')
  })
})
