import {iterate} from '../src/iterate/index.js'
import {describe, expect, it} from 'vitest'
import {EventSource, HttpError} from '../src/index.js'
import {bytesOf, fakeFetch, sse, streamResponse, until, useCleanups} from './helpers.js'

const {server} = useCleanups()

describe('[non-spec] for await (const event of iterate(source))', () => {
  it('yields every MessageEvent of any type, in order, as the listeners see them', async () => {
    const {fetch} = fakeFetch(() => streamResponse([bytesOf('data: 1\n\nevent: tick\ndata: 2\n\nid: 7\ndata: 3\n\n')]))
    const source = new EventSource<'tick'>('http://127.0.0.1:9/', {fetch})
    const heard: Event[] = []
    source.onmessage = (event) => heard.push(event)
    source.addEventListener('tick', (event) => heard.push(event))
    const yielded: MessageEvent<string>[] = []
    for await (const event of iterate(source)) {
      yielded.push(event)
      if (yielded.length === 3) break
    }
    expect(yielded.map((event) => [event.type, event.data, event.lastEventId])).toEqual([
      ['message', '1', ''],
      ['tick', '2', ''],
      ['message', '3', '7'],
    ])
    expect(yielded).toEqual(heard)
    expect(yielded[0]).toBe(heard[0])
  })

  it('closes the source when the loop is left with break', async () => {
    let socketClosed = false
    const target = await server((req, res) => {
      res.writeHead(200, {'content-type': 'text/event-stream'})
      res.write('data: first\n\n')
      req.socket.on('close', () => {
        socketClosed = true
      })
    })
    const source = new EventSource(target.url)
    for await (const event of iterate(source)) {
      expect(event.data).toBe('first')
      break
    }
    expect(source.readyState).toBe(EventSource.CLOSED)
    await until(() => socketClosed)
  })

  it('throws the EventSourceError of a failed connection after the events before it', async () => {
    const target = await server((_req, res, index) => {
      if (index === 0) return sse(res, 'retry: 1\ndata: a\n\ndata: b\n\n')
      res.writeHead(500, {'content-type': 'text/plain'})
      res.end('overloaded')
    })
    const source = new EventSource(target.url)
    const data: string[] = []
    const thrown = await (async () => {
      try {
        for await (const event of iterate(source)) data.push(event.data)
      } catch (error) {
        return error
      }
    })()
    expect(data).toEqual(['a', 'b'])
    expect(thrown).toBeInstanceOf(HttpError)
    expect((thrown as HttpError).status).toBe(500)
    expect((thrown as HttpError).body).toBe('overloaded')
  })

  it('ends normally on close(), after the events already dispatched', async () => {
    const {fetch} = fakeFetch(() => streamResponse([bytesOf('data: 1\n\ndata: 2\n\n')]))
    const source = new EventSource('http://127.0.0.1:9/', {fetch})
    source.addEventListener('message', (event) => {
      if (event.data === '2') source.close()
    })
    const data: string[] = []
    for await (const event of iterate(source)) {
      data.push(event.data)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    expect(data).toEqual(['1', '2'])
  })

  it('is done at once on a closed source', async () => {
    const source = new EventSource('http://127.0.0.1:9/', {fetch: fakeFetch(() => streamResponse([])).fetch})
    source.close()
    const iterator = iterate(source)
    expect(await iterator.next()).toEqual({value: undefined, done: true})
  })

  it('queues events for a slow consumer without losing any, pausing the network read when full', async () => {
    const total = 5000
    const target = await server((_req, res) => {
      res.writeHead(200, {'content-type': 'text/event-stream'})
      let i = 0
      const write = (): void => {
        while (i < total) {
          const ok = res.write(`id: ${i}\ndata: ${'x'.repeat(40)} ${i}\n\n`)
          i++
          if (!ok) return void res.once('drain', write)
        }
        res.end()
      }
      write()
    })
    const source = new EventSource(target.url)
    let dispatched = 0
    let mostAhead = 0
    source.addEventListener('message', () => dispatched++)
    const seen: number[] = []
    for await (const event of iterate(source)) {
      seen.push(Number(event.data.split(' ')[1]))
      mostAhead = Math.max(mostAhead, dispatched - seen.length)
      if (seen.length === total) break
      if (seen.length % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 1))
    }
    expect(seen).toEqual(Array.from({length: total}, (_, i) => i))
    // The queue holds at most 1024 events plus what one network chunk carried.
    expect(mostAhead).toBeGreaterThan(0)
    expect(mostAhead).toBeLessThan(1024 + 1500)
  })
})
