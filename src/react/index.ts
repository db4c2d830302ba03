'use client'
/**
 * `eventsource-kit/react`: `useEventSource`, a hook over the shared source store.
 * @packageDocumentation
 */
import {useCallback, useInsertionEffect, useMemo, useRef, useState, useSyncExternalStore} from 'react'
import {
  CONNECTING_SNAPSHOT,
  type EventSourceSnapshot,
  IDLE_SNAPSHOT,
  initOf,
  type SourceListener,
  Subscription,
  type UseEventSourceOptions,
} from '../store/index.js'

export type {EventSourceSnapshot, EventSourceStatus, StreamMessageEvent, UseEventSourceOptions} from '../store/index.js'

/**
 * What `useEventSource` returns: the source's snapshot, and what a component can do with it.
 *
 * @example
 * ```tsx
 * function Retry({stream}: {stream: EventSourceState}) {
 *   return stream.status === 'closed' ? <button onClick={stream.reconnect}>reconnect</button> : null
 * }
 * ```
 */
export interface EventSourceState extends EventSourceSnapshot {
  /** Closes the shared source for every component on it. */
  readonly close: () => void
  /** Starts a new attempt now (after a fatal error or `close()` too), resuming with the last event ID. */
  readonly reconnect: () => void
}

/** One hook instance: its subscription, and the listener that calls the latest callbacks. */
interface Instance {
  readonly subscription: Subscription
  readonly listener: SourceListener & {onChange: () => void}
  readonly close: () => void
  readonly reconnect: () => void
}

function createInstance(latest: {readonly current: UseEventSourceOptions<string>}): Instance {
  const listener = {
    onChange: () => {},
    wants: (type: string) => type === 'message' || (latest.current.events?.includes(type) ?? false),
    message: (event: Parameters<SourceListener['message']>[0]) => latest.current.onMessage?.(event),
    open: (event: Event) => latest.current.onOpen?.(event),
    error: (event: Parameters<SourceListener['error']>[0]) => latest.current.onError?.(event),
    change: () => listener.onChange(),
  }
  const subscription = new Subscription(listener)
  return {subscription, listener, close: () => subscription.close(), reconnect: () => subscription.reconnect()}
}

const typesOf = (options: UseEventSourceOptions<string>): string[] => ['message', ...(options.events ?? [])]

const serverSnapshot = (key: string | null): EventSourceSnapshot => (key === null ? IDLE_SNAPSHOT : CONNECTING_SNAPSHOT)

/**
 * Listens to the event stream at `url` while the component is mounted. Components with the same key
 * share one EventSource; it connects after mount (never during render or on the server) and closes
 * when the last of them unmounts. `null` means no connection.
 *
 * @example
 * ```tsx
 * function Ticker() {
 *   const stream = useEventSource<'tick'>('/api/ticks', {events: ['tick'], onMessage: (event) => chart.add(event.data)})
 *   if (stream.error instanceof HttpError) return <p>Failed: {stream.error.status}</p>
 *   return <p>{stream.status}: {stream.data ?? '…'} (after {stream.lastEventId || 'none'})</p>
 * }
 * ```
 */
export function useEventSource<Named extends string = never>(
  url: string | URL | null | undefined,
  options: UseEventSourceOptions<Named> = {},
): EventSourceState {
  const latest = useRef<UseEventSourceOptions<string>>(options)
  const [instance] = useState(() => createInstance(latest))
  const {subscription, listener} = instance
  const key = url === null || url === undefined ? null : subscription.keyOf(url, options)
  // Callbacks and headers are read from the latest render, committed before any effect runs:
  // inline functions never reconnect.
  useInsertionEffect(() => {
    latest.current = options
    subscription.listen(typesOf(options))
  })
  const subscribe = useCallback(
    (onChange: () => void) => {
      listener.onChange = onChange
      const target = key === null || url === null || url === undefined ? null : {key, url, init: () => initOf(latest.current, () => latest.current.headers)}
      subscription.attach(target, typesOf(latest.current))
      return () => subscription.detach()
    },
    // `url` and the options are part of `key`; a new key is a new subscription.
    [key, subscription],
  )
  const getSnapshot = useCallback(() => subscription.snapshot(key), [key, subscription])
  const snapshot = useSyncExternalStore(subscribe, getSnapshot, () => serverSnapshot(key))
  return useMemo(() => ({...snapshot, close: instance.close, reconnect: instance.reconnect}), [snapshot, instance])
}
