// The e2e web server (started by playwright.config.ts): `node e2e/server.mjs <port> <cross port>`.
// Two listeners on 127.0.0.1 with the same routes: the page's origin ("main") and a second port,
// which is another origin ("cross") for CORS and cross-origin redirects. Routes: the page, the built
// dist/, the parser it imports, in-memory bundles of the page-side code (e2e/page/), msw's service
// worker, the SSE scenarios (e2e/server/scenarios.mjs) and their request logs.
import {readFile} from 'node:fs/promises'
import {createServer} from 'node:http'
import {dirname, extname, resolve, sep} from 'node:path'
import {fileURLToPath} from 'node:url'
import {buildBundles} from './server/bundles.mjs'
import {handleScenarioRoute} from './server/scenario-routes.mjs'
import {handleSharedRoute} from './server/shared-routes.mjs'

const PORT = Number(process.argv[2] ?? 4319)
const CROSS_PORT = Number(process.argv[3] ?? PORT + 2)
const HOST = '127.0.0.1'
const origins = {main: `http://${HOST}:${PORT}`, cross: `http://${HOST}:${CROSS_PORT}`}

const here = dirname(fileURLToPath(import.meta.url))
const DIST_DIR = resolve(here, '../dist')
// dist/index.js keeps `eventsource-parser` as a bare import; page.html maps it here with an import map.
const PARSER_DIR = dirname(fileURLToPath(import.meta.resolve('eventsource-parser')))
const MSW_WORKER = fileURLToPath(import.meta.resolve('msw/mockServiceWorker.js'))

const TYPES = {'.js': 'text/javascript; charset=utf-8', '.map': 'application/json; charset=utf-8', '.html': 'text/html; charset=utf-8'}

const bundles = await buildBundles()

/** Serves `relative` from `dir`, refusing paths that escape it. */
async function sendFile(res, dir, relative) {
  const file = resolve(dir, `.${sep}${decodeURIComponent(relative)}`)
  if (!file.startsWith(dir + sep)) return notFound(res)
  try {
    send(res, TYPES[extname(file)] ?? 'application/octet-stream', await readFile(file))
  } catch {
    notFound(res)
  }
}

function send(res, type, body) {
  res.writeHead(200, {'Content-Type': type, 'Cache-Control': 'no-store'})
  res.end(body)
}

function notFound(res) {
  res.writeHead(404, {'Content-Type': 'text/plain'})
  res.end('not found')
}

async function handle(req, res, server) {
  const {pathname} = new URL(req.url ?? '/', origins[server])
  if (pathname === '/health') {
    send(res, 'text/plain', 'ok')
  } else if (pathname === '/' || pathname === '/page.html') {
    await sendFile(res, here, 'page.html')
  } else if (pathname.startsWith('/dist/')) {
    await sendFile(res, DIST_DIR, pathname.slice('/dist/'.length))
  } else if (pathname.startsWith('/vendor/eventsource-parser/')) {
    await sendFile(res, PARSER_DIR, pathname.slice('/vendor/eventsource-parser/'.length))
  } else if (pathname.startsWith('/bundles/') && bundles.has(pathname.slice('/bundles/'.length))) {
    send(res, TYPES['.js'], bundles.get(pathname.slice('/bundles/'.length)))
  } else if (pathname === '/mockServiceWorker.js') {
    send(res, TYPES['.js'], await readFile(MSW_WORKER))
  } else if (handleSharedRoute(req, res, new URL(req.url ?? '/', origins[server]))) {
    // e2e/shared.spec.ts: the replaying feed and its stats.
  } else if (!(await handleScenarioRoute(req, res, server, origins))) {
    notFound(res)
  }
}

function listen(server, port) {
  // Lenient parsing: browsers send header bytes llhttp's strict mode answers 400 to (a Last-Event-ID
  // with C0 controls, which the standard allows: `control-id`).
  const http = createServer({insecureHTTPParser: true}, (req, res) => {
    handle(req, res, server).catch((error) => {
      console.error(error)
      if (!res.headersSent) res.writeHead(500, {'Content-Type': 'text/plain'})
      res.end(String(error))
    })
  })
  return new Promise((done, fail) => {
    http.once('error', fail)
    http.listen(port, HOST, () => done(http))
  })
}

// The cross origin first: Playwright waits for /health on the main one.
await listen('cross', CROSS_PORT)
await listen('main', PORT)
console.log(`e2e server on ${origins.main} (cross origin ${origins.cross}), ${bundles.size} bundles`)

// Exit when Playwright (the parent) dies without killing us. A plain `kill(ppid, 0)` is not enough:
// an orphan is re-parented (ppid becomes 1 or a subreaper), so also watch for the ppid changing.
const parentPid = process.ppid
setInterval(() => {
  try {
    if (process.ppid !== parentPid) process.exit(0)
    process.kill(parentPid, 0)
  } catch {
    process.exit(0)
  }
}, 1000).unref()
