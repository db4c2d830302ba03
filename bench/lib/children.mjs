// Child processes of the benchmark: the SSE server, and one worker per implementation. Every child
// is forked with an IPC channel and exits when the channel closes, so none outlives the run.
import {fork} from 'node:child_process'
import {fileURLToPath} from 'node:url'

const SERVER = fileURLToPath(new URL('./server.mjs', import.meta.url))
const WORKER = fileURLToPath(new URL('./worker.mjs', import.meta.url))

function waitForMessage(child, test, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`${what}: no answer within ${timeoutMs} ms`)), timeoutMs)
    const onMessage = (message) => {
      if (test(message)) finish(undefined, message)
    }
    const onExit = (code, signal) => finish(new Error(`${what}: the child exited (${signal ?? code})`))
    function finish(error, message) {
      clearTimeout(timer)
      child.off('message', onMessage)
      child.off('exit', onExit)
      if (error) reject(error)
      else resolve(message)
    }
    child.on('message', onMessage)
    child.on('exit', onExit)
  })
}

/**
 * Starts the SSE server in a child process.
 * @param {number[]} warmCounts - token stream sizes to build before the server says it is ready
 * @returns {Promise<{url: string, child: import('node:child_process').ChildProcess, stop(): void}>}
 */
export async function startServer(warmCounts = []) {
  const child = fork(SERVER, [warmCounts.join(',')], {stdio: ['ignore', 'inherit', 'inherit', 'ipc']})
  try {
    const {ready} = await waitForMessage(child, (message) => typeof message?.ready === 'string', 30_000, 'bench server')
    return {url: ready, child, stop: () => stop(child)}
  } catch (error) {
    stop(child)
    throw error
  }
}

function stop(child) {
  if (child.exitCode === null && child.signalCode === null) {
    if (child.connected) child.disconnect()
    // A child that does not leave within a second is killed.
    setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'), 1000).unref()
  }
}

/**
 * A worker process that runs one implementation on request. Calls are answered in order over IPC.
 */
export class Worker {
  #child
  #nextId = 0
  #name

  /**
   * @param {string} implementation - an id from implementations.mjs
   * @param {string[]} nodeFlags - extra flags for node (e.g. --cpu-prof)
   * @param {string} [execPath] - the node binary to run the worker with (default: this one)
   */
  constructor(implementation, nodeFlags = [], execPath = process.execPath) {
    this.#name = implementation
    this.#child = fork(WORKER, [implementation], {
      execPath,
      execArgv: ['--expose-gc', ...nodeFlags],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    // A failed send or a dead child must not crash the runner: call() reports it instead.
    this.#child.on('error', () => {})
  }

  /**
   * Runs one command in the worker.
   * @param {object} command - {cmd: 'stream' | 'latency' | 'parse' | 'idle', ...}
   * @param {number} timeoutMs - the worker is killed if it does not answer in time
   */
  async call(command, timeoutMs) {
    const id = ++this.#nextId
    const child = this.#child
    if (!child.connected) throw new Error(`${this.#name} ${command.cmd}: the worker is not running (exit ${child.signalCode ?? child.exitCode})`)
    let answer
    try {
      const answered = waitForMessage(child, (message) => message?.id === id, timeoutMs, `${this.#name} ${command.cmd}`)
      child.send({id, ...command}, (error) => error && child.kill('SIGKILL'))
      answer = await answered
    } catch (error) {
      this.#child.kill('SIGKILL')
      throw error
    }
    if (!answer.ok) throw new Error(`${this.#name} ${command.cmd}: ${answer.error}`)
    return answer.result
  }

  /** Closes the channel; the worker exits (and writes its CPU profile, if asked to make one). */
  async stop() {
    const child = this.#child
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    stop(child)
    await exited
  }
}
