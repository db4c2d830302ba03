/** What the CLI saw, in one shape for every output: the human and `--json` printers are two views of these. */
export type CliRecord = OpenRecord | EventRecord | ErrorRecord | WarningRecord

/** The connection opened: the response that was accepted as an event stream. */
export interface OpenRecord {
  readonly kind: 'open'
  readonly time: Date
  readonly url: string
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
}

/** One event, as the EventSource dispatched it. */
export interface EventRecord {
  readonly kind: 'event'
  readonly time: Date
  readonly type: string
  /** The last event ID string as of this event. */
  readonly id: string
  readonly data: string
}

/** What went wrong, or why the stream ended; `willReconnect` says whether the source goes on. */
export interface ErrorRecord {
  readonly kind: 'error'
  readonly time: Date
  readonly willReconnect: boolean
  /** The delay before the next attempt in ms, or `null` when the source stopped. */
  readonly reconnectDelay: number | null
  /** The error's name, or `null` when the server simply ended the stream. */
  readonly name: string | null
  readonly message: string
  /** For an HTTP error: the status, the response headers and the start of the body. */
  readonly status?: number
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string
}

/** A diagnosis: something about the stream that commonly delays or breaks events. */
export interface WarningRecord {
  readonly kind: 'warning'
  readonly time: Date
  readonly code: WarningCode
  readonly message: string
}

/** The diagnoses the CLI makes. */
export type WarningCode = 'content-encoding' | 'no-bytes-after-open' | 'bursts' | 'not-an-event-stream' | 'retry-over-an-hour'
