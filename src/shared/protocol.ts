// The records that tabs exchange on the BroadcastChannel. Another tab may run an older or newer
// version of the app, or something else entirely may post on the channel: every record is checked
// on receipt and anything that is not exactly a known version-1 record is ignored.
import {
  ContentTypeError,
  CorsError,
  EventSourceError,
  HttpError,
  InactivityTimeoutError,
  MaxEventSizeError,
  NetworkError,
  RequestInitError,
} from 'eventsource-kit'

/** The protocol version; a record with any other `v` is ignored. */
export const PROTOCOL_VERSION = 1

/**
 * An error as it crosses the channel: its class name, message and own fields (HttpError: status,
 * statusText, body snippet; ContentTypeError: contentType; ...), the headers as name-value pairs
 * and the cause as its name and message.
 */
export interface SerializedError {
  readonly name: string
  readonly message: string
  readonly headers?: ReadonlyArray<readonly [string, string]>
  readonly cause?: {readonly name: string; readonly message: string}
  readonly [field: string]: unknown
}

interface Base {
  readonly v: typeof PROTOCOL_VERSION
  /** The sending source's random id. */
  readonly from: string
}

/** A tab's request: `hello` (just joined: the leader answers with a beat) or `ping` (is the leader alive?). */
export interface CallRecord extends Base {
  readonly kind: 'hello' | 'ping'
}

/** Fields of every record a leader sends: `e` is its epoch (leadership number), `from` breaks ties. */
interface LeaderBase extends Base {
  readonly e: number
}

/** A new leader took over: it resumes after position `base` with Last-Event-ID `id`; `fresh` when it knew no position. */
export interface LeaderRecord extends LeaderBase {
  readonly kind: 'leader'
  readonly base: number
  readonly id: string
  readonly fresh: boolean
}

/** The leader's heartbeat, also its answer to `hello` and `ping`: the newest position and id, the connection state. */
export interface BeatRecord extends LeaderBase {
  readonly kind: 'beat'
  readonly pos: number
  readonly id: string
  readonly retry: number
  readonly state: 0 | 1 | 2
}

/** The leader's connection opened. */
export interface OpenRecord extends LeaderBase {
  readonly kind: 'open'
}

/** One event, at stream position `pos` (the same event has the same position in every tab). */
export interface MessageRecord extends LeaderBase {
  readonly kind: 'message'
  readonly pos: number
  readonly type: string
  readonly data: string
  readonly id: string
  readonly origin: string
}

/** The leader's connection was lost (`state` 0: it reconnects after `delay` ms) or failed (`state` 2). */
export interface ErrorRecord extends LeaderBase {
  readonly kind: 'error'
  readonly state: 0 | 2
  readonly delay: number | null
  readonly error: SerializedError | null
}

/** Every record of the protocol. */
export type ChannelRecord = CallRecord | LeaderRecord | BeatRecord | OpenRecord | MessageRecord | ErrorRecord

/** A record a leader sends. */
export type LeaderChannelRecord = Exclude<ChannelRecord, CallRecord>

type Fields = Record<string, unknown>

const isString = (value: unknown): value is string => typeof value === 'string'
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0
const isMs = (value: unknown): boolean => typeof value === 'number' && value >= 0 && Number.isFinite(value)
const isState = (value: unknown): boolean => value === 0 || value === 1 || value === 2

const isPlain = (value: unknown): boolean => value === null || ['string', 'number', 'boolean'].includes(typeof value)

function isSerializedError(value: unknown): value is SerializedError {
  if (typeof value !== 'object' || value === null) return false
  const {headers, cause, ...fields} = value as Fields
  const {name, message} = cause as Fields | undefined ?? {name: '', message: ''}
  return (
    isString(fields.name) &&
    isString(fields.message) &&
    Object.values(fields).every(isPlain) &&
    (headers === undefined || (Array.isArray(headers) && headers.every((pair) => Array.isArray(pair) && pair.length === 2 && pair.every(isString)))) &&
    isString(name) &&
    isString(message)
  )
}

// What each kind needs beyond `v`, `kind` and `from`.
const CHECKS: Record<ChannelRecord['kind'], (record: Fields) => boolean> = {
  hello: () => true,
  ping: () => true,
  leader: (r) => isCount(r.e) && isCount(r.base) && isString(r.id) && typeof r.fresh === 'boolean',
  beat: (r) => isCount(r.e) && isCount(r.pos) && isString(r.id) && isMs(r.retry) && isState(r.state),
  open: (r) => isCount(r.e),
  message: (r) => isCount(r.e) && isCount(r.pos) && isString(r.type) && isString(r.data) && isString(r.id) && isString(r.origin),
  error: (r) => isCount(r.e) && (r.state === 0 || r.state === 2) && (r.delay === null || isMs(r.delay)) && (r.error === null || isSerializedError(r.error)),
}

/**
 * Checks a received message: the record when it is a well-formed version-1 record, else undefined.
 * @example
 * ```ts
 * channel.onmessage = (event) => { const record = readRecord(event.data); if (record) handle(record) }
 * ```
 */
export function readRecord(data: unknown): ChannelRecord | undefined {
  if (typeof data !== 'object' || data === null) return undefined
  const record = data as Fields
  if (record.v !== PROTOCOL_VERSION || !isString(record.from) || !isString(record.kind) || !Object.hasOwn(CHECKS, record.kind)) return undefined
  return CHECKS[record.kind as ChannelRecord['kind']](record) ? (record as unknown as ChannelRecord) : undefined
}

/**
 * Turns the error of an `error` event into a record that structured cloning keeps whole.
 * @example
 * ```ts
 * serializeError(new HttpError(response, url)) // {name: 'HttpError', message, status: 401, statusText, headers: [...], body}
 * ```
 */
export function serializeError(error: EventSourceError | undefined): SerializedError | null {
  if (error === undefined) return null
  const {headers, cause} = error as Partial<HttpError>
  const fields = Object.fromEntries(Object.entries(error).filter(([, value]) => isPlain(value)))
  return {
    ...fields,
    name: error.name,
    message: error.message,
    ...(headers instanceof Headers ? {headers: [...headers]} : {}),
    ...(cause === undefined ? {} : {cause: {name: String((cause as Error | null)?.name), message: String((cause as Error | null)?.message ?? cause)}}),
  }
}

// The classes a follower rebuilds by name; any other name becomes an EventSourceError with that name.
const CLASSES: Record<string, abstract new (...args: never[]) => EventSourceError> = {
  HttpError,
  ContentTypeError,
  CorsError,
  NetworkError,
  RequestInitError,
  InactivityTimeoutError,
  MaxEventSizeError,
}

/**
 * Rebuilds the error from its record: a real `Error` of the same class (`instanceof HttpError`
 * holds), with the same name, message, fields, headers and cause.
 * @example
 * ```ts
 * reviveError(serializeError(error)) instanceof HttpError // for an HttpError
 * ```
 */
export function reviveError(record: SerializedError | null): EventSourceError | undefined {
  if (record === null) return undefined
  const {headers, cause, ...fields} = record
  const Class = Object.hasOwn(CLASSES, record.name) ? (CLASSES[record.name] as typeof EventSourceError) : EventSourceError
  const options = cause && {cause: Object.assign(new Error(cause.message), {name: cause.name})}
  // The class's prototype without its constructor, which wants a Response or a URL: the fields come from the record.
  const error = Reflect.construct(Error, [record.message, options], Class) as EventSourceError
  return Object.assign(error, fields, headers && {headers: new Headers(headers as [string, string][])})
}
