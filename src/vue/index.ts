/**
 * `eventsource-kit/vue`: `useEventSource`, a composable over the shared source store.
 * @packageDocumentation
 */
import {
  getCurrentInstance,
  getCurrentScope,
  type MaybeRefOrGetter,
  onMounted,
  onScopeDispose,
  type ShallowRef,
  shallowReadonly,
  shallowRef,
  toValue,
  watch,
} from 'vue'
import {
  call,
  CONNECTING_SNAPSHOT,
  type EventSourceSnapshot,
  IDLE_SNAPSHOT,
  initOf,
  type StreamMessageEvent,
  Subscription,
  type UseEventSourceOptions,
} from '../store/index.js'

export type {EventSourceSnapshot, EventSourceStatus, StreamMessageEvent, UseEventSourceOptions} from '../store/index.js'

/**
 * A handler that `on(type, handler)` adds.
 *
 * @example
 * ```ts
 * const logTick: StreamMessageHandler = (event) => console.log(event.data)
 * on('tick', logTick)
 * ```
 */
export type StreamMessageHandler = (event: StreamMessageEvent) => void

/**
 * What `useEventSource` returns: each field of the snapshot as a readonly shallow ref, and actions.
 *
 * @example
 * ```ts
 * const stream: UseEventSourceReturn<'tick'> = useEventSource<'tick'>('/api/ticks', {events: ['tick']})
 * watch(stream.status, (status) => console.log(status))
 * ```
 */
export type UseEventSourceReturn<Named extends string = never> = {
  readonly [K in keyof EventSourceSnapshot]: Readonly<ShallowRef<EventSourceSnapshot[K]>>
} & {
  /** Closes the shared source for every component on it. */
  readonly close: () => void
  /** Starts a new attempt now (after a fatal error or `close()` too), resuming with the last event ID. */
  readonly reconnect: () => void
  /**
   * Calls `handler` with every event of `type` (`message` or a named event), in order; removed when
   * the calling scope is disposed, or by the function it returns.
   */
  readonly on: (type: 'message' | Named, handler: StreamMessageHandler) => () => void
}

const FIELDS = ['status', 'readyState', 'data', 'lastEvent', 'lastEventId', 'error'] as const

/**
 * Listens to the event stream at `url` (a string, a ref or a getter; `null`: no connection) while
 * the calling component is mounted (or, outside a component, while the effect scope lives).
 * Components with the same key share one EventSource; a new URL closes the old request before the
 * new one starts. Nothing connects on the server.
 *
 * @example
 * ```ts
 * const {status, data, lastEventId, error, on} = useEventSource<'tick'>(() => `/api/rooms/${room.value}`, {events: ['tick']})
 * on('tick', (event) => chart.add(JSON.parse(event.data)))
 * ```
 */
export function useEventSource<Named extends string = never>(
  url: MaybeRefOrGetter<string | URL | null | undefined>,
  options: MaybeRefOrGetter<UseEventSourceOptions<Named>> = {},
): UseEventSourceReturn<Named> {
  let current: UseEventSourceOptions<string> = toValue(options)
  const handlers = new Map<string, Set<StreamMessageHandler>>()
  const types = (): string[] => ['message', ...(current.events ?? []), ...handlers.keys()]
  // The first values are the server's too, so hydration matches; the source's come after mount.
  const initial = toValue(url) == null ? IDLE_SNAPSHOT : CONNECTING_SNAPSHOT
  const refs: Record<string, ShallowRef<unknown>> = {}
  const exposed: Record<string, unknown> = {}
  for (const field of FIELDS) exposed[field] = shallowReadonly((refs[field] = shallowRef(initial[field])))
  let key: string | null = null
  const sync = (): void => {
    const snapshot = subscription.snapshot(key) as unknown as Record<string, unknown>
    for (const field of FIELDS) (refs[field] as ShallowRef<unknown>).value = snapshot[field]
  }
  const subscription = new Subscription({
    wants: (type) => type === 'message' || (current.events?.includes(type) ?? false) || handlers.has(type),
    message: (event) => {
      current.onMessage?.(event)
      for (const handler of handlers.get(event.type) ?? []) call(handler, event)
    },
    open: (event) => current.onOpen?.(event),
    error: (event) => current.onError?.(event),
    change: sync,
  })

  const scope = getCurrentScope()
  let stopWatching: (() => void) | undefined
  const start = (): void => {
    stopWatching = watch(
      () => {
        current = toValue(options)
        const target = toValue(url)
        return target == null ? null : subscription.keyOf(target, current)
      },
      (newKey) => {
        key = newKey
        const target = toValue(url)
        subscription.attach(newKey === null || target == null ? null : {key: newKey, url: target, init: () => initOf(current, () => current.headers)}, types())
        sync()
      },
      {immediate: true},
    )
  }
  // In a component: after mount, so that nothing connects on the server and hydration sees the
  // server's values. In a bare effect scope (a store, a test): at once.
  if (getCurrentInstance()) onMounted(start)
  else start()
  const stop = (): void => {
    stopWatching?.()
    subscription.detach()
  }
  if (scope) onScopeDispose(stop)

  const on = (type: string, handler: StreamMessageHandler): (() => void) => {
    let set = handlers.get(type)
    if (!set) handlers.set(type, (set = new Set()))
    set.add(handler)
    subscription.listen(types())
    const off = (): void => {
      set.delete(handler)
      if (set.size === 0 && handlers.get(type) === set) handlers.delete(type)
    }
    if (getCurrentScope()) onScopeDispose(off)
    return off
  }

  return {
    ...(exposed as UseEventSourceReturn<Named>),
    close: () => {
      subscription.close()
      // Without a scope nothing else lets go of the source.
      if (!scope) stop()
    },
    reconnect: () => subscription.reconnect(),
    on,
  }
}
