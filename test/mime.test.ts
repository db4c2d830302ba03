import {describe, expect, it} from 'vitest'
import {extractMimeEssence} from '../src/core/mime.js'

describe('extracting the MIME type essence (Fetch "extract a MIME type")', () => {
  const cases: Array<[string | null, string | null]> = [
    [null, null],
    ['', null],
    ['text/event-stream', 'text/event-stream'],
    [' Text/Event-Stream ; charset=UTF-8', 'text/event-stream'],
    ['text/event-stream;a="x,y", ', 'text/event-stream'],
    ['text/html, text/event-stream', 'text/event-stream'],
    ['text/event-stream, */*', 'text/event-stream'],
    ['text/event-stream, text/plain', 'text/plain'],
    ['text/event-stream, nonsense', 'text/event-stream'],
    ['text /event-stream', null],
    ['text/event stream', null],
    ['/event-stream', null],
    ['text/', null],
    // [spec] only trailing whitespace is removed from the subtype
    ['text/ event-stream', null],
    ['text/event-stream\t ;charset=utf-8', 'text/event-stream'],
    ['text/event-stream;x="\\"", text/"', 'text/event-stream'],
  ]
  it.for(cases)('%j → %j', ([input, essence]) => {
    expect(extractMimeEssence(input)).toBe(essence)
  })
})
