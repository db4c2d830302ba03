// The `eventsource-kit` command, spawned from src/ (Node strips the types; test/cli/register-src.mjs
// resolves src/'s `.js` specifiers) against local node:http servers: every option, every warning,
// every exit status. The built bin is run from a consumer install by scripts/check-package.mjs.
import {type ChildProcess, spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {gzipSync} from 'node:zlib'
import {afterEach, describe, expect, test} from 'vitest'
import {formatHuman, formatJson, isColorStream} from '../src/cli/printers.js'
import {sse, startServer, type Handler, type TestServer} from './helpers.js'

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url))
const REGISTER = fileURLToPath(new URL('./cli/register-src.mjs', import.meta.url))
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string}).version
const USAGE_LINE = /^usage: eventsource-kit URL /m
// Every run ends by itself: a test that hangs fails here instead of at vitest's timeout.
const RUN_LIMIT_MS = 8000

interface CliResult {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

const servers: TestServer[] = []
const children: ChildProcess[] = []
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function serve(handler: Handler): Promise<TestServer> {
  const server = await startServer(handler)
  servers.push(server)
  return server
}

/** Starts the CLI; `whenStdout` resolves once stdout matches. */
function start(args: readonly string[]): {child: ChildProcess; result: Promise<CliResult>; whenStdout(pattern: RegExp): Promise<void>} {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '--import', REGISTER, MAIN, ...args], {
    env: {...process.env, NO_COLOR: '1'},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let stdout = ''
  let stderr = ''
  const waiters: {pattern: RegExp; resolve: () => void}[] = []
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8')
    for (const waiter of waiters.filter((entry) => entry.pattern.test(stdout))) {
      waiters.splice(waiters.indexOf(waiter), 1)
      waiter.resolve()
    }
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8')
  })
  const result = new Promise<CliResult>((resolve) => {
    const limit = setTimeout(() => child.kill('SIGKILL'), RUN_LIMIT_MS)
    child.on('close', (status) => {
      clearTimeout(limit)
      resolve({status, stdout, stderr})
    })
  })
  return {
    child,
    result,
    whenStdout: (pattern) => (pattern.test(stdout) ? Promise.resolve() : new Promise((resolve) => waiters.push({pattern, resolve}))),
  }
}

function cli(...args: string[]): Promise<CliResult> {
  return start(args).result
}

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

/** An event stream that stays open after `body`. */
function openStream(body: string, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(200, {'content-type': 'text/event-stream', ...headers})
    res.write(body)
  }
}

const TIME = String.raw`\d\d:\d\d:\d\d\.\d{3}`

describe('arguments', () => {
  test('--help prints the usage and the options, and exits 0', async () => {
    const {status, stdout, stderr} = await cli('--help')
    expect(status).toBe(0)
    expect(stdout).toMatch(USAGE_LINE)
    for (const option of ['-H', '-X', '-d', '--last-event-id', '--json', '--raw', '--events', '--max-retries', '--inactivity-timeout', '--timeout', '--count']) {
      expect(stdout).toContain(option)
    }
    expect(stderr).toBe('')
  })

  test('--version prints the package version and exits 0', async () => {
    const {status, stdout} = await cli('--version')
    expect(status).toBe(0)
    expect(stdout).toBe(`${VERSION}\n`)
  })

  test.each([
    [['--bogus', 'http://127.0.0.1:1/'], /Unknown option '--bogus'/],
    [[], /missing URL/],
    [['not a url'], /invalid URL "not a url"/],
    [['localhost:3000/events'], /invalid URL "localhost:3000\/events" \(an absolute http: or https: URL is needed/],
    [['ftp://127.0.0.1/events'], /invalid URL "ftp:\/\/127.0.0.1\/events"/],
    [['http://127.0.0.1:1/', 'http://127.0.0.1:2/'], /unexpected argument/],
    [['http://127.0.0.1:1/', '--count', '0'], /--count must be a whole number >= 1, got "0"/],
    [['http://127.0.0.1:1/', '--count', 'many'], /--count must be a whole number/],
    [['http://127.0.0.1:1/', '--max-retries', '-1'], /--max-retries/],
    [['http://127.0.0.1:1/', '--timeout', '1.5'], /--timeout must be a whole number/],
    [['http://127.0.0.1:1/', '--inactivity-timeout', 'x'], /--inactivity-timeout must be a whole number/],
    [['http://127.0.0.1:1/', '-H', 'no colon'], /-H expects 'Name: value'/],
    [['http://127.0.0.1:1/', '-H', 'bad name: x'], /is not a valid header/],
    [['http://127.0.0.1:1/', '-d', '@/nonexistent/body.json'], /-d @\/nonexistent\/body.json: cannot read the file \(ENOENT\)/],
    [['http://127.0.0.1:1/', '--json', '--raw'], /--json and --raw cannot be combined/],
    [['http://127.0.0.1:1/', '--events', 'a,,b'], /--events expects comma-separated event types/],
    [['http://127.0.0.1:1/', '-X', 'NOT A METHOD'], /option "method" must be an HTTP method name/],
    [['http://127.0.0.1:1/', '-X', 'GET', '-d', 'body'], /option "body" must be absent for method GET/],
    [['http://127.0.0.1:1/', '--timeout'], /argument missing/],
  ])('bad arguments %j exit 2 with the message and the usage line, and no stack trace', async (args, message) => {
    const {status, stdout, stderr} = await cli(...args)
    expect(status).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/^eventsource-kit: /)
    expect(stderr).toMatch(message)
    expect(stderr).toMatch(USAGE_LINE)
    expect(stderr).not.toMatch(/^\s+at /m)
  })
})

describe('output', () => {
  test('human output: one line per event with time, type, id and data; --count stops with exit 0', async () => {
    const server = await serve(openStream('data: hello\n\nevent: tick\nid: 7\ndata: two\ndata: lines\n\n: comment\n\nevent: update\ndata: {"a":1}\n\n'))
    const {status, stdout} = await cli(server.url, '--count', '3')
    expect(status).toBe(0)
    const lines = stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(4)
    expect(lines[0]).toMatch(new RegExp(`^${TIME} open 200 ${server.url} \\(text/event-stream\\)$`))
    expect(lines[1]).toMatch(new RegExp(`^${TIME} message hello$`))
    expect(lines[2]).toMatch(new RegExp(`^${TIME} tick id=7 two\\\\nlines$`))
    // The id lasts: the standard's lastEventId of the next event.
    expect(lines[3]).toMatch(new RegExp(`^${TIME} update id=7 \\{"a":1\\}$`))
  })

  test('--json prints one JSON object per line for opens, events and errors', async () => {
    let isFirst = true
    const server = await serve((_req, res) => {
      if (isFirst) {
        isFirst = false
        sse(res, 'retry: 20\nid: 1\ndata: first\n\n')
      } else openStream('event: second\ndata: 2\n\n')(_req, res, 1)
    })
    const {status, stdout} = await cli(server.url, '--json', '--count', '2')
    expect(status).toBe(0)
    const records = jsonLines(stdout)
    expect(records.map((record) => record.kind)).toEqual(['open', 'event', 'error', 'open', 'event'])
    expect(records[0]).toMatchObject({kind: 'open', url: server.url, status: 200, headers: {'content-type': 'text/event-stream'}})
    expect(records[1]).toMatchObject({kind: 'event', type: 'message', id: '1', data: 'first'})
    expect(records[2]).toMatchObject({kind: 'error', willReconnect: true, reconnectDelay: 20, name: null, message: 'the server ended the stream'})
    expect(records[4]).toMatchObject({kind: 'event', type: 'second', id: '1', data: '2'})
    for (const record of records) expect(new Date(record.time as string).toISOString()).toBe(record.time)
    // Sent on the reconnection, as the standard says.
    expect(server.requests[1]?.headers['last-event-id']).toBe('1')
  })

  test('--raw prints the bytes of the stream exactly as received, status lines on stderr', async () => {
    const bytes = '\uFEFF: hello\r\nretry: 5000\r\ndata: caf\u00E9\r\n\r\nevent: x\ndata: y\n\n'
    const server = await serve(openStream(bytes))
    const {status, stdout, stderr} = await cli(server.url, '--raw', '--count', '2')
    expect(status).toBe(0)
    expect(stdout).toBe(bytes)
    expect(stderr).toMatch(new RegExp(`^${TIME} open 200 `))
  })

  test('--events prints only the listed types, and --count counts only them', async () => {
    const server = await serve(openStream('data: plain\n\nevent: a\ndata: 1\n\nevent: b\ndata: 2\n\nevent: c\ndata: 3\n\nevent: a\ndata: 4\n\n'))
    const {status, stdout} = await cli(server.url, '--events', 'a,c', '--count', '3', '--json')
    expect(status).toBe(0)
    const events = jsonLines(stdout).filter((record) => record.kind === 'event')
    expect(events.map((record) => `${record.type as string}:${record.data as string}`)).toEqual(['a:1', 'c:3', 'a:4'])
  })

  test('colours only on a TTY and never with NO_COLOR', () => {
    expect(isColorStream({isTTY: true}, {})).toBe(true)
    expect(isColorStream({isTTY: true}, {NO_COLOR: ''})).toBe(true)
    expect(isColorStream({isTTY: true}, {NO_COLOR: '1'})).toBe(false)
    expect(isColorStream({isTTY: false}, {})).toBe(false)
    expect(isColorStream({}, {})).toBe(false)
    const record = {kind: 'event', time: new Date(2026, 0, 1, 12, 0, 0, 5), type: 'tick', id: '', data: 'x'} as const
    expect(formatHuman(record, true)).toBe('\u001B[2m12:00:00.005\u001B[0m \u001B[36mtick\u001B[0m x\n')
    expect(formatHuman(record, false)).toBe('12:00:00.005 tick x\n')
    // The two views show the same record.
    expect(JSON.parse(formatJson(record))).toEqual({kind: 'event', time: record.time.toISOString(), type: 'tick', id: '', data: 'x'})
  })
})

describe('requests', () => {
  test('-H (repeatable), -X, -d BODY and --last-event-id shape the request', async () => {
    const server = await serve(openStream('data: ok\n\n'))
    const {status} = await cli(server.url, '-H', 'Authorization: Bearer abc', '-H', 'X-Trace: 1', '-X', 'PUT', '-d', '{"q":1}', '--last-event-id', '41', '--count', '1')
    expect(status).toBe(0)
    const [request] = server.requests
    expect(request?.method).toBe('PUT')
    expect(request?.body).toBe('{"q":1}')
    expect(request?.headers.authorization).toBe('Bearer abc')
    expect(request?.headers['x-trace']).toBe('1')
    expect(request?.headers['last-event-id']).toBe('41')
    expect(request?.headers.accept).toBe('text/event-stream')
  })

  test('-d @file sends the file as the body, with POST when -X is absent', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'eventsource-kit-cli-'))
    try {
      const file = join(directory, 'body.json')
      writeFileSync(file, '{"prompt":"hello"}\n')
      const server = await serve(openStream('data: ok\n\n'))
      const {status} = await cli(server.url, '-d', `@${file}`, '-H', 'Content-Type: application/json', '--count', '1')
      expect(status).toBe(0)
      expect(server.requests[0]?.method).toBe('POST')
      expect(server.requests[0]?.body).toBe('{"prompt":"hello"}\n')
      expect(server.requests[0]?.headers['content-type']).toBe('application/json')
    } finally {
      rmSync(directory, {recursive: true, force: true})
    }
  })
})

describe('reconnections and failures', () => {
  test('a reconnection line gives the reason and the delay', async () => {
    let isFirst = true
    const server = await serve((_req, res) => {
      if (isFirst) {
        isFirst = false
        sse(res, 'retry: 30\ndata: a\n\n')
      } else openStream('data: b\n\n')(_req, res, 1)
    })
    const {status, stdout} = await cli(server.url, '--count', '2')
    expect(status).toBe(0)
    expect(stdout).toMatch(new RegExp(`^${TIME} reconnecting in 30 ms: the server ended the stream$`, 'm'))
    expect(stdout.match(/ open 200 /g)).toHaveLength(2)
  })

  test('--max-retries gives up after that many reconnections without an open: exit 1', async () => {
    const server = await serve((req, res, index) => {
      if (index === 0) sse(res, 'retry: 10\ndata: once\n\n')
      else req.socket.destroy()
    })
    const {status, stdout, stderr} = await cli(server.url, '--max-retries', '2')
    expect(status).toBe(1)
    expect(stdout.match(/reconnecting in 10 ms/g)).toHaveLength(2)
    expect(stdout).toMatch(/reconnecting in 10 ms: NetworkError: Network error while connecting to or reading from .*: fetch failed/)
    expect(stderr).toMatch(new RegExp(`^${TIME} failed: NetworkError: `, 'm'))
    // The first request, then two reconnections (the first after the stream ended): the third failure is final.
    expect(server.requests).toHaveLength(3)
  })

  test('a fatal HTTP error shows its status, headers and the start of its body: exit 1', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(401, {'content-type': 'application/json', 'www-authenticate': 'Bearer realm="api"'})
      res.end(JSON.stringify({error: 'token expired', padding: 'x'.repeat(600)}))
    })
    const {status, stdout, stderr} = await cli(server.url)
    expect(status).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toMatch(new RegExp(`^${TIME} failed: HttpError: Unexpected status 401 Unauthorized from ${server.url}$`, 'm'))
    expect(stderr).toMatch(/^ +www-authenticate: Bearer realm="api"$/m)
    expect(stderr).toMatch(/^ +content-type: application\/json$/m)
    expect(stderr).toMatch(/^ +body: \{"error":"token expired","padding":"x+…$/m)
    expect(server.requests).toHaveLength(1)
  })

  test('--json reports a fatal HTTP error as a record with status, headers and body', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(503, {'retry-after': '10'})
      res.end('down for maintenance')
    })
    const {status, stdout} = await cli(server.url, '--json')
    expect(status).toBe(1)
    const [record] = jsonLines(stdout)
    expect(record).toMatchObject({kind: 'error', willReconnect: false, reconnectDelay: null, name: 'HttpError', status: 503, body: 'down for maintenance'})
    expect((record?.headers as Record<string, string>)['retry-after']).toBe('10')
  })

  test('a wrong Content-Type fails: exit 1', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, {'content-type': 'text/html'})
      res.end('<html></html>')
    })
    const {status, stderr} = await cli(server.url)
    expect(status).toBe(1)
    expect(stderr).toMatch(/failed: ContentTypeError: Expected Content-Type text\/event-stream from .*, got "text\/html"/)
  })

  test('--inactivity-timeout drops a silent stream and reconnects', async () => {
    const server = await serve((req, res, index) => {
      if (index === 0) openStream('retry: 20\n\n')(req, res, index)
      else req.socket.destroy()
    })
    const {status, stdout, stderr} = await cli(server.url, '--inactivity-timeout', '150', '--max-retries', '1')
    expect(status).toBe(1)
    expect(stdout).toMatch(/reconnecting in 20 ms: InactivityTimeoutError: No data from .* for 150 ms/)
    expect(stderr).toMatch(/failed: NetworkError: /)
    expect(server.requests).toHaveLength(2)
  })
})

describe('stopping', () => {
  test('--timeout stops after that many milliseconds with exit 0', async () => {
    const server = await serve(openStream('data: one\n\n'))
    const {status, stdout} = await cli(server.url, '--timeout', '300')
    expect(status).toBe(0)
    expect(stdout).toMatch(/ message one$/m)
  })

  test('Ctrl-C (SIGINT) stops cleanly with exit 0', async () => {
    const server = await serve(openStream('data: one\n\n'))
    const run = start([server.url])
    await run.whenStdout(/ message one\n/)
    run.child.kill('SIGINT')
    const {status, stderr} = await run.result
    expect(status).toBe(0)
    expect(stderr).toBe('')
  })
  test('a reader of stdout that goes away (| head) is a clean stop with exit 0', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, {'content-type': 'text/event-stream'})
      let tick = 0
      const timer = setInterval(() => res.write(`data: ${++tick}\n\n`), 20)
      res.on('close', () => clearInterval(timer))
    })
    const run = start([server.url])
    await run.whenStdout(/ message 1\n/)
    run.child.stdout?.destroy()
    const {status, stderr} = await run.result
    expect(status).toBe(0)
    expect(stderr).toBe('')
  })
})

describe('diagnosis warnings', () => {
  test('a Content-Encoding on the stream', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, {'content-type': 'text/event-stream', 'content-encoding': 'gzip'})
      res.end(gzipSync('data: zipped\n\n'))
    })
    const {status, stdout, stderr} = await cli(server.url, '--count', '1', '--json')
    expect(status).toBe(0)
    expect(stderr).toMatch(/warning content-encoding: the stream is sent with Content-Encoding: gzip/)
    const records = jsonLines(stdout)
    expect(records.map((record) => record.kind)).toEqual(['open', 'warning', 'event'])
    expect(records[1]).toMatchObject({code: 'content-encoding'})
    expect(records[2]).toMatchObject({data: 'zipped'})
  })

  test('no byte for a while after open (half of --inactivity-timeout)', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, {'content-type': 'text/event-stream'})
      res.flushHeaders()
    })
    const {status, stdout, stderr} = await cli(server.url, '--inactivity-timeout', '400', '--max-retries', '0', '--json')
    expect(status).toBe(1)
    expect(stderr).toMatch(/warning no-bytes-after-open: no byte for 200 ms after the stream opened/)
    const records = jsonLines(stdout)
    expect(records.map((record) => record.kind)).toEqual(['open', 'warning', 'error'])
    expect(records[1]).toMatchObject({code: 'no-bytes-after-open'})
    expect(records[2]).toMatchObject({name: 'InactivityTimeoutError', willReconnect: false})
  })

  test('events arriving only in large bursts', async () => {
    const burst = (from: number): string => Array.from({length: 6}, (_, index) => `data: ${from + index}\n\n`).join('')
    const server = await serve((_req, res) => {
      res.writeHead(200, {'content-type': 'text/event-stream'})
      res.flushHeaders()
      setTimeout(() => res.write(burst(0)), 1100)
      setTimeout(() => res.write(burst(6)), 2200)
    })
    const {status, stdout, stderr} = await cli(server.url, '--count', '12')
    expect(status).toBe(0)
    expect(stdout.match(/ message \d+$/gm)).toHaveLength(12)
    expect(stderr).toMatch(/warning bursts: events arrive only in bursts \(6 at once after \d\.\d s of silence\)/)
  })

  test.each([
    ['JSON', '{"error":"not a stream"}', /it looks like JSON: "\{\\"error\\":\\"not a stream\\"\}"/],
    ['HTML', '<!doctype html>\n<html>…', /it looks like HTML: "<!doctype html>"/],
    ['text', 'Internal error, please retry\n', /its first line is not a field: "Internal error, please retry"/],
  ])('a text/event-stream answer whose body is %s', async (_kind, body, message) => {
    const server = await serve((_req, res) => sse(res, body))
    const {status, stderr} = await cli(server.url, '--max-retries', '0')
    expect(status).toBe(1)
    expect(stderr).toMatch(/warning not-an-event-stream: the response says text\/event-stream but /)
    expect(stderr).toMatch(message)
  })

  test('a real event stream gives no warning', async () => {
    const server = await serve(openStream(': ok\n\nretry: 1000\nid: 1\nevent: a\ndata: x\n\n'))
    const {status, stderr} = await cli(server.url, '--count', '1')
    expect(status).toBe(0)
    expect(stderr).toBe('')
  })

  test('a retry: above an hour', async () => {
    const server = await serve(openStream('retry: 7200000\ndata: x\n\n'))
    const {status, stderr} = await cli(server.url, '--count', '1')
    expect(status).toBe(0)
    expect(stderr).toMatch(/warning retry-over-an-hour: the server sent retry: 7200000 \(2\.0 hours\)/)
  })
})
