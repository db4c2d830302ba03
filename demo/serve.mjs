// Demo dev server: `npm run demo`. Serves demo/ through Vite plus a local SSE endpoint at /api/ticks.
import {fileURLToPath} from 'node:url'
import {createServer} from 'vite'

const TICK_MS = 500

/** Resume after the client's Last-Event-ID, so a reconnect continues the sequence instead of restarting it. */
function firstSeq(lastEventId) {
  const last = Number.parseInt(lastEventId ?? '', 10)
  return Number.isSafeInteger(last) && last >= 0 ? last + 1 : 1
}

/** Vite plugin: `/api/ticks` streams one random-walk sample every 500 ms as text/event-stream. */
function ticks() {
  // Shared across connections so the walk continues when the page reconnects.
  let value = 100
  return {
    name: 'demo-ticks',
    configureServer(server) {
      server.middlewares.use('/api/ticks', (req, res) => {
        let seq = firstSeq(req.headers['last-event-id'])
        res.writeHead(200, {'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive'})
        // Reconnect after 1 s instead of the default ~3 s when the stream drops.
        res.write('retry: 1000\n\n')
        const timer = setInterval(() => {
          value = Math.round((value + (Math.random() - 0.5) * 4) * 100) / 100
          res.write(`id: ${seq}\ndata: ${JSON.stringify({seq, time: new Date().toISOString(), value})}\n\n`)
          seq += 1
        }, TICK_MS)
        req.on('close', () => clearInterval(timer))
      })
    },
  }
}

const server = await createServer({
  // Only this script configures the demo; the root vite.config.ts is for the library build and tests.
  configFile: false,
  root: fileURLToPath(new URL('.', import.meta.url)),
  server: {host: '127.0.0.1', port: 5173},
  plugins: [ticks()],
})
await server.listen()
server.printUrls()

async function stop() {
  // server.close() also destroys open SSE sockets; the timeout guards against a hung close.
  setTimeout(() => process.exit(0), 2000).unref()
  await server.close()
  process.exit(0)
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
