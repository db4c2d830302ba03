// Runs one EventSource (native or ours) and writes down everything a page can observe: each event
// with its fields and the readyState at that moment. Runs in a window, a dedicated worker and a
// service worker, so it uses nothing but globals they all have.

/** One event as a listener sees it. */
export interface Entry {
  type: string
  /** `data`, `lastEventId` and `origin` of a MessageEvent; null for a plain Event. */
  data: string | null
  lastEventId: string | null
  origin: string | null
  readyState: number
  /** Ours only, on `error`: the reconnection delay the event announces, and the error's class name. */
  reconnectDelay?: number | null
  errorName?: string
}

/** When the harness closes the source. */
export type CloseAt =
  /** right after the constructor returns */
  | 'construct'
  /** once the server logged the request (`logUrl`), while the response has not come */
  | 'request-seen'
  /** inside the `open` listener */
  | 'open'
  /** inside the first `message` listener */
  | 'message'
  /** 50 ms after an `error` event that left the source CONNECTING: during the reconnection wait */
  | 'reconnect-wait'

/** What to run. */
export interface RunSpec {
  url: string
  withCredentials?: boolean
  /** Event types to listen for besides open, message and error. */
  types?: string[]
  /** Close after a message event with this data. */
  untilData?: string
  /** Close after this many error events. */
  untilErrors?: number
  closeAt?: CloseAt
  /** The server's request log of this run, for `closeAt: 'request-seen'`. */
  logUrl?: string
  /** After closing, keep listening this long: an event after close() would show up. */
  settleMs?: number
  /** Give up after this long (the transcript then says `timedOut`). */
  timeoutMs?: number
}

/** What happened. */
export interface RunResult {
  /** readyState right after construction. */
  initial: number
  entries: Entry[]
  /** readyState when the run ended, before the harness called close(), and after it. */
  beforeClose: number
  final: number
  timedOut: boolean
  /** The `url` and `withCredentials` attributes at the end. */
  url: string
  withCredentials: boolean
  /** Ours only: the reconnection time (ms) at the end. */
  reconnectionTime: number | null
}

/** The EventSource API a transcript needs; the native one and ours both have it. */
export interface SourceLike extends EventTarget {
  readonly url: string
  readonly withCredentials: boolean
  readonly readyState: number
  close(): void
}

/** A constructor of native-compatible EventSources. */
export type SourceConstructor = new (url: string, init?: {withCredentials?: boolean}) => SourceLike

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Writes down `event` as a listener on `source` sees it. */
export function describeEvent(event: Event, source: SourceLike): Entry {
  const message = event instanceof MessageEvent ? event : undefined
  const entry: Entry = {
    type: event.type,
    data: message ? String(message.data) : null,
    lastEventId: message ? message.lastEventId : null,
    origin: message ? message.origin : null,
    readyState: source.readyState,
  }
  // Our EventSourceErrorEvent says why and what comes next.
  const details = event as {reconnectDelay?: unknown; error?: unknown}
  if ('reconnectDelay' in details) entry.reconnectDelay = typeof details.reconnectDelay === 'number' ? details.reconnectDelay : null
  if (details.error instanceof Error) entry.errorName = details.error.name
  return entry
}

/** Records every event of `types` (and open, message, error) on `source` into the returned array, as it happens. */
export function record(source: SourceLike, types: readonly string[] = []): Entry[] {
  const entries: Entry[] = []
  for (const type of new Set(['open', 'message', 'error', ...types])) source.addEventListener(type, (event) => entries.push(describeEvent(event, source)))
  return entries
}

async function whenLogged(logUrl: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const requests = (await (await fetch(logUrl)).json()) as unknown[]
    if (requests.length > 0) return
    await delay(25)
  }
}

/** Opens `spec.url` with `Source` and records the transcript until the stop condition. */
export function runTranscript(Source: SourceConstructor, spec: RunSpec): Promise<RunResult> {
  const timeoutMs = spec.timeoutMs ?? 8000
  const deadline = Date.now() + timeoutMs
  const entries: Entry[] = []
  const source = new Source(spec.url, spec.withCredentials === undefined ? undefined : {withCredentials: spec.withCredentials})
  const initial = source.readyState
  return new Promise((resolve) => {
    let isFinished = false
    let errors = 0
    const finish = async (timedOut: boolean): Promise<void> => {
      if (isFinished) return
      isFinished = true
      clearTimeout(timer)
      const beforeClose = source.readyState
      source.close()
      const final = source.readyState
      if (spec.settleMs) await delay(spec.settleMs)
      const reconnectionTime = (source as {reconnectionTime?: unknown}).reconnectionTime
      resolve({
        initial,
        entries,
        beforeClose,
        final,
        timedOut,
        url: source.url,
        withCredentials: source.withCredentials,
        reconnectionTime: typeof reconnectionTime === 'number' ? reconnectionTime : null,
      })
    }
    const timer = setTimeout(() => void finish(true), timeoutMs)
    const onEvent = (event: Event): void => {
      entries.push(describeEvent(event, source))
      const message = event instanceof MessageEvent ? event : undefined
      if (isFinished) return
      if (event.type === 'open' && spec.closeAt === 'open') return void finish(false)
      if (message && spec.closeAt === 'message') return void finish(false)
      if (message && spec.untilData !== undefined && message.data === spec.untilData) return void finish(false)
      if (event.type === 'error' && !message) {
        errors++
        // A failed connection: nothing more will happen.
        if (source.readyState === 2) return void finish(false)
        if (spec.closeAt === 'reconnect-wait') return void delay(50).then(() => finish(false))
        if (spec.untilErrors !== undefined && errors >= spec.untilErrors) return void finish(false)
      }
    }
    for (const type of new Set(['open', 'message', 'error', ...(spec.types ?? [])])) source.addEventListener(type, onEvent)
    if (spec.closeAt === 'construct') void finish(false)
    if (spec.closeAt === 'request-seen' && spec.logUrl) void whenLogged(spec.logUrl, deadline).then(() => finish(false))
  })
}
