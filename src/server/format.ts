/**
 * One frame of an event stream, written so that a conforming parser reads back exactly these fields.
 * @packageDocumentation
 */

/**
 * An event to send. Every field is optional; a frame without `data` dispatches nothing on the client,
 * but its `id` still sets the client's last event ID and its `retry` the reconnection time.
 *
 * @example
 * ```ts
 * const event: ServerSentEvent = {event: 'token', id: '42', data: 'Hello\nworld'}
 * ```
 */
export interface ServerSentEvent {
  /** The message's data; CR, LF and CRLF split it into one `data:` line each (clients rejoin them with LF). */
  data?: string | undefined
  /** The event type (`MessageEvent.type`); absent or empty means "message". Must not contain CR or LF. */
  event?: string | undefined
  /** The event ID; the client sends it back as `Last-Event-ID` on reconnect. `''` resets it. No CR, LF or NUL. */
  id?: string | undefined
  /** The client's reconnection time in ms: a whole number ≥ 0. */
  retry?: number | undefined
  /** A comment, ignored by clients (useful to keep a connection alive); CR, LF and CRLF split it. */
  comment?: string | undefined
}

// [spec] "Lines must be separated by either a U+000D CARRIAGE RETURN U+000A LINE FEED (CRLF)
// character pair, a single U+000A LINE FEED (LF) character, or a single U+000D CARRIAGE RETURN (CR)".
const LINE_BREAK = /\r\n|\r|\n/
const FIELDS = new Set(['data', 'event', 'id', 'retry', 'comment'])

/**
 * One `name: value` line. The space after the colon is always written: the parser strips exactly one
 * ([spec] "If value starts with a U+0020 SPACE character, remove it from value"), so a value that
 * starts with a space keeps it.
 */
const line = (name: string, value: string): string => (value === '' ? `${name}:\n` : `${name}: ${value}\n`)

function checkString(name: string, value: unknown): value is string {
  if (value === undefined) return false
  if (typeof value !== 'string') throw new TypeError(`formatEvent: ${name} must be a string, got ${value === null ? 'null' : typeof value}`)
  return true
}

function checkSingleLine(name: string, value: string): void {
  // A CR or LF would end the line: the rest would become a field of its own (or end the event).
  if (/[\r\n]/.test(value)) throw new TypeError(`formatEvent: ${name} must not contain CR or LF, got ${JSON.stringify(value)}`)
}

/**
 * Formats one event as the text of its frame, ending with the blank line that dispatches it. Data
 * and comments with line breaks become several lines; a value the format cannot carry throws
 * instead of producing a frame the client would read differently. An event with no field is `''`.
 * @throws TypeError naming the field: an `event` or `id` with CR or LF, an `id` with NUL (clients
 *   ignore such an id), a `retry` that is not a whole number ≥ 0, a field of the wrong type, or an
 *   unknown field
 *
 * @example
 * ```ts
 * formatEvent({event: 'update', id: '7', data: 'line 1\nline 2'})
 * // 'event: update\nid: 7\ndata: line 1\ndata: line 2\n\n'
 * ```
 */
export function formatEvent(event: ServerSentEvent): string {
  if (typeof event !== 'object' || event === null) throw new TypeError(`formatEvent: the event must be an object, got ${event === null ? 'null' : typeof event}`)
  for (const key of Object.keys(event)) {
    if (!FIELDS.has(key)) throw new TypeError(`formatEvent: unknown field ${JSON.stringify(key)} (expected data, event, id, retry or comment)`)
  }
  const {data, event: type, id, retry, comment} = event
  let frame = ''
  if (checkString('comment', comment)) {
    // [spec] "If the line starts with a U+003A COLON character (:) → Ignore the line."
    for (const text of comment.split(LINE_BREAK)) frame += line('', text)
  }
  if (checkString('event', type)) {
    checkSingleLine('event', type)
    // [spec] an empty event type buffer dispatches as "message": the line would change nothing.
    if (type !== '') frame += line('event', type)
  }
  if (checkString('id', id)) {
    checkSingleLine('id', id)
    // [spec] "If the field value does not contain U+0000 NULL, then set the last event ID buffer":
    // a client would drop the id silently.
    if (id.includes('\0')) throw new TypeError(`formatEvent: id must not contain NUL (clients ignore such an id), got ${JSON.stringify(id)}`)
    frame += line('id', id)
  }
  if (retry !== undefined) {
    // [spec] "If the field value consists of only ASCII digits": String() of a safe integer is digits.
    if (typeof retry !== 'number' || !Number.isSafeInteger(retry) || retry < 0) {
      throw new TypeError(`formatEvent: retry must be a whole number of ms ≥ 0, got ${typeof retry === 'number' ? retry : typeof retry}`)
    }
    frame += line('retry', String(retry))
  }
  if (checkString('data', data)) {
    // [spec] each data line appends its value and one LF; the LF after the last one is removed.
    for (const text of data.split(LINE_BREAK)) frame += line('data', text)
  }
  // [spec] "If the line is empty (a blank line) → Dispatch the event".
  return frame === '' ? '' : `${frame}\n`
}

/**
 * An item of an event stream: an event, or a string that is the data of a "message" event.
 *
 * @example
 * ```ts
 * const items: EventStreamItem[] = ['plain data', {event: 'done', data: ''}]
 * ```
 */
export type EventStreamItem = ServerSentEvent | string

/** The frame of an item (a string is the data of a "message" event). */
export const formatItem = (item: EventStreamItem): string => formatEvent(typeof item === 'string' ? {data: item} : item)
