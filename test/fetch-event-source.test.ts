// eventsource-kit/fetch-event-source against @microsoft/fetch-event-source 2.0.1: both driven against
// the same local servers, their callback sequences compared; where a documented fix makes ours
// differ, the test asserts both sides of the difference.
import {fetchEventSource as original, type FetchEventSourceInit as OriginalInit} from '@microsoft/fetch-event-source'
import {afterEach, describe, expect, test} from 'vitest'
import {HttpError} from '../src/index.js'
import {EventStreamContentType, fetchEventSource, type FetchEventSourceInit} from '../src/fetch-event-source/index.js'
import {sse, startServer, type Handler, type TestServer} from './helpers.js'

type Implementation = 'original' | 'ours'
type Run = (url: string, init: FetchEventSourceInit) => Promise<void>

/** The browser globals the original needs (it reads `window.fetch`, `window.setTimeout` and `document`). */
class FakeDocument extends EventTarget {
  hidden = false
  get visibilityState(): string {
    return this.hidden ? 'hidden' : 'visible'
  }
  setHidden(hidden: boolean): void {
    this.hidden = hidden
    this.dispatchEvent(new Event('visibilitychange'))
  }
}

const scope = globalThis as {window?: unknown; document?: unknown}

/** Installs the window/document shims, for the original only (and for the visibility tests of ours). */
function installBrowserShims(): FakeDocument {
  const document = new FakeDocument()
  scope.window = {fetch: (...args: Parameters<typeof fetch>) => globalThis.fetch(...args), setTimeout, clearTimeout}
  scope.document = document
  return document
}

function removeBrowserShims(): void {
  delete scope.window
  delete scope.document
}

const servers: TestServer[] = []
afterEach(async () => {
  removeBrowserShims()
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function serve(handler: Handler): Promise<TestServer> {
  const server = await startServer(handler)
  servers.push(server)
  return server
}

const implementations: Record<Implementation, Run> = {
  original: (url, init) => {
    installBrowserShims()
    return original(url, init as OriginalInit)
  },
  // Ours runs without window or document.
  ours: (url, init) => fetchEventSource(url, init),
}

class RetriableError extends Error {}
class FatalError extends Error {}

/**
 * Runs one implementation and records its callbacks; `extra` may add to the init. Ends with
 * "resolved" or "rejected: <message>".
 */
async function transcript(implementation: Implementation, url: string, extra: (log: string[]) => FetchEventSourceInit = () => ({})): Promise<string[]> {
  const log: string[] = []
  const init: FetchEventSourceInit = {
    onopen: async (response) => {
      log.push(`open ${response.status}`)
      if (response.ok && response.headers.get('content-type') === EventStreamContentType) return
      if (response.status >= 400 && response.status < 500 && response.status !== 429) throw new FatalError(`fatal ${response.status}`)
      throw new RetriableError(`retriable ${response.status}`)
    },
    // In a fixed key order: the original builds its messages as {data, event, id, retry}.
    onmessage: ({id, event, data, retry}) => log.push(`message ${JSON.stringify({id, event, data, retry})}`),
    onclose: () => log.push('close'),
    onerror: (error: Error) => {
      log.push(`error ${error.message}`)
      if (error instanceof FatalError) throw error
      return 5
    },
    ...extra(log),
  }
  try {
    await implementations[implementation](url, init)
    log.push('resolved')
  } catch (error) {
    log.push(`rejected: ${(error as Error).message}`)
  } finally {
    removeBrowserShims()
  }
  return log
}

/** The transcripts of both implementations, run one after the other on the same server. */
async function both(server: TestServer, extra?: (log: string[]) => FetchEventSourceInit): Promise<Record<Implementation, string[]>> {
  const originalLog = await transcript('original', server.url, extra)
  const ours = await transcript('ours', server.url, extra)
  return {original: originalLog, ours}
}

describe('the callback sequences of both implementations', () => {
  test('match for a stream of events that the server ends', async () => {
    const server = await serve((_req, res) => sse(res, 'data: one\n\nevent: tick\nid: 7\ndata: two\ndata: lines\n\nretry: 2500\ndata: three\n\nid: 8\ndata: four\n\n'))
    const {original: theirs, ours} = await both(server)
    expect(ours).toEqual(theirs)
    expect(ours).toEqual([
      'open 200',
      'message {"id":"","event":"","data":"one"}',
      'message {"id":"7","event":"tick","data":"two\\nlines"}',
      'message {"id":"","event":"","data":"three","retry":2500}',
      'message {"id":"8","event":"","data":"four"}',
      'close',
      'resolved',
    ])
  })

  test('match when onclose throws to reconnect, and both send Last-Event-ID on the retry', async () => {
    const server = await serve((_req, res, index) => sse(res, index % 2 === 0 ? 'id: first\ndata: a\n\n' : 'data: b\n\n'))
    for (const implementation of ['original', 'ours'] as const) {
      const before = server.requests.length
      let closes = 0
      const log = await transcript(implementation, server.url, (log) => ({
        onclose: () => {
          log.push('close')
          if (++closes === 1) throw new RetriableError('server closed early')
        },
      }))
      expect(log, implementation).toEqual([
        'open 200',
        'message {"id":"first","event":"","data":"a"}',
        'close',
        'error server closed early',
        'open 200',
        'message {"id":"","event":"","data":"b"}',
        'close',
        'resolved',
      ])
      const seen = server.requests.slice(before)
      expect(seen.map((request) => request.headers['last-event-id'])).toEqual([undefined, 'first'])
      expect(seen.every((request) => request.headers.accept === 'text/event-stream')).toBe(true)
    }
  })

  test('match when onerror throws: the promise rejects with what it threw', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(500, {'content-type': 'text/plain'})
      res.end('boom')
    })
    const extra = (log: string[]): FetchEventSourceInit => ({
      onerror: (error: Error) => {
        log.push(`error ${error.message}`)
        throw new FatalError('give up')
      },
    })
    const {original: theirs, ours} = await both(server, extra)
    expect(ours).toEqual(theirs)
    expect(ours).toEqual(['open 500', 'error retriable 500', 'rejected: give up'])
  })

  test('match for a POST with headers and a body, sent again as-is on the retry', async () => {
    const server = await serve((_req, res, index) => {
      if (index % 2 === 0) {
        res.writeHead(503)
        res.end()
      } else sse(res, 'data: ok\n\n')
    })
    const extra = (): FetchEventSourceInit => ({method: 'POST', headers: {'Content-Type': 'application/json', 'X-Token': 'abc'}, body: '{"prompt":"hi"}'})
    const {original: theirs, ours} = await both(server, extra)
    expect(ours).toEqual(theirs)
    expect(ours).toEqual(['open 503', 'error retriable 503', 'open 200', 'message {"id":"","event":"","data":"ok"}', 'close', 'resolved'])
    expect(server.requests).toHaveLength(4)
    for (const request of server.requests) {
      expect(request.method).toBe('POST')
      expect(request.body).toBe('{"prompt":"hi"}')
      expect(request.headers['content-type']).toBe('application/json')
      expect(request.headers['x-token']).toBe('abc')
    }
  })

  test('match for a network error: onerror gets it and its delay is used', async () => {
    const server = await serve((req, res, index) => {
      if (index % 2 === 0) {
        res.writeHead(200, {'content-type': 'text/event-stream'})
        res.write('data: partial\n\n')
        setTimeout(() => req.socket.destroy(), 20)
      } else sse(res, 'data: whole\n\n')
    })
    const {original: theirs, ours} = await both(server, (log) => ({
      onerror: (error: Error) => {
        log.push(`error ${error.name}`)
        return 0
      },
    }))
    expect(ours).toEqual(theirs)
    expect(ours).toEqual([
      'open 200',
      'message {"id":"","event":"","data":"partial"}',
      'error TypeError',
      'open 200',
      'message {"id":"","event":"","data":"whole"}',
      'close',
      'resolved',
    ])
  })

  test('match when the default onopen rejects a wrong Content-Type', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, {'content-type': 'application/json'})
      res.end('{}')
    })
    const {original: theirs, ours} = await both(server, (log) => ({
      onopen: undefined,
      onerror: (error: Error) => {
        log.push('error')
        throw error
      },
    }))
    expect(theirs).toEqual(['error', 'rejected: Expected content-type to be text/event-stream, Actual: application/json'])
    expect(ours[0]).toBe('error')
    expect(ours[1]).toMatch(/^rejected: Expected Content-Type text\/event-stream from .*, got "application\/json"$/)
  })

  test('match when the signal aborts mid-stream: the promise resolves and no callback follows', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, {'content-type': 'text/event-stream'})
      res.write('data: first\n\n')
    })
    const logs: string[][] = []
    for (const implementation of ['original', 'ours'] as const) {
      const controller = new AbortController()
      logs.push(
        await transcript(implementation, server.url, (log) => ({
          signal: controller.signal,
          onmessage: (message) => {
            log.push(`message ${message.data}`)
            controller.abort()
          },
        })),
      )
    }
    expect(logs[1]).toEqual(logs[0])
    expect(logs[1]).toEqual(['open 200', 'message first', 'resolved'])
  })
})

describe('the documented fixes', () => {
  test('[fix] a 204 stops: ours resolves after one request, the original retries forever', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(204)
      res.end()
    })
    const controller = new AbortController()
    const theirs = await transcript('original', server.url, (log) => ({
      signal: controller.signal,
      // Stopped from onopen, where the original leaves no retry timer behind.
      onopen: async (response) => {
        log.push(`open ${response.status}`)
        if (server.requests.length >= 3) controller.abort()
        throw new RetriableError(`retriable ${response.status}`)
      },
      onerror: (error: Error) => {
        log.push(`error ${error.message}`)
        return 0
      },
    }))
    expect(theirs).toEqual(['open 204', 'error retriable 204', 'open 204', 'error retriable 204', 'open 204', 'resolved'])
    const before = server.requests.length
    const ours = await transcript('ours', server.url)
    expect(ours).toEqual(['resolved'])
    expect(server.requests.length - before).toBe(1)
  })

  test('[fix] a 401 fails: ours rejects with an HttpError, the original retries it forever', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(401, {'content-type': 'application/json', 'www-authenticate': 'Bearer'})
      res.end('{"error":"token expired"}')
    })
    const logged: unknown[] = []
    // The default onopen and an onerror that returns nothing (the most common setup).
    const extra = (log: string[]): FetchEventSourceInit => ({
      onopen: undefined,
      // Stopped while the original's second retry is in flight, where it leaves no timer behind.
      fetch: async (input, init) => {
        const response = await fetch(input, init)
        if (server.requests.length >= 3) stopOriginal.abort()
        return response
      },
      onerror: (error: unknown) => {
        logged.push(error)
        log.push('error')
      },
    })
    const stopOriginal = new AbortController()
    const theirs = await transcript('original', server.url, (log) => ({...extra(log), signal: stopOriginal.signal}))
    expect(theirs).toEqual(['error', 'error', 'resolved'])
    expect(server.requests).toHaveLength(3)
    logged.length = 0
    const ours = await transcript('ours', server.url, (log) => ({...extra(log), signal: new AbortController().signal}))
    expect(ours).toEqual(['error', 'rejected: Unexpected status 401 Unauthorized from ' + server.url])
    expect(server.requests).toHaveLength(4)
    const error = logged[0] as HttpError
    expect(error).toBeInstanceOf(HttpError)
    expect(error.status).toBe(401)
    expect(error.headers.get('www-authenticate')).toBe('Bearer')
    expect(error.body).toBe('{"error":"token expired"}')
  })

  test('[fix] a 401 is retried when onerror returns a delay (a custom fetch may refresh the token)', async () => {
    const server = await serve((req, res) => {
      if (req.headers.authorization === 'Bearer fresh') return sse(res, 'data: in\n\n')
      res.writeHead(401)
      res.end()
    })
    let token = 'stale'
    const log = await transcript('ours', server.url, (log) => ({
      fetch: (input, init) => fetch(input, {...init, headers: {...(init?.headers as Record<string, string>), authorization: `Bearer ${token}`}}),
      onerror: (error: Error) => {
        log.push(`error ${error.message}`)
        token = 'fresh'
        return 0
      },
    }))
    expect(log).toEqual(['open 401', 'error fatal 401', 'open 200', 'message {"id":"","event":"","data":"in"}', 'close', 'resolved'])
  })

  test('[fix] an already-aborted signal: ours resolves without a request, the original sends one', async () => {
    const server = await serve((_req, res) => sse(res, 'data: x\n\n'))
    const theirs = await transcript('original', server.url, () => ({signal: AbortSignal.abort()}))
    expect(theirs).toEqual(['open 200', 'message {"id":"","event":"","data":"x"}', 'close', 'resolved'])
    expect(server.requests).toHaveLength(1)
    const ours = await transcript('ours', server.url, () => ({signal: AbortSignal.abort()}))
    expect(ours).toEqual(['resolved'])
    expect(server.requests).toHaveLength(1)
  })

  test('[fix] blocks without data (keep-alive comments, id-only blocks) reach onmessage in the original only', async () => {
    const server = await serve((_req, res) => sse(res, ': keep-alive\n\nid: 3\n\ndata: real\n\n'))
    const {original: theirs, ours} = await both(server)
    expect(theirs).toEqual([
      'open 200',
      'message {"id":"","event":"","data":""}',
      'message {"id":"3","event":"","data":""}',
      'message {"id":"","event":"","data":"real"}',
      'close',
      'resolved',
    ])
    expect(ours).toEqual(['open 200', 'message {"id":"","event":"","data":"real"}', 'close', 'resolved'])
  })

  test('[fix] a POST is not re-sent when the page becomes visible again; the original re-sends it', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, {'content-type': 'text/event-stream'})
      res.write('data: started\n\n')
    })
    for (const implementation of ['original', 'ours'] as const) {
      const before = server.requests.length
      const controller = new AbortController()
      const document = installBrowserShims()
      const run = (implementation === 'original' ? original : fetchEventSource)(server.url, {
        method: 'POST',
        body: 'generate an answer',
        signal: controller.signal,
        onmessage: () => {},
      })
      await expect.poll(() => server.requests.length).toBe(before + 1)
      document.setHidden(true)
      document.setHidden(false)
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(server.requests.length - before, implementation).toBe(implementation === 'original' ? 2 : 1)
      controller.abort()
      await run
      removeBrowserShims()
    }
  })

  test('[non-spec] a GET stream still closes while the page is hidden and resumes with Last-Event-ID', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, {'content-type': 'text/event-stream'})
      res.write('id: 41\ndata: started\n\n')
    })
    const controller = new AbortController()
    const document = installBrowserShims()
    const messages: string[] = []
    const run = fetchEventSource(server.url, {signal: controller.signal, onmessage: (message) => messages.push(message.data)})
    await expect.poll(() => messages.length).toBe(1)
    document.setHidden(true)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(server.requests).toHaveLength(1)
    document.setHidden(false)
    await expect.poll(() => server.requests.length).toBe(2)
    expect(server.requests[1]?.headers['last-event-id']).toBe('41')
    controller.abort()
    await run
  })

  test('an explicit "event: message" reaches onmessage as the default type \'\' in ours, as written in the original', async () => {
    const server = await serve((_req, res) => sse(res, 'event: message\ndata: same\n\n'))
    const {original: theirs, ours} = await both(server)
    expect(theirs[1]).toBe('message {"id":"","event":"message","data":"same"}')
    expect(ours[1]).toBe('message {"id":"","event":"","data":"same"}')
  })

  test('the standard\'s parsing: an empty data line keeps its line break, retry: takes digits only', async () => {
    const server = await serve((_req, res) => sse(res, 'data:\ndata: x\n\nretry: 10s\ndata: y\n\n'))
    const {original: theirs, ours} = await both(server)
    expect(theirs.slice(1, 3)).toEqual(['message {"id":"","event":"","data":"x"}', 'message {"id":"","event":"","data":"y","retry":10}'])
    expect(ours.slice(1, 3)).toEqual(['message {"id":"","event":"","data":"\\nx"}', 'message {"id":"","event":"","data":"y"}'])
  })

  test('[fix] bad headers reject at once in ours; the original retries them forever', async () => {
    const server = await serve((_req, res) => sse(res, 'data: x\n\n'))
    const controller = new AbortController()
    let calls = 0
    let originalErrors = 0
    const theirs = await transcript('original', server.url, () => ({
      signal: controller.signal,
      headers: {'bad header': 'x'},
      // Stopped as the second attempt starts, where the original leaves no retry timer behind.
      fetch: (input, init) => {
        if (++calls === 2) controller.abort()
        return fetch(input, init)
      },
      onerror: () => {
        originalErrors++
        return 0
      },
    }))
    expect(theirs).toEqual(['resolved'])
    expect([calls, originalErrors]).toEqual([2, 1])
    const ours = fetchEventSource(server.url, {headers: {'bad header': 'x'}, onerror: () => 0})
    await expect(ours).rejects.toThrow(TypeError)
    expect(server.requests).toHaveLength(0)
  })

  test('[fix] runs without window and document: the original cannot', async () => {
    const server = await serve((_req, res) => sse(res, 'data: node\n\n'))
    removeBrowserShims()
    await expect(original(server.url, {onmessage: () => {}})).rejects.toThrow(/document is not defined/)
    const log = await transcript('ours', server.url)
    expect(log).toEqual(['open 200', 'message {"id":"","event":"","data":"node"}', 'close', 'resolved'])
  })
})
