import {createEventStreamDecoder, type EventStreamDecoder} from '../core/decode.js'
import {extractMimeEssence} from '../core/mime.js'
import type {WarningCode} from './records.js'

/** Tuning of the diagnosis. */
export interface DiagnosisOptions {
  /** Warn when no byte arrives this long after an event stream opened. */
  readonly stallMs: number
  /** A chunk after this much silence that carries `burstEvents` events or more is a burst. */
  readonly burstGapMs?: number
  readonly burstEvents?: number
  /** Bursts seen before warning. */
  readonly burstsToWarn?: number
  /** Called once per kind of problem. */
  readonly warn: (code: WarningCode, message: string) => void
}

const HOUR_MS = 60 * 60 * 1000
const FIELDS = new Set(['data', 'event', 'id', 'retry'])
// Enough of the body to see its first line.
const FIRST_LINE_CHARS = 1024

/** Whether a line could open an event stream: empty, a comment or a known field. */
function isEventStreamLine(line: string): boolean {
  if (line === '' || line.startsWith(':')) return true
  const colon = line.indexOf(':')
  return FIELDS.has(colon === -1 ? line : line.slice(0, colon))
}

function describeBody(line: string): string {
  const start = line.trimStart()
  if (start.startsWith('{') || start.startsWith('[')) return 'it looks like JSON'
  if (start.startsWith('<')) return 'it looks like HTML'
  return 'its first line is not a field'
}

/**
 * Watches the responses and bytes of a stream for what commonly delays or breaks events: compression,
 * a buffering proxy (silence after open, events only in bursts), a body that is not an event stream,
 * and a `retry:` so long that a dropped stream seems dead.
 */
export class Diagnosis {
  readonly #options: Required<DiagnosisOptions>
  readonly #warned = new Set<WarningCode>()
  #response: Response | undefined
  #decoder: EventStreamDecoder | undefined
  #eventsInChunk = 0
  #firstLine: string | undefined
  #stallTimer: ReturnType<typeof setTimeout> | undefined
  #lastBytesAtMs: number | undefined
  #bursts = 0

  constructor(options: DiagnosisOptions) {
    this.#options = {burstGapMs: 1000, burstEvents: 5, burstsToWarn: 2, ...options}
  }

  #warn(code: WarningCode, message: string): void {
    if (this.#warned.has(code)) return
    this.#warned.add(code)
    this.#options.warn(code, message)
  }

  /** A response arrived: only an event stream (200, `text/event-stream`) is watched. */
  response(response: Response): void {
    this.#stopStallTimer()
    this.#decoder = undefined
    this.#response = undefined
    if (response.status !== 200 || extractMimeEssence(response.headers.get('content-type')) !== 'text/event-stream') return
    this.#response = response
    this.#firstLine = ''
    this.#lastBytesAtMs = Date.now()
    this.#decoder = createEventStreamDecoder(
      Number.POSITIVE_INFINITY,
      () => {
        this.#eventsInChunk++
      },
      () => {},
      (ms) => {
        if (ms > HOUR_MS) this.#warn('retry-over-an-hour', `the server sent retry: ${ms} (${(ms / HOUR_MS).toFixed(1)} hours): after a drop the client waits that long before reconnecting`)
      },
    )
  }

  /** The source announced the connection (after `response`, before the body is read). */
  open(): void {
    const response = this.#response
    if (response === undefined) return
    const encoding = response.headers.get('content-encoding')
    if (encoding !== null && encoding.toLowerCase() !== 'identity') {
      this.#warn('content-encoding', `the stream is sent with Content-Encoding: ${encoding}; compression buffers events until a block is full (turn it off for text/event-stream)`)
    }
    const {stallMs} = this.#options
    this.#stopStallTimer()
    this.#stallTimer = setTimeout(() => {
      this.#warn('no-bytes-after-open', `no byte for ${stallMs} ms after the stream opened: a proxy may be buffering the response (send a comment line at once, and X-Accel-Buffering: no for nginx)`)
    }, stallMs)
    this.#stallTimer.unref?.()
  }

  /** Bytes of the current body, as received. */
  bytes(chunk: Uint8Array): void {
    const decoder = this.#decoder
    if (decoder === undefined) return
    this.#stopStallTimer()
    this.#checkFirstLine(chunk)
    const nowMs = Date.now()
    const silenceMs = nowMs - (this.#lastBytesAtMs ?? nowMs)
    this.#lastBytesAtMs = nowMs
    this.#eventsInChunk = 0
    decoder(chunk)
    const {burstGapMs, burstEvents, burstsToWarn} = this.#options
    if (silenceMs >= burstGapMs && this.#eventsInChunk >= burstEvents && ++this.#bursts >= burstsToWarn) {
      this.#warn('bursts', `events arrive only in bursts (${this.#eventsInChunk} at once after ${(silenceMs / 1000).toFixed(1)} s of silence): something between the server and you buffers the stream`)
    }
  }

  #checkFirstLine(chunk: Uint8Array | undefined): void {
    if (this.#firstLine === undefined) return
    if (chunk) this.#firstLine += new TextDecoder().decode(chunk.subarray(0, FIRST_LINE_CHARS)).replace(/^\uFEFF/, '')
    const end = this.#firstLine.search(/[\r\n]/)
    // At the end of the body, whatever came is the first line.
    if (end === -1 && chunk && this.#firstLine.length < FIRST_LINE_CHARS) return
    const line = end === -1 ? this.#firstLine : this.#firstLine.slice(0, end)
    this.#firstLine = undefined
    if (!isEventStreamLine(line)) {
      const shown = line.length > 80 ? `${line.slice(0, 80)}…` : line
      this.#warn('not-an-event-stream', `the response says text/event-stream but ${describeBody(line)}: ${JSON.stringify(shown)}; no events will be parsed from it`)
    }
  }

  /** The current body ended. */
  end(): void {
    this.#stopStallTimer()
    if (this.#decoder !== undefined && this.#firstLine !== '') this.#checkFirstLine(undefined)
    this.#firstLine = undefined
  }

  #stopStallTimer(): void {
    clearTimeout(this.#stallTimer)
    this.#stallTimer = undefined
  }

  /** Stops every timer. */
  stop(): void {
    this.#stopStallTimer()
    this.#decoder = undefined
    this.#response = undefined
  }
}
