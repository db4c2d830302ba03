// Demo dev server: `npm run demo` (options: --port <n>, --tick-ms <ms>, --token-ms <ms>, --no-watch).
// Serves demo/ through Vite, with React and Vue, plus the SSE backend in server/plugin.mjs.
import {parseArgs} from 'node:util'
import {fileURLToPath} from 'node:url'
import react from '@vitejs/plugin-react'
import vue from '@vitejs/plugin-vue'
import {createServer} from 'vite'
import {demoApi} from './server/plugin.mjs'

const {values} = parseArgs({
  options: {
    port: {type: 'string'},
    'tick-ms': {type: 'string', default: '500'},
    'token-ms': {type: 'string', default: '45'},
    // For the e2e suite: no file watching, so edits elsewhere in the tree never reload a page under test.
    'no-watch': {type: 'boolean', default: false},
  },
})

/** A whole number option in [min, max], or exit with a message naming it. */
function whole(name, value, min, max) {
  const number = Number(value)
  if (!Number.isInteger(number) || number < min || number > max) {
    console.error(`demo: --${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`)
    process.exit(2)
  }
  return number
}

const port = values.port === undefined ? undefined : whole('port', values.port, 1, 65535)
const tickMs = whole('tick-ms', values['tick-ms'], 20, 1000)
const tokenMs = whole('token-ms', values['token-ms'], 1, 1000)

const server = await createServer({
  // Only this script configures the demo; the root vite.config.ts is for the library build and tests.
  configFile: false,
  root: fileURLToPath(new URL('.', import.meta.url)),
  cacheDir: fileURLToPath(new URL('../node_modules/.vite/demo', import.meta.url)),
  resolve: {
    // The demo imports the library by its package name, as an app would; here that is the sources.
    alias: [
      {find: /^eventsource-kit$/, replacement: fileURLToPath(new URL('../src/index.ts', import.meta.url))},
      {find: /^eventsource-kit\/(react|vue|shared)$/, replacement: fileURLToPath(new URL('../src/$1/index.ts', import.meta.url))},
    ],
  },
  // Bundle the frameworks at start-up, so the first page load does not discover them and reload.
  optimizeDeps: {include: ['react', 'react-dom/client', 'vue', 'eventsource-parser']},
  // A fixed --port must be that port (the e2e suite waits on it); without one, 5173 or the next free one.
  server: {
    host: '127.0.0.1',
    port: port ?? 5173,
    strictPort: port !== undefined,
    ...(values['no-watch'] ? {hmr: false, watch: null} : {}),
  },
  plugins: [react(), vue(), demoApi({tickMs, tokenMs})],
})
await server.listen()
server.printUrls()

async function stop() {
  // server.close() also ends open SSE responses; the timeout guards against a hung close.
  setTimeout(() => process.exit(0), 2000).unref()
  await server.close()
  process.exit(0)
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
