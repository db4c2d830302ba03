import {type ChildProcess, spawn} from 'node:child_process'
import {fileURLToPath} from 'node:url'
import {afterEach, describe, expect, it} from 'vitest'
import {sse, startServer, type TestServer, until} from './helpers.js'

// [spec-adjacent] In Node: a pending reconnection keeps the process alive; after close() or a
// failed connection nothing the source owns does. Checked in a child process with no other work.

const child = fileURLToPath(new URL('./fixtures/lifetime-child.ts', import.meta.url))
const register = fileURLToPath(new URL('./fixtures/register.mjs', import.meta.url))
const running: ChildProcess[] = []
const servers: TestServer[] = []

afterEach(async () => {
  for (const process of running.splice(0)) process.kill()
  for (const server of servers.splice(0)) await server.close()
})

function start(url: string, mode: string) {
  const process = spawn(globalThis.process.execPath, ['--no-warnings', '--import', register, child, url, mode], {stdio: ['ignore', 'pipe', 'inherit']})
  running.push(process)
  let output = ''
  process.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const exited = new Promise<number | null>((resolve) => process.on('exit', (code) => resolve(code)))
  return {exited, output: () => output}
}

function exitsWithin(exited: Promise<number | null>, ms: number): Promise<number | null | 'still running'> {
  return Promise.race([exited, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), ms))])
}

describe('the process lifetime in Node', () => {
  it('ends by itself soon after close(), even while the server keeps the stream open', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, {'content-type': 'text/event-stream'})
      res.write('data: one\n\n')
    })
    servers.push(server)
    const {exited, output} = start(server.url, 'close-after-message')
    expect(await exitsWithin(exited, 8000)).toBe(0)
    expect(output()).toBe('message one\n')
  })

  it('ends by itself after a failed connection', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(500)
      res.end()
    })
    servers.push(server)
    const {exited, output} = start(server.url, 'stay')
    expect(await exitsWithin(exited, 8000)).toBe(0)
    expect(output()).toBe('error readyState=2 HttpError\n')
  })

  it('stays alive while waiting to reconnect, and reconnects', async () => {
    const server = await startServer((_req, res, index) => sse(res, `retry: 300\ndata: ${index}\n\n`))
    servers.push(server)
    const {exited, output} = start(server.url, 'stay')
    await until(() => server.requests.length >= 3, 8000)
    expect(await exitsWithin(exited, 10)).toBe('still running')
    expect(output()).toMatch(/^message 0\nerror readyState=0 ended\nmessage 1\nerror readyState=0 ended\n/)
  })
})
