// The cases about the connection: the request (headers, POST), reconnection (`retry:`,
// Last-Event-ID, after a dropped connection or a network error), failures (status, Content-Type)
// and close(). Each returns what the source got wrong against the standard.
import {compareEvents} from './clients.js'
import {pause, startServer, startStream, until} from './server.js'

// A reconnection delay small enough for the cases, set alike on both (before any `retry:`).
const RETRY_MS = 20
// How long a case watches for something that must not happen (a reconnection, an event after close).
const QUIET_MS = 400

/** @type {import('./cases.js').Case[]} */
export const CONNECTION_CASES = [
  {
    name: 'sends custom headers and Accept: text/event-stream',
    right: 'the request carries the headers given and `Accept: text/event-stream`',
    run: async (open) => {
      const server = await startServer((_request, response) => startStream(response))
      try {
        const client = await open(server.url, {headers: {Authorization: 'Bearer token', 'X-Trace': 'abc'}})
        await until(() => server.requests.length > 0, 'the request')
        client.close()
        const {headers} = server.requests[0]
        const problems = []
        if (headers.authorization !== 'Bearer token') problems.push(`Authorization ${JSON.stringify(headers.authorization)}`)
        if (headers['x-trace'] !== 'abc') problems.push(`X-Trace ${JSON.stringify(headers['x-trace'])}`)
        if (headers.accept !== 'text/event-stream') problems.push(`Accept ${JSON.stringify(headers.accept)}`)
        return problems
      } finally {
        await server.close()
      }
    },
  },
  {
    name: 'sends a POST with a body',
    right: 'the method and body given reach the server',
    run: async (open) => {
      const server = await startServer((_request, response) => startStream(response))
      try {
        const client = await open(server.url, {method: 'POST', body: '{"q":1}', headers: {'Content-Type': 'application/json'}})
        await until(() => server.requests.length > 0, 'the request')
        client.close()
        const {method, body} = server.requests[0]
        const problems = []
        if (method !== 'POST') problems.push(`method ${method}`)
        if (body !== '{"q":1}') problems.push(`body ${JSON.stringify(body)}`)
        return problems
      } finally {
        await server.close()
      }
    },
  },
  {
    name: 'follows `retry:` when it reconnects',
    right: 'after the stream ends, the next request comes after the `retry:` delay (50 ms here), not the default',
    run: async (open) => {
      const server = await startServer((_request, response, index) => {
        startStream(response)
        if (index === 0) response.end('retry: 50\ndata: a\n\n')
      })
      try {
        const client = await open(server.url)
        const problems = []
        await until(() => server.requests.length >= 2, 'a second request', 2_000).catch(() => problems.push('no reconnection within 2 s of a `retry: 50`'))
        client.close()
        return problems
      } finally {
        await server.close()
      }
    },
  },
  {
    name: 'sends Last-Event-ID when it reconnects',
    right: 'the first request has no Last-Event-ID; the one after `id: 7` has `Last-Event-ID: 7`',
    run: async (open) => {
      const server = await startServer((_request, response, index) => {
        startStream(response)
        if (index === 0) response.end('id: 7\ndata: a\n\n')
      })
      try {
        const client = await open(server.url, {retryMs: RETRY_MS})
        const problems = []
        await until(() => server.requests.length >= 2, 'a second request', 2_000).catch(() => problems.push('no reconnection'))
        client.close()
        if (server.requests[0].headers['last-event-id'] !== undefined) problems.push(`first request Last-Event-ID ${JSON.stringify(server.requests[0].headers['last-event-id'])}`)
        const resumed = server.requests[1]?.headers['last-event-id']
        if (server.requests.length >= 2 && resumed !== '7') problems.push(`Last-Event-ID ${JSON.stringify(resumed)} on reconnection`)
        return problems
      } finally {
        await server.close()
      }
    },
  },
  {
    name: 'fails the connection on an HTTP error status',
    right: 'a 500 fires error and closes (readyState CLOSED), no reconnection',
    run: failureCase({status: 500}, 'HttpError'),
  },
  {
    name: 'fails the connection on a wrong Content-Type',
    right: 'a 200 that is not text/event-stream fires error and closes, no event, no reconnection',
    run: failureCase({contentType: 'text/plain'}, 'ContentTypeError'),
  },
  {
    name: 'close() aborts the request and nothing fires after it',
    right: 'close() ends the request at the server; no event after it; readyState CLOSED',
    run: async (open) => {
      const server = await startServer(async (_request, response) => {
        startStream(response)
        for (let index = 0; index < 200 && !response.destroyed; index++) {
          response.write(`data: ${index}\n\n`)
          await pause(10)
        }
        response.end()
      })
      try {
        const client = await open(server.url, {retryMs: RETRY_MS})
        await until(() => client.log.events.length > 0, 'a first event')
        client.close()
        const seen = client.log.events.length
        const problems = []
        await until(() => server.requests[0].closed, 'the request to end at the server', 2_000).catch(() => problems.push('the request stayed open at the server'))
        await pause(QUIET_MS / 2)
        if (client.log.events.length !== seen) problems.push(`${client.log.events.length - seen} events after close()`)
        if (client.readyState() !== 'closed') problems.push(`readyState ${client.readyState()} after close()`)
        if (server.requests.length !== 1) problems.push(`${server.requests.length - 1} requests after close()`)
        return problems
      } finally {
        await server.close()
      }
    },
  },
  {
    name: 'reconnects after the server drops the connection mid-stream',
    right: 'a dropped connection fires error, reconnects with Last-Event-ID and goes on',
    run: async (open) => {
      const server = await startServer(async (request, response, index) => {
        startStream(response)
        if (index === 0) {
          response.write('id: 1\ndata: a\n\n')
          await pause(30)
          response.socket.destroy()
        } else response.write(`data: b after ${request.headers['last-event-id']}\n\n`)
      })
      try {
        const client = await open(server.url, {retryMs: RETRY_MS})
        const problems = []
        await until(() => client.log.events.length >= 2, 'the event after the reconnection', 2_000).catch(() => problems.push('no event after the connection dropped'))
        client.close()
        if (client.log.errors.length === 0) problems.push('no error event')
        return [...problems, ...compareEvents(client.log.events, [{type: 'message', data: 'a', lastEventId: '1'}, {type: 'message', data: 'b after 1', lastEventId: '1'}])]
      } finally {
        await server.close()
      }
    },
  },
  {
    name: 'reconnects after a network error before any response',
    right: 'a connection reset before the response fires error and reconnects',
    run: async (open) => {
      const server = await startServer((request, response, index) => {
        if (index === 0) response.socket.destroy()
        else {
          startStream(response)
          response.write('data: back\n\n')
        }
      })
      try {
        const client = await open(server.url, {retryMs: RETRY_MS})
        const problems = []
        await until(() => client.log.events.length >= 1, 'an event after the network error', 2_000).catch(() => problems.push('gave up: no reconnection after the network error'))
        client.close()
        if (client.log.errors.length === 0) problems.push('no error event')
        return problems
      } finally {
        await server.close()
      }
    },
  },
]

/** A case where the first response must fail the connection: error, CLOSED, no event, no second request. */
function failureCase(answer, errorName) {
  return async (open) => {
    const server = await startServer((_request, response) => {
      startStream(response, answer)
      response.end('data: should not be seen\n\n')
    })
    try {
      const client = await open(server.url, {retryMs: RETRY_MS})
      const problems = []
      await until(() => client.log.errors.length > 0, 'an error event', 2_000).catch(() => problems.push('no error event'))
      await pause(QUIET_MS)
      const state = client.readyState()
      client.close()
      if (state !== 'closed') problems.push('readyState not CLOSED after the failure')
      if (client.log.events.length > 0) problems.push('fired the events of the failed response')
      if (server.requests.length > 1) problems.push('reconnected')
      const error = client.log.errors[0]
      // eventsource-kit's error events carry `error` (react-native-sse's have no such field).
      if (error && 'error' in error && error.name !== errorName) problems.push(`error ${error.name}, not ${errorName}`)
      return problems
    } finally {
      await server.close()
    }
  }
}
