// The e2e web server (started by playwright.config.ts): a blank page, the built dist/, and SSE routes.
import {readFile} from 'node:fs/promises'
import {createServer} from 'node:http'
import {dirname, extname, resolve, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

// playwright.config.ts passes its port; 4319 when started by hand.
const PORT = Number(process.argv[2] ?? 4319)
const HOST = '127.0.0.1'

const here = dirname(fileURLToPath(import.meta.url))
const DIST_DIR = resolve(here, '../dist')
// dist/index.js keeps `eventsource-parser` as a bare import; page.html maps it here with an import map.
const PARSER_DIR = dirname(fileURLToPath(import.meta.resolve('eventsource-parser')))

const TYPES = {'.js': 'text/javascript; charset=utf-8', '.map': 'application/json; charset=utf-8', '.html': 'text/html; charset=utf-8'}

/** Serves `relative` from `dir`, refusing paths that escape it. */
async function sendFile(res, dir, relative) {
  const file = resolve(dir, `.${sep}${decodeURIComponent(relative)}`)
  if (!file.startsWith(dir + sep)) return notFound(res)
  try {
    const body = await readFile(file)
    res.writeHead(200, {'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store'})
    res.end(body)
  } catch {
    notFound(res)
  }
}

function notFound(res) {
  res.writeHead(404, {'Content-Type': 'text/plain'})
  res.end('not found')
}

/**
 * /sse/basic: one short stream, then the server ends it so the client reconnects after `retry`.
 * The first event echoes the Last-Event-ID request header, which shows the reconnect sent it.
 */
function basic(req, res) {
  res.writeHead(200, {'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store'})
  res.end(
    [
      'retry: 50',
      '',
      ': a comment, ignored by the parser',
      `data: last-event-id=${req.headers['last-event-id'] ?? '(none)'}`,
      '',
      'event: tick',
      'data: 1',
      '',
      'id: 42',
      'data: line one',
      'data: line two',
      '',
      '',
    ].join('\n'),
  )
}

const server = createServer((req, res) => {
  const {pathname} = new URL(req.url ?? '/', `http://${HOST}`)
  if (pathname === '/health') {
    res.writeHead(200, {'Content-Type': 'text/plain'})
    res.end('ok')
  } else if (pathname === '/' || pathname === '/page.html') {
    sendFile(res, here, 'page.html')
  } else if (pathname.startsWith('/dist/')) {
    sendFile(res, DIST_DIR, pathname.slice('/dist/'.length))
  } else if (pathname.startsWith('/vendor/eventsource-parser/')) {
    sendFile(res, PARSER_DIR, pathname.slice('/vendor/eventsource-parser/'.length))
  } else if (pathname === '/sse/basic') {
    basic(req, res)
  } else {
    notFound(res)
  }
})

server.listen(PORT, HOST, () => console.log(`e2e server on http://${HOST}:${PORT}`))

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
