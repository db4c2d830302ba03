import type {IncomingMessage, ServerResponse} from 'node:http'
import {startServer, type TestServer} from './helpers.js'

// Captured at import, before any test installs fake timers: the server keeps real time even
// while the client under test runs on a fake clock.
const realSetTimeout = globalThis.setTimeout
const realClearTimeout = globalThis.clearTimeout
const realSetImmediate = globalThis.setImmediate
const realClearImmediate = globalThis.clearImmediate

const SSE_HEADERS = {'content-type': 'text/event-stream', 'cache-control': 'no-store'}

/** One scripted answer of the fault server. Every one of them is bounded in time and bytes. */
export type Fault =
  /** 200 text/event-stream with `body`, then the response ends. */
  | {readonly kind: 'sse'; readonly body: string}
  /** 200 text/event-stream with `body`, then the response stays open until the client leaves. */
  | {readonly kind: 'open'; readonly body?: string}
  /** Reads the request and never answers: no status line, no headers. */
  | {readonly kind: 'stall-before-headers'}
  /** Sends the status line and headers (and `body`, if any) at once, then nothing more. */
  | {readonly kind: 'stall-after-headers'; readonly status?: number; readonly headers?: Record<string, string>; readonly body?: string}
  /** 200 text/event-stream, writes `body` (typically half an event), then destroys the socket. */
  | {readonly kind: 'reset'; readonly body: string}
  /** Any status, e.g. a 5xx with or without `Retry-After`; the body is sent and the response ends. */
  | {
      readonly kind: 'status'
      readonly status: number
      readonly statusText?: string
      readonly headers?: Record<string, string>
      readonly body?: string
    }
  /**
   * 200 text/event-stream, then `prefix` and `totalBytes` of `x` in `chunkBytes` writes without any
   * line break, honouring backpressure; stops as soon as the client goes away.
   */
  | {readonly kind: 'huge-line'; readonly totalBytes: number; readonly chunkBytes?: number; readonly prefix?: string}
  /** 200 text/event-stream, then each chunk in its own write (raw bytes: invalid UTF-8 welcome), then ends. */
  | {readonly kind: 'bytes'; readonly chunks: readonly Uint8Array[]}
  /** 200 text/event-stream, then `body` one byte per write, `intervalMs` apart (0: one per event-loop turn), then ends. */
  | {readonly kind: 'slow'; readonly body: string | Uint8Array; readonly intervalMs?: number}
  /** 200 text/event-stream, then `count` comment lines `intervalMs` apart, then `then` (if any), then ends. */
  | {readonly kind: 'keep-alive'; readonly intervalMs: number; readonly count: number; readonly then?: string}

/** What the server did with one request. */
export interface FaultLog {
  readonly fault: Fault
  /** Body bytes handed to the socket. */
  bytesWritten: number
  /** True once the response ended as scripted (never for stalls and resets). */
  finished: boolean
  /** True when the response closed before the script finished: the client went away, a `reset`, or `close()`. */
  clientLeft: boolean
}

export interface FaultServer extends TestServer {
  /** One entry per request, in arrival order. */
  readonly log: FaultLog[]
}

/**
 * A loopback node:http server that answers request `i` with `script[i]`, or with the last fault once
 * the script runs out. `close()` stops every pending write and destroys every socket.
 */
export async function startFaultServer(script: readonly Fault[]): Promise<FaultServer> {
  if (script.length === 0) throw new Error('startFaultServer: the script is empty')
  const log: FaultLog[] = []
  const timers = new Set<ReturnType<typeof setTimeout>>()
  const immediates = new Set<ReturnType<typeof setImmediate>>()
  let isClosing = false

  /** Runs `step` later, on the real clock, unless the server is closing. */
  function later(step: () => void, ms: number): void {
    if (isClosing) return
    if (ms > 0) {
      const timer = realSetTimeout(() => {
        timers.delete(timer)
        step()
      }, ms)
      timers.add(timer)
    } else {
      const immediate = realSetImmediate(() => {
        immediates.delete(immediate)
        step()
      })
      immediates.add(immediate)
    }
  }

  const handler = (_req: IncomingMessage, res: ServerResponse, index: number): void => {
    const fault = script[Math.min(index, script.length - 1)] as Fault
    const entry: FaultLog = {fault, bytesWritten: 0, finished: false, clientLeft: false}
    log.push(entry)
    res.on('close', () => {
      if (!entry.finished) entry.clientLeft = true
    })
    const gone = (): boolean => isClosing || res.destroyed || entry.clientLeft
    const write = (chunk: string | Uint8Array): boolean => {
      entry.bytesWritten += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength
      return res.write(chunk)
    }
    const end = (): void => {
      entry.finished = true
      res.end()
    }
    serve(fault, res, {write, end, gone})
  }

  interface Io {
    write(chunk: string | Uint8Array): boolean
    end(): void
    gone(): boolean
  }

  function serve(fault: Fault, res: ServerResponse, io: Io): void {
    switch (fault.kind) {
      case 'sse':
        res.writeHead(200, SSE_HEADERS)
        io.write(fault.body)
        return io.end()
      case 'open':
        res.writeHead(200, SSE_HEADERS)
        if (fault.body) io.write(fault.body)
        else res.flushHeaders()
        return
      case 'stall-before-headers':
        return
      case 'stall-after-headers':
        res.writeHead(fault.status ?? 200, fault.headers ?? SSE_HEADERS)
        if (fault.body) io.write(fault.body)
        else res.flushHeaders()
        return
      case 'reset':
        res.writeHead(200, SSE_HEADERS)
        // Destroy only once the bytes are on their way, so the client surely sees them first.
        res.write(fault.body, () => res.socket?.destroy())
        return
      case 'status':
        if (fault.statusText === undefined) res.writeHead(fault.status, fault.headers)
        else res.writeHead(fault.status, fault.statusText, fault.headers)
        if (fault.body) io.write(fault.body)
        return io.end()
      case 'huge-line': {
        res.writeHead(200, SSE_HEADERS)
        const chunk = Buffer.alloc(fault.chunkBytes ?? 64 * 1024, 'x')
        let remaining = fault.totalBytes
        if (fault.prefix) io.write(fault.prefix)
        const pump = (): void => {
          // Bounded by totalBytes; stops early when the client leaves or the server closes.
          while (remaining > 0 && !io.gone()) {
            const part = remaining >= chunk.byteLength ? chunk : chunk.subarray(0, remaining)
            remaining -= part.byteLength
            if (!io.write(part)) return void res.once('drain', pump)
          }
          if (remaining === 0 && !io.gone()) io.end()
        }
        return pump()
      }
      case 'bytes': {
        res.writeHead(200, SSE_HEADERS)
        const chunks = [...fault.chunks]
        const step = (): void => {
          if (io.gone()) return
          const chunk = chunks.shift()
          if (chunk === undefined) return io.end()
          io.write(chunk)
          later(step, 0)
        }
        return step()
      }
      case 'slow': {
        res.writeHead(200, SSE_HEADERS)
        res.flushHeaders()
        const bytes = typeof fault.body === 'string' ? Buffer.from(fault.body) : fault.body
        let offset = 0
        const step = (): void => {
          if (io.gone()) return
          if (offset >= bytes.byteLength) return io.end()
          io.write(bytes.subarray(offset, offset + 1))
          offset++
          later(step, fault.intervalMs ?? 0)
        }
        return step()
      }
      case 'keep-alive': {
        res.writeHead(200, SSE_HEADERS)
        res.flushHeaders()
        let sent = 0
        const step = (): void => {
          if (io.gone()) return
          if (sent === fault.count) {
            if (fault.then) io.write(fault.then)
            return io.end()
          }
          io.write(':\n')
          sent++
          later(step, fault.intervalMs)
        }
        return later(step, fault.intervalMs)
      }
    }
  }

  const server = await startServer(handler)
  return {
    ...server,
    log,
    close: async () => {
      isClosing = true
      for (const timer of timers) realClearTimeout(timer)
      for (const immediate of immediates) realClearImmediate(immediate)
      timers.clear()
      immediates.clear()
      await server.close()
    },
  }
}
