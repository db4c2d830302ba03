import {describe, expect, it} from 'vitest'
import {formatEvent, type ServerSentEvent} from '../../src/server/index.js'
import {readBack} from './read-back.js'

describe('formatEvent', () => {
  it('writes the fields of an event and the blank line that dispatches it', () => {
    expect(formatEvent({event: 'update', id: '7', retry: 1500, data: 'hello'})).toBe('event: update\nid: 7\nretry: 1500\ndata: hello\n\n')
  })

  it('splits data on LF, CR and CRLF into one data line each', () => {
    expect(formatEvent({data: 'a\nb\rc\r\nd'})).toBe('data: a\ndata: b\ndata: c\ndata: d\n\n')
  })

  it('writes an empty data string as one empty data line, and a trailing line break as an empty last line', async () => {
    expect(formatEvent({data: ''})).toBe('data:\n\n')
    expect(formatEvent({data: 'a\n'})).toBe('data: a\ndata:\n\n')
    expect((await readBack(formatEvent({data: ''}) + formatEvent({data: 'a\n'}))).events.map((event) => event.data)).toEqual(['', 'a\n'])
  })

  it('keeps a leading space: the parser strips exactly the one after the colon', async () => {
    const text = formatEvent({event: ' spaced', id: '  1', data: ' one\n  two'})
    expect(text).toBe('event:  spaced\nid:   1\ndata:  one\ndata:   two\n\n')
    const {events} = await readBack(text)
    expect(events).toEqual([{type: ' spaced', data: ' one\n  two', id: '  1', lastEventId: '  1'}])
  })

  it('splits a comment into comment lines that clients ignore', async () => {
    const text = formatEvent({comment: 'keep\r\nalive\n', data: 'x'})
    expect(text).toBe(': keep\n: alive\n:\ndata: x\n\n')
    expect((await readBack(text)).events.map((event) => event.data)).toEqual(['x'])
  })

  it('writes an empty id as the line that resets the last event ID', async () => {
    expect(formatEvent({id: ''})).toBe('id:\n\n')
    const {events, lastEventId} = await readBack(formatEvent({id: '5', data: 'a'}) + formatEvent({id: '', data: 'b'}))
    expect(events.map((event) => event.lastEventId)).toEqual(['5', ''])
    expect(lastEventId).toBe('')
  })

  it('leaves out an empty event type (it dispatches as "message" either way)', () => {
    expect(formatEvent({event: '', data: 'a'})).toBe('data: a\n\n')
  })

  it('returns an empty string for an event without fields', () => {
    expect(formatEvent({})).toBe('')
    expect(formatEvent({data: undefined})).toBe('')
  })

  it('keeps NUL, U+FEFF and U+2028 in data and event types', async () => {
    const {events} = await readBack(formatEvent({event: 'a\0b', data: '\uFEFFx\0\u2028y'}))
    expect(events).toEqual([{type: 'a\0b', data: '\uFEFFx\0\u2028y', id: undefined, lastEventId: ''}])
  })

  it.each([
    ['event', {event: 'a\nb'}, /event must not contain CR or LF/],
    ['event', {event: 'a\rb'}, /event must not contain CR or LF/],
    ['id', {id: 'a\r\nb'}, /id must not contain CR or LF/],
    ['id', {id: 'a\0b'}, /id must not contain NUL/],
    ['retry', {retry: -1}, /retry must be a whole number/],
    ['retry', {retry: 1.5}, /retry must be a whole number/],
    ['retry', {retry: Number.NaN}, /retry must be a whole number/],
    ['retry', {retry: Infinity}, /retry must be a whole number/],
    ['retry', {retry: 1e21}, /retry must be a whole number/],
    ['retry', {retry: '10'}, /retry must be a whole number/],
    ['data', {data: 5}, /data must be a string, got number/],
    ['comment', {comment: null}, /comment must be a string, got null/],
    ['an unknown field', {date: 'x'}, /unknown field "date"/],
  ])('throws a TypeError naming the field for a bad %s', (_, event, message) => {
    expect(() => formatEvent(event as ServerSentEvent)).toThrow(TypeError)
    expect(() => formatEvent(event as ServerSentEvent)).toThrow(message)
  })

  it('throws a TypeError for an event that is not an object', () => {
    expect(() => formatEvent(null as never)).toThrow(TypeError)
    expect(() => formatEvent('data' as never)).toThrow(/must be an object/)
  })

  it('writes retry 0 and reads it back', async () => {
    expect(formatEvent({retry: 0})).toBe('retry: 0\n\n')
    expect((await readBack(formatEvent({retry: 0}))).reconnectionTime).toBe(0)
  })
})
