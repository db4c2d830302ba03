// The demo's backend as a Vite plugin: /api/ticks, /api/fault, /api/stats and /api/chat on the dev server.
import {fileURLToPath} from 'node:url'
import {createChat} from './chat.mjs'
import {createFaults} from './faults.mjs'
import {createFeed} from './feed.mjs'
import {requestUrl, sendJson} from './http.mjs'

/** Longest history a client may ask for, in seconds. */
const MAX_HISTORY_SECONDS = 300

/** Returns the Vite plugin; `tickMs` is the metric's sample interval, `tokenMs` the chat's token pace. */
export function demoApi({tickMs, tokenMs}) {
  return {
    name: 'eventsource-kit-demo-api',
    async configureServer(server) {
      // The backend runs on the library's sources, as the page does: the server entry through Vite.
      const kit = await server.ssrLoadModule(fileURLToPath(new URL('../../src/server/index.ts', import.meta.url)))
      const feed = createFeed({tickMs, formatEvent: kit.formatEvent, EVENT_STREAM_HEADERS: kit.EVENT_STREAM_HEADERS})
      const faults = createFaults(feed)
      server.httpServer?.once('close', () => feed.stop())

      // GET /api/ticks?client=<id>&history=<seconds>: the metric stream (resumes after Last-Event-ID).
      server.middlewares.use('/api/ticks', (req, res) => {
        const url = requestUrl(req)
        const client = url.searchParams.get('client') ?? ''
        if (faults.answer(client, res)) return
        const history = Number(url.searchParams.get('history') ?? 0)
        const historySeconds = Number.isFinite(history) ? Math.min(Math.max(history, 0), MAX_HISTORY_SECONDS) : 0
        feed.open(req, res, {client, historySeconds})
      })
      server.middlewares.use('/api/fault', faults.route)
      // GET /api/stats?client=<id>: how many streams that client has open (the e2e test checks cleanup with it).
      server.middlewares.use('/api/stats', (req, res) => {
        const client = requestUrl(req).searchParams.get('client') ?? ''
        sendJson(res, 200, {client, openStreams: feed.streamsOf(client).length, tickMs})
      })
      server.middlewares.use('/api/chat', createChat({tokenMs, writeEventStream: kit.writeEventStream}))
    },
  }
}
