// The framework-free store under the React and Vue bindings: a keyed, ref-counted registry of
// EventSources, each with an immutable snapshot of what a component shows. The bindings only
// translate it into their framework's idiom; every decision about sources is made here.
//
// The package's own name: the built bindings import dist/index.js, so `instanceof HttpError` holds
// for errors of a binding's source and the classes an app imports from 'eventsource-kit'.
import {EventSource, type EventSourceError, type EventSourceErrorEvent, type EventSourceEventMap, type EventSourceInit} from 'eventsource-kit'
import {sourceKey} from './key.js'
import {reportException} from '../core/report.js'

/**
 * Where a binding's source stands: `connecting` before the first open, `open`, `reconnecting`
 * after a drop (or `reconnect()`) until it is open again, `closed` after `close()`, a fatal error
 * or with no URL.
 *
 * @example
 * ```ts
 * const label: Record<EventSourceStatus, string> = {connecting: '…', open: 'live', reconnecting: 'resuming', closed: 'stopped'}
 * ```
 */
export type EventSourceStatus = 'connecting' | 'open' | 'reconnecting' | 'closed'

/**
 * The event of `message` and of every named event: a `MessageEvent` whose `data` is a string.
 *
 * @example
 * ```ts
 * const onMessage = (event: StreamMessageEvent) => console.log(event.type, event.lastEventId, JSON.parse(event.data))
 * ```
 */
export type StreamMessageEvent = EventSourceEventMap['message']

/**
 * What a component shows of its source: an immutable object, replaced only when something changed.
 *
 * @example
 * ```ts
 * const describe = ({status, lastEventId, error}: EventSourceSnapshot) => `${status} after ${lastEventId || 'none'}${error ? `: ${error.message}` : ''}`
 * ```
 */
export interface EventSourceSnapshot {
  /** `connecting`, `open`, `reconnecting` or `closed`. */
  readonly status: EventSourceStatus
  /** The source's readyState: CONNECTING (0), OPEN (1) or CLOSED (2). */
  readonly readyState: 0 | 1 | 2
  /** The last event's data, or `undefined` before the first event. */
  readonly data: string | undefined
  /** The last MessageEvent (of `message` or a listened named event), or `undefined`. */
  readonly lastEvent: StreamMessageEvent | undefined
  /** The source's last event ID string, sent as `Last-Event-ID` when it reconnects. */
  readonly lastEventId: string
  /** The `EventSourceError` of the last `error` event (`undefined` when the server simply ended the stream). */
  readonly error: EventSourceError | undefined
}

/**
 * The options of `useEventSource` (React and Vue): every `EventSourceInit` option, plus the named
 * events to listen for, callbacks and sharing.
 *
 * @example
 * ```ts
 * const options: UseEventSourceOptions<'tick'> = {events: ['tick'], onMessage: (event) => console.log(event.data)}
 * ```
 */
export interface UseEventSourceOptions<Named extends string = never> extends EventSourceInit {
  /**
   * Named events (the `event:` field) to listen for, besides `message`.
   * @defaultValue []
   */
  events?: readonly Named[] | undefined
  /** Called with every MessageEvent of `message` and of `events`, in order, never coalesced. */
  onMessage?: ((event: StreamMessageEvent) => void) | undefined
  /** Called when the connection opens (again). */
  onOpen?: ((event: Event) => void) | undefined
  /** Called with every `error` event; `event.error` says why, `event.willReconnect` what comes next. */
  onError?: ((event: EventSourceErrorEvent) => void) | undefined
  /**
   * Components with the same `key` share one EventSource; `false` gives this one its own.
   * @defaultValue true
   */
  share?: boolean | undefined
  /**
   * Which source this is: a new key closes the old source and opens a new one.
   * @defaultValue the method, the absolute URL and the body
   */
  key?: string | undefined
}

/** What one binding instance hears from its source: every event, in order. */
export interface SourceListener {
  /** Whether this instance listens to message events of `type`. */
  wants(type: string): boolean
  message(event: StreamMessageEvent): void
  open(event: Event): void
  error(event: EventSourceErrorEvent): void
  /** The snapshot changed (must not throw: it is the binding's own). */
  change(): void
}

/** What a binding points its subscription at: a key, the URL, and the init for a new source. */
export interface SourceTarget {
  readonly key: string
  readonly url: string | URL
  /** Called once, when no source with `key` exists: the init of the new source. */
  readonly init: () => EventSourceInit
}

/**
 * The init of a new source from a binding's options (the EventSource ignores the binding's own),
 * with a `headers` that calls the latest `headers` of the binding: a new function (or object) on
 * every render applies to the next attempt without a reconnection.
 */
export function initOf(options: UseEventSourceOptions<string>, latestHeaders: () => EventSourceInit['headers']): EventSourceInit {
  return options.headers === undefined
    ? options
    : {
        ...options,
        headers: (context) => {
          const headers = latestHeaders()
          return typeof headers === 'function' ? headers(context) : (headers ?? {})
        },
      }
}

type Mutable<T> = {-readonly [K in keyof T]: T[K]}

function snapshotOf(status: EventSourceStatus, readyState: 0 | 1 | 2): EventSourceSnapshot {
  return Object.freeze({status, readyState, data: undefined, lastEvent: undefined, lastEventId: '', error: undefined})
}

/** The snapshot before a source opens: also the server's, so the first client render matches it. */
export const CONNECTING_SNAPSHOT = snapshotOf('connecting', 0)
/** The snapshot without a URL: no connection. */
export const IDLE_SNAPSHOT = snapshotOf('closed', 2)

/** Calls `callback`; an exception never stops delivery to the others: the platform reports it. */
export function call<A>(callback: (argument: A) => void, argument: A): void {
  try {
    callback(argument)
  } catch (error) {
    reportException(error)
  }
}

/** One keyed EventSource, the listeners of every binding instance on it, and its snapshot. */
class SharedSource {
  readonly key: string
  readonly #url: string | URL
  readonly #init: EventSourceInit
  readonly #listeners = new Set<SourceListener>()
  // Types the source has a listener for, on the current source.
  readonly #types = new Set<string>()
  #source: EventSource | undefined
  #state: Mutable<EventSourceSnapshot>
  // Built lazily from #state by `snapshot`, dropped on every change.
  #snapshot: EventSourceSnapshot | undefined
  #releaseTimer: ReturnType<typeof setTimeout> | undefined

  constructor(target: SourceTarget) {
    this.key = target.key
    this.#url = target.url
    this.#init = target.init()
    this.#state = {...CONNECTING_SNAPSHOT, lastEventId: this.#init.lastEventId ?? ''}
    this.#snapshot = this.#state.lastEventId === '' ? CONNECTING_SNAPSHOT : undefined
  }

  get snapshot(): EventSourceSnapshot {
    return (this.#snapshot ??= {...this.#state})
  }

  /** Whether nobody holds it and it was closed: a new subscriber gets a fresh source instead. */
  get isStale(): boolean {
    return this.#listeners.size === 0 && this.#state.status === 'closed'
  }

  attach(listener: SourceListener, types: Iterable<string>): void {
    clearTimeout(this.#releaseTimer)
    // The connection is made by the first subscriber, never before.
    if (this.#source === undefined) this.#open(this.#init)
    this.#listeners.add(listener)
    this.listen(types)
  }

  /** Drops `listener`; when it was the last, the source closes a macrotask later unless someone re-attaches. */
  detach(listener: SourceListener): void {
    if (this.#listeners.delete(listener) && this.#listeners.size === 0) this.#releaseTimer = setTimeout(() => this.releaseIfUnused(), 0)
  }

  /** Closes the source and leaves the registry at once, if nobody holds it. */
  releaseIfUnused(): void {
    if (this.#listeners.size > 0) return
    clearTimeout(this.#releaseTimer)
    this.#source?.close()
    this.#source = undefined
    if (sources.get(this.key) === this) sources.delete(this.key)
  }

  /** Adds a source listener for each message type not listened to yet. */
  listen(types: Iterable<string>): void {
    for (const type of types) {
      if (this.#types.has(type)) continue
      this.#types.add(type)
      this.#source?.addEventListener(type, this.#onEvent)
    }
  }

  close(): void {
    this.#source?.close()
    this.#update({status: 'closed', readyState: 2})
  }

  /** A new attempt now: a new source that resumes with the last event ID. */
  reconnect(): void {
    // A released entry has no source, and gets none.
    if (!this.#source) return
    const lastEventId = this.#source.lastEventId
    this.#source.close()
    this.#open({...this.#init, lastEventId})
    this.#update({status: 'reconnecting', readyState: 0, lastEventId})
  }

  #open(init: EventSourceInit): void {
    try {
      this.#source = new EventSource(this.#url, init)
    } catch (error) {
      // A bad URL or option: nothing is held, and the binding reports the constructor's error.
      this.releaseIfUnused()
      throw error
    }
    const types = [...this.#types]
    this.#types.clear()
    this.listen(['open', 'error', 'message', ...types])
  }

  #update(changes: Partial<EventSourceSnapshot>): void {
    Object.assign(this.#state, changes)
    this.#snapshot = undefined
    for (const listener of this.#listeners) listener.change()
  }

  // One listener for every type, bound to this entry. `event.target` tells a replaced source's (late)
  // events from the current one's: nothing from an old source updates the snapshot.
  readonly #onEvent = (event: Event): void => {
    const source = this.#source
    if (event.target !== source) return
    // A MessageEvent (has `data`), even of a named event called "open" or "error".
    if ('data' in event) {
      const message = event as StreamMessageEvent
      // Every binding hears that the snapshot changed, then gets the event if it asked for it: a
      // burst reaches callbacks whole while a framework may batch its re-renders.
      this.#update({data: message.data, lastEvent: message, lastEventId: message.lastEventId})
      for (const listener of this.#listeners) if (listener.wants(message.type)) call(listener.message, message)
    } else if (event.type === 'open') {
      this.#update({status: 'open', readyState: 1, lastEventId: source.lastEventId})
      for (const listener of this.#listeners) call(listener.open, event)
    } else {
      const {error, willReconnect} = event as EventSourceErrorEvent
      this.#update({status: willReconnect ? 'reconnecting' : 'closed', readyState: source.readyState, lastEventId: source.lastEventId, error})
      for (const listener of this.#listeners) call(listener.error, event as EventSourceErrorEvent)
    }
  }
}

// The shared sources by key: opened by the first subscriber, closed when the last one leaves (a
// macrotask later, so that a remount reuses the source).
const sources = new Map<string, SharedSource>()

/** The source with `target.key`; a new one (not yet connected) when there is none to join. */
function acquire(target: SourceTarget): SharedSource {
  let entry = sources.get(target.key)
  if (!entry || entry.isStale) {
    entry?.releaseIfUnused()
    entry = new SharedSource(target)
    sources.set(target.key, entry)
  }
  return entry
}

let nextSubscriptionId = 0

/**
 * One binding instance's hold on a source. `attach(target)` points it at a key: a new key releases
 * the previous source at once (its request ends before the new one starts); `detach()` lets go, and
 * the source closes a macrotask later unless someone re-attaches to it.
 */
export class Subscription {
  /** Unique per instance: the key prefix of an unshared source. */
  readonly id = `#${++nextSubscriptionId}`
  readonly #listener: SourceListener
  #entry: SharedSource | undefined

  constructor(listener: SourceListener) {
    this.#listener = listener
  }

  /** The key of `url` with `options`: the `key` option, or method + absolute URL + body (unshared: per instance). */
  keyOf(url: string | URL, options: UseEventSourceOptions<string>): string {
    const key = options.key ?? sourceKey(url, options)
    return options.share === false ? `${this.id} ${key}` : key
  }

  /** The snapshot to show for `key` (`null`: no URL). */
  snapshot(key: string | null): EventSourceSnapshot {
    const entry = key === null ? undefined : sources.get(key)
    if (entry && !entry.isStale) return entry.snapshot
    return key === null ? IDLE_SNAPSHOT : CONNECTING_SNAPSHOT
  }

  /** Subscribes to `target` (`null`: none), connecting if nobody has. */
  attach(target: SourceTarget | null, types: readonly string[]): void {
    const previous = this.#entry
    // The same key again (a StrictMode remount, a re-render): keep the source.
    if (previous && target && previous.key === target.key && acquire(target) === previous) {
      previous.attach(this.#listener, types)
      return
    }
    // [non-spec] a new key: the old request ends before the new one starts.
    if (previous) {
      this.#entry = undefined
      previous.detach(this.#listener)
      previous.releaseIfUnused()
    }
    if (target === null) return
    const entry = acquire(target)
    entry.attach(this.#listener, types)
    this.#entry = entry
  }

  /** Lets go of the source; it closes a macrotask later unless re-attached. */
  detach(): void {
    this.#entry?.detach(this.#listener)
  }

  /** Listens to more message types (named events) on the current source. */
  listen(types: readonly string[]): void {
    this.#entry?.listen(types)
  }

  /** Closes the shared source for every subscriber. */
  close(): void {
    this.#entry?.close()
  }

  /** Starts a new attempt now, resuming with the last event ID. */
  reconnect(): void {
    this.#entry?.reconnect()
  }
}
