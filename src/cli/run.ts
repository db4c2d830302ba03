import {EventSource, type EventSourceErrorEvent, type EventSourceInit, HttpError} from 'eventsource-kit'
import {retry} from 'eventsource-kit/reconnect'
import {extractMimeEssence} from '../core/mime.js'
import type {CliOptions} from './args.js'
import {UsageError} from './args.js'
import {Diagnosis} from './diagnosis.js'
import type {Printer} from './printers.js'
import type {CliRecord, ErrorRecord} from './records.js'
import {tapFetch} from './tap.js'

/** Exit statuses: 0 after --count, --timeout or an interrupt; 1 when the connection failed. */
export const EXIT_OK = 0
export const EXIT_FAILED = 1
/** Bad arguments (the usage line is printed). */
export const EXIT_USAGE = 2

// Without --inactivity-timeout, a stream that stays silent this long after opening is reported.
const DEFAULT_STALL_MS = 5000
// Causes followed to explain a network error (fetch failed → connect ECONNREFUSED …).
const MAX_CAUSES = 4

/** An EventSource that also reports every event it dispatches (opens, errors and every event type). */
class ObservedEventSource extends EventSource {
  onDispatch: ((event: Event) => void) | undefined

  override dispatchEvent(event: Event): boolean {
    this.onDispatch?.(event)
    return super.dispatchEvent(event)
  }
}

/** The error's message followed by its causes' (fetch failed: connect ECONNREFUSED 127.0.0.1:1). */
function explain(error: Error): string {
  let message = error.message
  let cause = error.cause
  for (let depth = 0; depth < MAX_CAUSES && cause instanceof Error; depth++) {
    if (!message.includes(cause.message)) message += `: ${cause.message}`
    cause = cause.cause
  }
  return message
}

function errorRecord(event: EventSourceErrorEvent): ErrorRecord {
  const {error, willReconnect, reconnectDelay} = event
  const base = {kind: 'error', time: new Date(), willReconnect, reconnectDelay} as const
  if (error === undefined) return {...base, name: null, message: 'the server ended the stream'}
  const record = {...base, name: error.name, message: explain(error)}
  if (!(error instanceof HttpError)) return record
  return {...record, status: error.status, headers: Object.fromEntries(error.headers), ...(error.body === undefined ? {} : {body: error.body})}
}

/** What a run needs from its process: the printer, and a way to hear Ctrl-C. */
export interface RunContext {
  readonly printer: Printer
  /** Calls `stop` on an interrupt (SIGINT); returns the function that stops listening. */
  readonly onInterrupt: (stop: () => void) => () => void
}

/**
 * Tails `options.url` until --count, --timeout, an interrupt or a fatal error.
 * @returns the exit status
 * @throws UsageError when the library rejects an option (a bad method, a body with GET)
 */
export function run(options: CliOptions, context: RunContext): Promise<number> {
  const {printer} = context
  const print = (record: CliRecord): void => printer.print(record)
  const inactivityTimeout = options.inactivityTimeoutMs
  const diagnosis = new Diagnosis({
    stallMs: inactivityTimeout === undefined ? DEFAULT_STALL_MS : Math.max(1, Math.floor(inactivityTimeout / 2)),
    warn: (code, message) => print({kind: 'warning', time: new Date(), code, message}),
  })
  let lastResponse: Response | undefined
  let isEventStream = false
  const fetch = tapFetch({
    response(response) {
      lastResponse = response
      isEventStream = response.status === 200 && extractMimeEssence(response.headers.get('content-type')) === 'text/event-stream'
      diagnosis.response(response)
    },
    bytes(chunk) {
      diagnosis.bytes(chunk)
      if (isEventStream) printer.bytes?.(chunk)
    },
    end: () => diagnosis.end(),
  })
  const init: EventSourceInit = {
    headers: options.headers,
    fetch,
    ...(options.method === undefined ? {} : {method: options.method}),
    ...(options.body === undefined ? {} : {body: options.body}),
    ...(options.lastEventId === undefined ? {} : {lastEventId: options.lastEventId}),
    ...(options.maxRetries === undefined ? {} : {reconnect: retry({maxRetries: options.maxRetries})}),
    ...(inactivityTimeout === undefined ? {} : {inactivityTimeout}),
  }
  let source: ObservedEventSource
  try {
    source = new ObservedEventSource(options.url, init)
  } catch (error) {
    // The library names the bad option ("EventSource: option "method" must be …").
    diagnosis.stop()
    throw new UsageError((error as Error).message)
  }
  return new Promise((resolve) => {
    let events = 0
    let isFinished = false
    const finish = (status: number): void => {
      if (isFinished) return
      isFinished = true
      source.close()
      diagnosis.stop()
      clearTimeout(timer)
      stopListening()
      resolve(status)
    }
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => finish(EXIT_OK), options.timeoutMs)
    const stopListening = context.onInterrupt(() => finish(EXIT_OK))
    source.onDispatch = (event) => {
      if (isFinished) return
      if (event instanceof MessageEvent) {
        if (options.events && !options.events.has(event.type)) return
        print({kind: 'event', time: new Date(), type: event.type, id: event.lastEventId, data: String(event.data)})
        if (options.count !== undefined && ++events >= options.count) finish(EXIT_OK)
      } else if (event.type === 'open') {
        const response = lastResponse
        const url = response?.url || options.url
        print({kind: 'open', time: new Date(), url, status: response?.status ?? 200, headers: response ? Object.fromEntries(response.headers) : {}})
        diagnosis.open()
      } else if (event.type === 'error') {
        const record = errorRecord(event as EventSourceErrorEvent)
        print(record)
        if (!record.willReconnect) finish(EXIT_FAILED)
      }
    }
  })
}
