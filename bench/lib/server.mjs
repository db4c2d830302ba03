// The benchmark's SSE server, run in its own child process (forked by children.mjs) so that writing
// the stream never competes with the client being measured for the same event loop.
//
//   GET  /stream?n=N          N token events, written as fast as the socket takes them, then the end
//   GET  /latency?n=N&every=MS&group=G&size=K
//                             N probes, one every MS ms, each carrying process.hrtime.bigint() taken
//                             just before it is written; starts when all K connections of group G
//                             are there, each connection at its own phase within the period
//   GET  /idle                headers and one comment, then nothing until the client goes away
//   GET  /page.html, /dist/*, /vendor/eventsource-parser/*   the Chromium benchmark page and its modules
//   POST /report              JSON from the page, forwarded to the parent over IPC
import {Buffer} from 'node:buffer'
import {readFile} from 'node:fs/promises'
import {createServer} from 'node:http'
import {dirname, extname, join, resolve, sep} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {distDir} from './dist.mjs'
import {latencyEvent, tokenStream} from './stream.mjs'

const HOST = '127.0.0.1'
const WRITE_SIZE = 64 * 1024
const MAX_EVENTS = 10_000_000
const {EVENT_STREAM_HEADERS: SSE_HEADERS, formatEvent} = await import(pathToFileURL(join(distDir(), 'server.js')).href)

const here = dirname(fileURLToPath(import.meta.url))
const ROOTS = {
  '/page.html': [resolve(here, '../chromium'), 'page.html'],
  '/dist/': [distDir()],
  '/vendor/eventsource-parser/': [dirname(fileURLToPath(import.meta.resolve('eventsource-parser')))],
}
const TYPES = {'.js': 'text/javascript; charset=utf-8', '.map': 'application/json; charset=utf-8', '.html': 'text/html; charset=utf-8'}

// Built once per size: the server's own work per request is then only copying bytes to the socket.
const streams = new Map()
function streamOf(count) {
  let body = streams.get(count)
  if (!body) streams.set(count, (body = tokenStream(count)))
  return body
}

function countParam(url, name) {
  const value = Number(url.searchParams.get(name))
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_EVENTS) throw new RangeError(`bad ${name}`)
  return value
}

/** Writes `body` in slices, waiting for `drain` whenever the socket's buffer is full. */
function pushStream(res, body) {
  let offset = 0
  let gone = false
  res.on('close', () => (gone = true))
  const writeMore = () => {
    while (!gone && offset < body.length) {
      const slice = body.subarray(offset, offset + WRITE_SIZE)
      offset += slice.length
      if (!res.write(slice)) return void res.once('drain', writeMore)
    }
    if (!gone) res.end()
  }
  writeMore()
}

const latencyGroups = new Map()

/**
 * Joins `res` to a latency group. When the group is complete every member gets its own probes, one
 * every `everyMs`, each member at its own phase within the period (member k starts k × everyMs / size
 * later), so the clients never wake at the same moment yet share the same stretch of time.
 */
function latency(res, {group, size, count, everyMs}) {
  let members = latencyGroups.get(group)
  if (!members) latencyGroups.set(group, (members = []))
  members.push(res)
  if (members.length < size) return
  latencyGroups.delete(group)
  members.forEach((member, k) => {
    let seq = 0
    let timer
    const start = setTimeout(() => {
      timer = setInterval(() => {
        member.write(latencyEvent(seq, process.hrtime.bigint()))
        if (++seq === count) {
          clearInterval(timer)
          member.end()
        }
      }, everyMs)
    }, Math.floor((k * everyMs) / size))
    member.on('close', () => {
      clearTimeout(start)
      clearInterval(timer)
    })
  })
}

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

function report(req, res) {
  const chunks = []
  req.on('data', (chunk) => chunks.push(chunk))
  req.on('end', () => {
    try {
      process.send?.({report: JSON.parse(Buffer.concat(chunks).toString('utf8'))})
      res.writeHead(204)
    } catch {
      res.writeHead(400)
    }
    res.end()
  })
}

function handle(req, res) {
  const url = new URL(req.url ?? '/', `http://${HOST}`)
  const {pathname} = url
  if (req.method === 'POST' && pathname === '/report') return report(req, res)
  if (pathname === '/stream') {
    const body = streamOf(countParam(url, 'n'))
    res.writeHead(200, SSE_HEADERS)
    return pushStream(res, body)
  }
  if (pathname === '/latency') {
    const options = {group: url.searchParams.get('group') ?? '', size: countParam(url, 'size'), count: countParam(url, 'n'), everyMs: countParam(url, 'every')}
    res.writeHead(200, SSE_HEADERS)
    res.flushHeaders()
    return latency(res, options)
  }
  if (pathname === '/idle') {
    res.writeHead(200, SSE_HEADERS)
    return void res.write(formatEvent({comment: 'idle'}))
  }
  for (const [prefix, [dir, file]] of Object.entries(ROOTS)) {
    if (pathname === prefix || (prefix.endsWith('/') && pathname.startsWith(prefix))) {
      return sendFile(res, dir, file ?? pathname.slice(prefix.length))
    }
  }
  notFound(res)
}

const server = createServer((req, res) => {
  try {
    handle(req, res)
  } catch (error) {
    res.writeHead(400, {'Content-Type': 'text/plain'})
    res.end(String(error))
  }
})
// Thousands of idle connections: no per-request timeouts, a backlog large enough for the burst.
server.requestTimeout = 0
server.headersTimeout = 60_000
server.keepAliveTimeout = 60_000
server.maxConnections = 20_000

// Warm the token stream the parent asks for before reporting ready, so no request waits for it.
for (const count of (process.argv[2] ?? '').split(',').filter(Boolean)) streamOf(Number(count))

server.listen({port: 0, host: HOST, backlog: 8192}, () => {
  const {port} = server.address()
  process.send?.({ready: `http://${HOST}:${port}`})
})

// The parent owns this process: when it goes (or closes the IPC channel), so do we.
process.on('disconnect', () => process.exit(0))
