import {setImmediate as nextTurn} from 'node:timers/promises'
import {setFlagsFromString} from 'node:v8'
import {runInNewContext} from 'node:vm'
import {describe, expect, it} from 'vitest'
import {EventSource} from '../src/index.js'
import {bytesOf, next, until, useCleanups} from './helpers.js'

// [non-spec] What an idle, open connection keeps alive: thousands of them stay open in a server, so
// what one attempt leaves behind is paid once per connection. Checked with WeakRefs and a real GC.

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
// A WeakRef's target stays alive until the job that made or read it ends: collect between turns.
async function isCollected(ref: WeakRef<object>): Promise<boolean> {
  for (let round = 0; round < 10 && ref.deref() !== undefined; round++) {
    await nextTurn()
    gc()
  }
  return ref.deref() === undefined
}

const {server} = useCleanups()

/** A fetch whose response body sends one chunk and then nothing, remembering both weakly. */
function idleStreamFetch() {
  const refs: {chunk?: WeakRef<Uint8Array>; response?: WeakRef<Response>} = {}
  const fetch = async (): Promise<Response> => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const chunk = bytesOf('data: one\n\n')
        refs.chunk = new WeakRef(chunk)
        controller.enqueue(chunk)
      },
    })
    const response = new Response(body, {headers: {'content-type': 'text/event-stream'}})
    refs.response = new WeakRef(response)
    return response
  }
  return {fetch, refs}
}

describe('an idle open connection', () => {
  it('[non-spec] does not keep the last chunk it read', async () => {
    const {fetch, refs} = idleStreamFetch()
    const source = new EventSource('http://127.0.0.1:9/', {fetch})
    try {
      await next(source, 'message')
      expect(source.readyState).toBe(EventSource.OPEN)
      expect(await isCollected(refs.chunk as WeakRef<Uint8Array>)).toBe(true)
    } finally {
      source.close()
    }
  })

  it('[non-spec] does not keep the response once its body is being read', async () => {
    const {fetch, refs} = idleStreamFetch()
    const source = new EventSource('http://127.0.0.1:9/', {fetch})
    try {
      await next(source, 'message')
      expect(await isCollected(refs.response as WeakRef<Response>)).toBe(true)
      expect(source.readyState).toBe(EventSource.OPEN)
    } finally {
      source.close()
    }
  })

  it('[non-spec] is collected with its source after close()', async () => {
    const {fetch, refs} = idleStreamFetch()
    // Opened and closed in a function of its own: the test keeps no reference to the source.
    const sourceRef = await (async () => {
      const source = new EventSource('http://127.0.0.1:9/', {fetch})
      await next(source, 'message')
      source.close()
      return new WeakRef(source)
    })()
    expect(await isCollected(sourceRef)).toBe(true)
    expect(refs.chunk?.deref()).toBeUndefined()
  })
})

describe('sources created one after another', () => {
  it('[non-spec] each send the request their own options describe, whatever the sources created before them', async () => {
    const requests: Array<{method: string; lastEventId: string | null; credentials: string | undefined}> = []
    const fetch = async (_url: string, init: RequestInit): Promise<Response> => {
      requests.push({method: init.method ?? '', lastEventId: new Headers(init.headers).get('last-event-id'), credentials: init.credentials})
      return new Response('', {headers: {'content-type': 'text/event-stream'}})
    }
    // A global mock, not a `fetch` option: the options under test stay the standard ones.
    const realFetch = globalThis.fetch
    globalThis.fetch = fetch as typeof globalThis.fetch
    const sources: EventSource[] = []
    try {
      for (const init of [{}, {lastEventId: 'seven'}, {}, {withCredentials: true}, {method: 'POST', body: 'x'}, {}, {lastEventId: 'seven'}]) {
        sources.push(new EventSource('http://127.0.0.1:9/', init))
      }
      await until(() => requests.length === sources.length)
    } finally {
      for (const source of sources) source.close()
      globalThis.fetch = realFetch
    }
    expect(requests).toEqual([
      {method: 'GET', lastEventId: null, credentials: 'same-origin'},
      {method: 'GET', lastEventId: 'seven', credentials: 'same-origin'},
      {method: 'GET', lastEventId: null, credentials: 'same-origin'},
      {method: 'GET', lastEventId: null, credentials: 'include'},
      {method: 'POST', lastEventId: null, credentials: 'same-origin'},
      {method: 'GET', lastEventId: null, credentials: 'same-origin'},
      {method: 'GET', lastEventId: 'seven', credentials: 'same-origin'},
    ])
    expect(sources.map((source) => source.withCredentials)).toEqual([false, false, false, true, false, false, false])
  })
})

describe('close()', () => {
  it('while the request awaits its response aborts it over real HTTP: the server sees the socket close', async () => {
    let hasRequest = false
    let isSocketClosed = false
    const {url} = await server((req) => {
      // Never answers: the source stays CONNECTING.
      hasRequest = true
      req.socket.on('close', () => {
        isSocketClosed = true
      })
    })
    const source = new EventSource(url)
    await until(() => hasRequest)
    expect(source.readyState).toBe(EventSource.CONNECTING)
    source.close()
    await until(() => isSocketClosed)
    expect(source.readyState).toBe(EventSource.CLOSED)
  })

  it('while OPEN and idle aborts the body over real HTTP: the server sees the socket close', async () => {
    let isSocketClosed = false
    const {url} = await server((req, res) => {
      res.writeHead(200, {'content-type': 'text/event-stream'})
      res.write(': idle\n\n')
      req.socket.on('close', () => {
        isSocketClosed = true
      })
    })
    const source = new EventSource(url)
    await next(source, 'open')
    // Idle: the comment was read, nothing more comes.
    await nextTurn()
    gc()
    source.close()
    await until(() => isSocketClosed)
    expect(source.readyState).toBe(EventSource.CLOSED)
  })
})
