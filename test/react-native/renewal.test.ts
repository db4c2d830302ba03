// [non-spec] The XHR transport renews its request before `responseText` grows large: at an event
// boundary, with the current Last-Event-ID, unseen by listeners (no error, no second open).
import type {IncomingMessage, ServerResponse} from 'node:http'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {BoundaryScanner, DEFAULT_RENEWAL_LIMIT, setRenewalLimit} from '../../src/core/native/renewal.js'
import {EventSource, type EventSourceErrorEvent, NetworkError} from '../../src/index.js'
import {record, until, useCleanups} from '../helpers.js'
import {FakeXMLHttpRequest, installFakeXhr, randomSplit} from './fake-xhr.js'


const {defer, server} = useCleanups()

beforeEach(() => defer(installFakeXhr()))
afterEach(() => setRenewalLimit(undefined))

function source(url: string): EventSource {
  const created = new EventSource(url)
  defer(() => created.close())
  return created
}

/** Where each boundary the scanner accepts ends, feeding `pieces` one after the other. */
function cuts(pieces: string[], isAtStart = true): number[] {
  const scanner = new BoundaryScanner(isAtStart)
  const found: number[] = []
  let offset = 0
  for (const piece of pieces) {
    for (let start = 0; ; ) {
      const cut = scanner.scan(piece.slice(start))
      if (cut < 0) break
      start += cut
      found.push(offset + start)
    }
    offset += piece.length
  }
  return found
}

describe('[non-spec] the boundary scanner of the renewal', () => {
  it('finds the end of each block that had an id field, with LF, CR and CRLF', () => {
    const text = 'data: a\n\nid: 1\ndata: b\n\ndata: c\r\rid: 2\r\n\r\nid: 3\rdata: d\r\r'
    expect(cuts([text])).toEqual([text.indexOf('data: c'), text.indexOf('id: 3'), text.length])
    // A CRLF split after its CR: the cut comes after the CR (the LF is dropped with the rest of the response).
    expect(cuts([...text])).toEqual([text.indexOf('data: c'), text.indexOf('id: 3') - 1, text.length])
  })

  it('ignores an id field with a NULL (the spec ignores it), and fields that only start like id', () => {
    expect(cuts(['id: a\0b\ndata: x\n\nidx: 1\ndata: y\n\ni\n\nid:2\n\n'])).toEqual([42])
  })

  it('finds no boundary after a block whose id field left the last event ID empty (a request without Last-Event-ID could not resume)', () => {
    // [spec] `id`, `id:` and `id: ` set the last event ID buffer to the empty string; the last id field of a block counts.
    expect(cuts(['id\n\nid:\n\nid: \ndata: x\n\nid: 1\nid:\n\nid:  \n\n'])).toEqual([41])
    expect(cuts(['id:\nid: 2\n\n'])).toEqual([11])
  })

  it('finds no boundary in the line it starts within, nor an id before its first line terminator', () => {
    // Started within `id: 5` (its end `5\n` first): the block may have had more, but no id is assumed.
    expect(cuts(['5\n\ndata: x\n\n\nid: 6\n\n'], false)).toEqual([20])
    expect(cuts(['\n\nid: 1\n\n'], false)).toEqual([9])
  })
})

/** Events 1..count (`id` on every `idEvery`-th), resumed after Last-Event-ID, after `start`; the response stays open. */
function numbered(count: number, idEvery: number, newline = '\n', start = '') {
  return (req: IncomingMessage, res: ServerResponse): void => {
    res.on('error', () => {})
    const after = Number(req.headers['last-event-id'] ?? 0)
    res.writeHead(200, {'content-type': 'text/event-stream'})
    let text = start
    for (let index = after + 1; index <= count; index++) {
      text += `${index % idEvery === 0 ? `id: ${index}${newline}` : ''}data: event ${index}${newline}${newline}`
    }
    res.write(text)
  }
}

const expectedData = (count: number): string[] => Array.from({length: count}, (_, index) => `event ${index + 1}`)

describe('[non-spec] the renewal of the XHR transport', () => {
  for (const [name, split, idEvery, newline] of [
    ['every event with an id, as the chunks came', undefined, 1, '\n'],
    ['an id on every third event, one code unit at a time', (text: string) => text.split(''), 3, '\n'],
    ['CRLF, split at random', 'random', 1, '\r\n'],
  ] as const) {
    it(`delivers every event exactly once across several renewals, without an error or a second open (${name})`, async () => {
      setRenewalLimit(300)
      if (split === 'random') {
        FakeXMLHttpRequest.split = randomSplit(7, 40)
      } else if (split) FakeXMLHttpRequest.split = split
      const count = 150
      const target = await server(numbered(count, idEvery, newline))
      const created = source(target.url)
      const seen = record(created, ['open', 'message', 'error'])
      await until(() => seen.filter((event) => event.type === 'message').length >= count)
      // The renewals before the last event all took place: no event comes twice afterwards either.
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(seen.filter((event) => event.type === 'open')).toHaveLength(1)
      expect(seen.filter((event) => event.type === 'error')).toHaveLength(0)
      const messages = seen.filter((event) => event.type === 'message')
      expect(messages.map((event) => event.data)).toEqual(expectedData(count))
      expect(messages.every((event) => event.readyState === EventSource.OPEN)).toBe(true)
      expect(created.readyState).toBe(EventSource.OPEN)
      expect(target.requests.length).toBeGreaterThanOrEqual(3)
      // Each renewal sent the last event ID the page had seen: one of a block with an id.
      const ids = target.requests.slice(1).map((request) => Number(request.headers['last-event-id']))
      expect(ids).toEqual([...ids].sort((a, b) => a - b))
      expect(ids.every((id) => id % idEvery === 0)).toBe(true)
      expect(FakeXMLHttpRequest.live()).toBe(1)
    })
  }

  it('never renews after a block whose id is empty (the request would have no Last-Event-ID): no event comes twice', async () => {
    setRenewalLimit(300)
    const count = 80
    // An `id: ` field with no value on most events (a template with no id, say), a real id on every fifth.
    const target = await server((req, res) => {
      res.on('error', () => {})
      const after = Number(req.headers['last-event-id'] ?? 0)
      res.writeHead(200, {'content-type': 'text/event-stream'})
      let text = ''
      for (let index = after + 1; index <= count; index++) text += `id: ${index % 5 === 0 ? index : ''}\ndata: event ${index}\n\n`
      res.write(text)
    })
    const created = source(target.url)
    const seen = record(created, ['open', 'message', 'error'])
    await until(() => seen.filter((event) => event.type === 'message').length >= count)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(seen.filter((event) => event.type === 'message').map((event) => event.data)).toEqual(expectedData(count))
    expect(seen.filter((event) => event.type !== 'message').map((event) => event.type)).toEqual(['open'])
    // Each renewal resumed after a real id.
    expect(target.requests.length).toBeGreaterThanOrEqual(2)
    expect(target.requests.slice(1).map((request) => Number(request.headers['last-event-id']) % 5)).toEqual(target.requests.slice(1).map(() => 0))
  })

  it('never renews a stream without ids (it could not resume): no event comes twice', async () => {
    setRenewalLimit(200)
    const count = 100
    const target = await server(numbered(count, Infinity))
    const created = source(target.url)
    const seen = record(created, ['open', 'message', 'error'])
    await until(() => seen.filter((event) => event.type === 'message').length >= count)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(seen.filter((event) => event.type === 'message').map((event) => event.data)).toEqual(expectedData(count))
    expect(target.requests).toHaveLength(1)
  })

  it('renews only past half the limit, even when the whole stream arrives at once (each renewal moves it on)', async () => {
    setRenewalLimit(400)
    const count = 150
    const target = await server(numbered(count, 1))
    const created = source(target.url)
    const seen = record(created, ['message', 'error'])
    await until(() => seen.filter((event) => event.type === 'message').length >= count)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(seen.filter((event) => event.type === 'message').map((event) => event.data)).toEqual(expectedData(count))
    const ids = target.requests.map((request) => Number(request.headers['last-event-id'] ?? 0))
    // Each response carried 150 - id events of about 27 code units: a renewal after 200 of them at least.
    for (let index = 1; index < ids.length; index++) expect((ids[index] as number) - (ids[index - 1] as number)).toBeGreaterThanOrEqual(200 / 27 - 1)
  })

  it('ignores the byte order mark at the start of each renewed response, as at the start of the first', async () => {
    setRenewalLimit(200)
    const count = 60
    const target = await server(numbered(count, 1, '\n', '\uFEFF'))
    const created = source(target.url)
    const seen = record(created, ['message', 'error'])
    await until(() => seen.filter((event) => event.type === 'message').length >= count)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(seen.map((event) => event.data)).toEqual(expectedData(count))
    // Each event's own `id` field was read: the first line of a renewed response too.
    expect(seen.map((event) => event.lastEventId)).toEqual(expectedData(count).map((data) => data.slice('event '.length)))
    expect(target.requests.length).toBeGreaterThanOrEqual(3)
  })

  it('close() while a renewal waits for its headers aborts it: no XMLHttpRequest stays open', async () => {
    setRenewalLimit(100)
    const target = await server((req, res, index) => {
      // The renewal is never answered.
      if (index > 0) return
      numbered(20, 1)(req, res)
    })
    const created = source(target.url)
    await until(() => target.requests.length === 2)
    expect(FakeXMLHttpRequest.live()).toBe(1)
    created.close()
    expect(FakeXMLHttpRequest.live()).toBe(0)
  })

  it('makes a failed renewal an ordinary failure: an error event, then a reconnection with Last-Event-ID', async () => {
    setRenewalLimit(100)
    const target = await server((req, res, index) => {
      if (index === 1) {
        res.writeHead(500, {'content-type': 'text/plain'})
        return res.end('no')
      }
      res.on('error', () => {})
      res.writeHead(200, {'content-type': 'text/event-stream'})
      if (index === 0) res.write('retry: 1\n' + Array.from({length: 20}, (_, i) => `id: ${i + 1}\ndata: ${i + 1}\n\n`).join(''))
      else res.write(`data: resumed after ${req.headers['last-event-id']}\n\n`)
    })
    const created = source(target.url)
    const seen = record(created, ['open', 'message', 'error'])
    const errors: EventSourceErrorEvent[] = []
    created.addEventListener('error', (event) => errors.push(event as EventSourceErrorEvent))
    await until(() => seen.some((event) => event.data?.startsWith('resumed')))
    expect(errors).toHaveLength(1)
    expect(errors[0]?.error).toBeInstanceOf(NetworkError)
    expect(errors[0]?.error?.message).toMatch(/renewed request .* got status 500/)
    expect(errors[0]?.willReconnect).toBe(true)
    const resumed = seen.find((event) => event.data?.startsWith('resumed'))
    const lastBefore = seen.filter((event) => event.type === 'message' && !event.data?.startsWith('resumed')).at(-1)
    expect(resumed?.data).toBe(`resumed after ${lastBefore?.data}`)
    expect(seen.filter((event) => event.type === 'open')).toHaveLength(2)
  })

  it(`keeps responseText below the real limit (${DEFAULT_RENEWAL_LIMIT / 1024 / 1024} MiB) on a 12 MiB stream, every event once`, async () => {
    const payload = 'x'.repeat(1000)
    const count = 12 * 1024
    const target = await server((req, res) => {
      res.on('error', () => {})
      const after = Number(req.headers['last-event-id'] ?? 0)
      res.writeHead(200, {'content-type': 'text/event-stream'})
      // Written in parts of 256 events, as a long stream arrives.
      let index = after + 1
      const writeMore = (): void => {
        let text = ''
        for (const end = Math.min(index + 256, count + 1); index < end; index++) text += `id: ${index}\ndata: ${index} ${payload}\n\n`
        if (text && !res.destroyed) res.write(text, () => setImmediate(writeMore))
      }
      writeMore()
    })
    const created = source(target.url)
    let received = 0
    let isInOrder = true
    let errors = 0
    created.addEventListener('error', () => errors++)
    created.addEventListener('message', (event) => {
      received++
      if (!(event as MessageEvent<string>).data.startsWith(`${received} `)) isInOrder = false
    })
    await until(() => received >= count, 60_000)
    expect(received).toBe(count)
    expect(isInOrder).toBe(true)
    expect(errors).toBe(0)
    expect(target.requests.length).toBeGreaterThanOrEqual(2)
    expect(Math.max(...FakeXMLHttpRequest.records.map((sent) => sent.maxResponseText))).toBeLessThan(DEFAULT_RENEWAL_LIMIT)
  }, 60_000)
})
