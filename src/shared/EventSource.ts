import {EventSource as CoreEventSource, EventSourceErrorEvent, type EventSourceError, type EventSourceEvents, type EventSourceHandler} from 'eventsource-kit'
import type {EventSourceInit} from 'eventsource-kit'
import {closeOnAbort} from '../core/abort.js'
import type {AddListenerOptions, Listener, ListenerOptions, StoredHandler} from '../core/EventSource.js'
import {dispatch, isHandlerHidden} from '../core/platform.js'
import {createHandlerListener, setHandler} from '../core/handlers.js'
import {TAP, type Tap} from '../core/policy.js'
import {watchSuspend, whenResumed} from '../core/lifecycle.js'
import {createMessageEvent} from '../core/message-event.js'
import {CLOSED, CONNECTING, OPEN} from '../core/ready-state.js'
import {defineEventSourceInterface} from '../core/webidl.js'
import {reportException} from '../core/report.js'
import {Election} from './election.js'
import {checkSharedInit, type SharedEventSourceInit} from './options.js'
import {type ChannelRecord, type LeaderChannelRecord, type MessageRecord, PROTOCOL_VERSION, readRecord, reviveError, serializeError} from './protocol.js'
import {Sequence} from './sequence.js'
import {defaultChannel, sharingSupport} from './support.js'

// The leader beats this often; followers check on the leader at the same pace.
const BEAT_MS = 500
// A follower that has heard nothing from the leader for this long asks whether it is alive...
const SILENCE_MS = 1500
// ...and takes the lock when no answer comes within this (plus up to as much again, at random, so
// that followers do not all steal at once).
const PING_TIMEOUT_MS = 750
// How long a leader whose connection failed keeps the lock (its failure record is on its way).
const FAILURE_HOLD_MS = 250

/** The events of a shared source: the standard ones, `leaderchange` and the named events `Named`. */
export type SharedEventSourceEvents<Named extends string = never> = EventSourceEvents<Named> & {leaderchange: Event}

type StringMessageEvent = EventSourceEvents['message']

/**
 * An `EventSource` that shares one connection between all tabs of an origin that open the same
 * channel: one tab (the leader, elected with the Web Locks API) holds the connection and relays its
 * events over a BroadcastChannel; every tab sees the same events, errors and readyState as with its
 * own connection. When the leader's tab closes, crashes or freezes, another tab takes over and
 * resumes with `Last-Event-ID`. Without Web Locks or BroadcastChannel (workers, Node, insecure
 * contexts) it is an ordinary connection per source, with `isShared` false.
 *
 * @example
 * ```ts
 * import {EventSource} from 'eventsource-kit/shared'
 * const source = new EventSource('/events', {withCredentials: true})
 * source.onmessage = (event) => render(JSON.parse(event.data))
 * source.addEventListener('leaderchange', () => console.log(source.isLeader ? 'this tab holds the connection' : 'following'))
 * ```
 */
// The interface below only adds typed overloads of EventTarget methods, and is where `Named` is used.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-unused-vars
export class EventSource<Named extends string = never> extends EventTarget {
  /** readyState while connecting or waiting to reconnect. */
  declare static readonly CONNECTING: 0
  /** readyState while the connection is open and events are arriving. */
  declare static readonly OPEN: 1
  /** readyState after close() or a failed connection. */
  declare static readonly CLOSED: 2
  /** readyState while connecting or waiting to reconnect. */
  declare readonly CONNECTING: 0
  /** readyState while the connection is open and events are arriving. */
  declare readonly OPEN: 1
  /** readyState after close() or a failed connection. */
  declare readonly CLOSED: 2

  readonly #url: string
  readonly #withCredentials: boolean
  readonly #init: EventSourceInit
  // This source's id on the channel (sharing needs a secure context, which has randomUUID).
  readonly #id: string = ''
  readonly #isShared: boolean
  // [spec] Event handler attributes, as the main entry's class keeps them (see setHandler()).
  #onopen: unknown = null
  #onmessage: unknown = null
  #onerror: unknown = null
  /** The one listener of the three attributes of every source, registered once per name while its handler is set. */
  static readonly #handlerListener = createHandlerListener(EventSource<string>, (source, type) =>
    type === 'open' ? source.#onopen : type === 'message' ? source.#onmessage : source.#onerror,
  )
  readonly #queues = new Set<Tap>()
  #readyState: 0 | 1 | 2 = CONNECTING
  #failure: EventSourceError | undefined
  #detachSignal: (() => void) | undefined
  #lastEventId: string
  #reconnectionTime: number
  // The leader's connection, in the tab that leads (always, in the fallback).
  #connection: CoreEventSource | undefined
  #isLeader = false
  readonly #channel: BroadcastChannel | undefined
  readonly #election: Election | undefined
  #timer: ReturnType<typeof setInterval> | undefined
  // The newest leadership known: its number and its leader's id (which breaks ties).
  #epoch = 0
  #epochLeader = ''
  // Where the newest leadership resumed: records of older leaders after it are replays.
  #epochBase = 0
  // Relayed events back in position order; its nextPos is undefined until this tab knows where the stream is.
  readonly #sequence = new Sequence((record) => this.#dispatch(record))
  // The position after which a reconnection with #lastEventId resumes.
  #resumePos = 0
  // As leader: the position of the last event sent.
  #sentPos = 0
  #heardAtMs = Date.now()
  #pingedAtMs: number | undefined
  // Stops listening for the page's freeze, and for its resume while frozen (src/lifecycle.ts).
  #stopWatchingLifecycle: (() => void) | undefined
  #stopWaitingForResume: (() => void) | undefined

  /**
   * Joins the channel of `url` (or opens a connection of its own where sharing is not available).
   * @throws DOMException "SyntaxError" when `url` cannot be parsed; TypeError for a bad option, a
   *   `method` other than GET, or a `channel` that is not a non-empty string
   */
  constructor(url: string | URL, eventSourceInitDict: SharedEventSourceInit = {}) {
    const dict = eventSourceInitDict ?? {}
    const {channel, signal, ...init} = dict
    checkSharedInit(init.method ?? 'GET', channel)
    // The core validates the URL (required: WebIDL) and every other option, with its own errors; closed at once.
    // A primitive goes to the core as is: it rejects it as the main entry does.
    const probeInit = typeof dict === 'object' || typeof dict === 'function' ? {...dict, channel: undefined, signal: AbortSignal.abort()} : dict
    const probe = Reflect.construct(CoreEventSource, arguments.length > 0 ? [url, probeInit] : []) as CoreEventSource
    super()
    this.#url = probe.url
    this.#withCredentials = probe.withCredentials
    this.#lastEventId = probe.lastEventId
    this.#reconnectionTime = probe.reconnectionTime
    this.#init = init
    const support = sharingSupport()
    this.#isShared = support !== undefined
    if (support) {
      this.#id = crypto.randomUUID()
      const credentials = init.credentials ?? (this.#withCredentials ? 'include' : 'same-origin')
      // The protocol version is part of the names: tabs of another version lead their own connection.
      const name = `eventsource-kit:v${PROTOCOL_VERSION}:${channel ?? defaultChannel('GET', this.#url, credentials)}`
      this.#channel = new support.Channel(name)
      this.#channel.onmessage = (event: MessageEvent) => this.#receive(readRecord(event.data))
      this.#election = new Election(support.locks, name, {elected: () => this.#lead(), deposed: () => this.#stepDown()})
      this.#post({v: PROTOCOL_VERSION, kind: 'hello', from: this.#id})
      this.#election.join()
      this.#timer = setInterval(() => this.#tick(), BEAT_MS)
      this.#stopWatchingLifecycle = watchSuspend(() => this.#suspend())
    }
    // [non-spec] an aborted `signal` means close().
    this.#detachSignal = closeOnAbort(signal, () => this.close())
    // The fallback: this source's own connection, as the main entry's EventSource.
    if (!support && this.#readyState !== CLOSED) this.#lead()
  }

  /** The serialized URL of the event stream, after resolving it against the document base URL. */
  get url(): string {
    return this.#url
  }

  /** Whether cross-origin requests send credentials (`withCredentials: true` at construction). */
  get withCredentials(): boolean {
    return this.#withCredentials
  }

  /** The state of the connection as this tab sees it: CONNECTING (0), OPEN (1) or CLOSED (2). */
  get readyState(): 0 | 1 | 2 {
    return this.#readyState
  }

  /** [non-spec] The newest event ID this tab has seen: the next leader resumes after it. */
  get lastEventId(): string {
    return this.#lastEventId
  }

  /** [non-spec] The reconnection time in ms, as the leader's connection last reported it. */
  get reconnectionTime(): number {
    return this.#reconnectionTime
  }

  /** [non-spec] Whether the connection is shared between tabs (false in the fallback: workers, Node, no Web Locks). */
  get isShared(): boolean {
    return this.#isShared
  }

  /** [non-spec] Whether this source holds the network connection (false once closed); `leaderchange` fires when it changes. */
  get isLeader(): boolean {
    return this.#isLeader
  }

  /** Handler for the `open` event; `null` when unset. */
  get onopen(): StoredHandler | null {
    // [non-spec] workerd's EventTarget reads it at every dispatch: that read finds none (src/core/handlers.ts).
    return isHandlerHidden(this, 'open') ? null : (this.#onopen as StoredHandler | null)
  }
  set onopen(value: EventSourceHandler<this, Event> | null) {
    this.#onopen = setHandler(this, 'open', this.#onopen, value, EventSource.#handlerListener)
  }

  /** Handler for `message` events (events without an `event:` field); `null` when unset. */
  get onmessage(): StoredHandler | null {
    return isHandlerHidden(this, 'message') ? null : (this.#onmessage as StoredHandler | null)
  }
  set onmessage(value: EventSourceHandler<this, StringMessageEvent> | null) {
    this.#onmessage = setHandler(this, 'message', this.#onmessage, value, EventSource.#handlerListener)
  }

  /** Handler for the `error` event, which carries the reason in `event.error`; `null` when unset. */
  get onerror(): StoredHandler | null {
    return isHandlerHidden(this, 'error') ? null : (this.#onerror as StoredHandler | null)
  }
  set onerror(value: EventSourceHandler<this, EventSourceErrorEvent> | null) {
    this.#onerror = setHandler(this, 'error', this.#onerror, value, EventSource.#handlerListener)
  }

  /**
   * Unsubscribes this source; readyState becomes CLOSED and no event fires after it. The connection
   * ends when the last source on the channel closes; if this tab led, the next one takes over.
   */
  close(): void {
    this.#readyState = CLOSED
    this.#shutdown(undefined)
  }

  /**
   * [non-spec] The seam of `eventsource-kit/iterate` (see the main entry's). The shared stream does
   * not wait for one tab's loop: events queue in that tab meanwhile, without a limit.
   * @example
   * ```ts
   * for await (const event of iterate(new EventSource('/news'))) list.append(event.data)
   * ```
   */
  [TAP]<T extends Tap>(create: (maxQueuedChars: number, close: () => void) => T): T {
    const tap = create(Number.POSITIVE_INFINITY, () => this.close())
    if (this.#readyState === CLOSED) tap.end(this.#failure)
    else this.#queues.add(tap)
    return tap
  }

  #shutdown(error: EventSourceError | undefined): void {
    const wasLeader = this.#isLeader
    clearInterval(this.#timer)
    this.#stopWatchingLifecycle?.()
    this.#stopWaitingForResume?.()
    this.#sequence.clear()
    this.#connection?.close()
    this.#connection = undefined
    // No connection any more; no leaderchange either, as no event fires after close().
    this.#isLeader = false
    // A failed leader keeps the lock a moment, so that its failure reaches the other tabs before one
    // of them is granted the lock and tries again.
    if (error && wasLeader) setTimeout(() => this.#election?.leave(), FAILURE_HOLD_MS)
    else this.#election?.leave()
    if (this.#channel) this.#channel.onmessage = null
    this.#channel?.close()
    this.#detachSignal?.()
    this.#detachSignal = undefined
    for (const queue of this.#queues) queue.end(error)
    this.#queues.clear()
  }

  #fire(event: Event): void {
    try {
      // Through the handlers: where the platform calls on<type> itself (workerd), each handler still runs once.
      dispatch(this, event)
    } catch (error) {
      reportException(error)
    }
  }

  #setLeader(isLeader: boolean): void {
    if (this.#isLeader === isLeader) return
    this.#isLeader = isLeader
    if (this.#isShared) this.#fire(new Event('leaderchange'))
  }

  #post(record: ChannelRecord): void {
    try {
      this.#channel?.postMessage(record)
    } catch {
      // A closed channel (the page is going away): nothing to tell.
    }
  }

  // ---- leading ------------------------------------------------------------------------------

  /** This tab won the lock (or is the fallback): announce a new leadership and connect. */
  #lead(): void {
    if (this.#readyState === CLOSED) return
    const isFresh = this.#sequence.nextPos === undefined
    // Resume after the newest event ID this tab knows; its followers drop what they already have.
    const base = isFresh ? 0 : this.#resumePos
    this.#sentPos = base
    this.#setLeader(true)
    this.#send({v: PROTOCOL_VERSION, kind: 'leader', from: this.#id, e: this.#epoch + 1, base, id: this.#lastEventId, fresh: isFresh})
    // A listener of the handover's error event may have closed this source.
    if ((this.#readyState as number) === CLOSED || !this.#isLeader) return
    const connection = new CoreEventSource(this.#url, {...this.#init, lastEventId: this.#lastEventId, reconnectionTime: this.#reconnectionTime})
    // The core fires every event (open, message, named, error) through dispatchEvent, in order: here
    // they go to the relay instead of to listeners of its own. Its first event comes after a task.
    connection.dispatchEvent = (event) => {
      this.#relay(event, connection)
      return true
    }
    this.#connection = connection
  }

  /** A lost leadership (stolen while frozen, or a newer leader heard): stop relaying, queue again. */
  #stepDown(): void {
    this.#connection?.close()
    this.#connection = undefined
    this.#setLeader(false)
    this.#heardAtMs = Date.now()
    if (this.#readyState !== CLOSED) this.#election?.resign()
  }

  /**
   * [non-spec] The page froze or entered the back/forward cache: a leader steps down (its request and
   * the lock go, so that another tab leads at once), a follower leaves the queue; both queue again,
   * as followers, once the page is resumed.
   */
  #suspend(): void {
    this.#connection?.close()
    this.#connection = undefined
    this.#setLeader(false)
    this.#election?.pause()
    this.#stopWaitingForResume?.()
    const stopWaiting = whenResumed(() => {
      stopWaiting()
      this.#stopWaitingForResume = undefined
      // The leader may have changed meanwhile: ask, and give it time to answer before checking on it.
      this.#heardAtMs = Date.now()
      this.#pingedAtMs = undefined
      this.#post({v: PROTOCOL_VERSION, kind: 'hello', from: this.#id})
      this.#election?.join()
    })
    this.#stopWaitingForResume = stopWaiting
  }

  /** An event of the leader's connection: to every tab, this one included. */
  #relay(event: Event, connection: CoreEventSource): void {
    if (connection !== this.#connection || !this.#isLeader) return
    const head = {v: PROTOCOL_VERSION, from: this.#id, e: this.#epoch} as const
    if (event instanceof EventSourceErrorEvent) {
      const state = connection.readyState === CLOSED ? CLOSED : CONNECTING
      this.#send({...head, kind: 'error', state, delay: event.reconnectDelay, error: serializeError(event.error)}, event.error)
    } else if (event instanceof MessageEvent) {
      const {type, data, lastEventId, origin} = event as StringMessageEvent
      this.#send({...head, kind: 'message', pos: ++this.#sentPos, type, data, id: lastEventId, origin})
    } else if (event.type === 'open') {
      this.#send({...head, kind: 'open'})
    }
  }

  #send(record: LeaderChannelRecord, error?: EventSourceError): void {
    this.#post(record)
    this.#apply(record, error)
  }

  #beat(): void {
    const connection = this.#connection
    if (!connection) return
    this.#post({
      v: PROTOCOL_VERSION,
      kind: 'beat',
      from: this.#id,
      e: this.#epoch,
      pos: this.#sentPos,
      id: connection.lastEventId,
      retry: connection.reconnectionTime,
      state: connection.readyState,
    })
  }

  #tick(): void {
    if (this.#isLeader) return this.#beat()
    const nowMs = Date.now()
    if (this.#pingedAtMs === undefined) {
      if (nowMs - this.#heardAtMs < SILENCE_MS) return
      this.#pingedAtMs = nowMs
      this.#post({v: PROTOCOL_VERSION, kind: 'ping', from: this.#id})
    } else if (nowMs - this.#pingedAtMs > PING_TIMEOUT_MS * (this.#sequence.nextPos === undefined ? 3 : 1 + Math.random())) {
      // The lock's holder answers nothing: its page is frozen (or stuck). Take the lock from it;
      // its request then rejects and it steps down when it wakes. A tab that never heard where the
      // stream is waits longer, so that one that knows usually takes over.
      this.#pingedAtMs = undefined
      this.#heardAtMs = nowMs
      this.#election?.join(true)
    }
  }

  // ---- following ----------------------------------------------------------------------------

  #receive(record: ChannelRecord | undefined): void {
    if (!record || this.#readyState === CLOSED) return
    if (record.kind === 'hello' || record.kind === 'ping') {
      if (this.#isLeader) this.#beat()
      return
    }
    this.#apply(record as LeaderChannelRecord)
  }

  /** A leader's record, from the channel or from this tab's own connection. */
  #apply(record: LeaderChannelRecord, error?: EventSourceError): void {
    const order = record.e - this.#epoch || (record.from === this.#epochLeader ? 0 : record.from > this.#epochLeader ? 1 : -1)
    if (order < 0) {
      // An older leader's record, late or from a page that was frozen: only events before where the
      // newest leader resumed are still missing anywhere; everything after it is being replayed.
      if (record.kind === 'message' && record.pos <= this.#epochBase) this.#sequence.push(record)
      return
    }
    if (order > 0) {
      if (this.#isLeader && record.from !== this.#id) this.#stepDown()
      this.#epoch = record.e
      this.#epochLeader = record.from
      this.#epochBase = record.kind === 'leader' ? record.base : (this.#sequence.nextPos ?? 1) - 1
    }
    this.#heardAtMs = Date.now()
    this.#pingedAtMs = undefined
    switch (record.kind) {
      case 'leader':
        if (order > 0) this.#handOver(record.base, record.fresh)
        return
      case 'beat':
        this.#sequence.nextPos ??= record.pos + 1
        // Caught up with the leader: its newest ID counts (an id-only block changes it without an event).
        if (this.#sequence.nextPos === record.pos + 1 && record.id !== this.#lastEventId) {
          this.#resumePos = record.pos
          this.#lastEventId = record.id
        }
        this.#reconnectionTime = record.retry
        // A tab that joined an open stream: the connection is announced to it now.
        if (record.state === OPEN && this.#readyState === CONNECTING) this.#announce()
        return
      case 'open':
        this.#announce()
        return
      case 'message':
        this.#sequence.push(record)
        return
      case 'error':
        this.#lose(record, error ?? reviveError(record.error))
    }
  }

  /** A new leader reconnects: an open stream is lost from this tab's point of view, then reopens. */
  #handOver(base: number, isFresh: boolean): void {
    // A leader that knew no position numbers from scratch: nothing can be matched against it.
    if (isFresh || this.#sequence.nextPos === undefined) this.#sequence.nextPos = base + 1
    if (this.#readyState !== OPEN) return
    // [spec] "reestablish the connection": readyState CONNECTING, then an error event.
    this.#readyState = CONNECTING
    this.#fire(new EventSourceErrorEvent(undefined, {willReconnect: true, reconnectDelay: 0}))
  }

  #announce(): void {
    // [spec] "announce the connection": readyState OPEN, fire open.
    if (this.#readyState === CLOSED) return
    this.#readyState = OPEN
    this.#fire(new Event('open'))
  }

  #lose(record: {state: 0 | 2; delay: number | null}, error: EventSourceError | undefined): void {
    if (this.#readyState === CLOSED) return
    if (record.state === CONNECTING) {
      // [spec] "reestablish the connection": readyState CONNECTING, fire error.
      this.#readyState = CONNECTING
      this.#fire(new EventSourceErrorEvent(error, {willReconnect: true, reconnectDelay: record.delay}))
      return
    }
    // [spec] "fail the connection": readyState CLOSED, fire error; every tab's source is done.
    this.#readyState = CLOSED
    this.#failure = error
    this.#shutdown(error)
    this.#fire(new EventSourceErrorEvent(error))
  }

  /** The next event in position order (see Sequence). */
  #dispatch(record: MessageRecord): void {
    if (this.#readyState === CLOSED) return
    if (record.id !== this.#lastEventId || record.id === '') this.#resumePos = record.pos
    this.#lastEventId = record.id
    // [spec] a MessageEvent with the event's type, data, origin and last event ID (the core's light one).
    const event = createMessageEvent(record.type, record.data, record.origin, record.id)
    for (const queue of this.#queues) queue.push(event)
    this.#fire(event)
  }
}

/** Typed listener overloads: standard, `leaderchange` and named events get their event type. */
export interface EventSource<Named extends string = never> {
  addEventListener<K extends keyof SharedEventSourceEvents<Named>>(
    type: K,
    listener: (this: EventSource<Named>, event: SharedEventSourceEvents<Named>[K]) => unknown,
    options?: boolean | AddListenerOptions,
  ): void
  addEventListener(type: string, listener: Listener | null, options?: boolean | AddListenerOptions): void
  removeEventListener<K extends keyof SharedEventSourceEvents<Named>>(
    type: K,
    listener: (this: EventSource<Named>, event: SharedEventSourceEvents<Named>[K]) => unknown,
    options?: boolean | ListenerOptions,
  ): void
  removeEventListener(type: string, listener: Listener | null, options?: boolean | ListenerOptions): void
}

// [spec] WebIDL constants, enumerable members and class tag, as on the main entry's class.
defineEventSourceInterface(EventSource, ['isShared', 'isLeader'])
