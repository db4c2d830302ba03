import type {EventSourceInit} from 'eventsource-kit'

/** The second argument of the shared `EventSource`: the main entry's options (GET only) plus `channel`. */
export interface SharedEventSourceInit extends EventSourceInit {
  /**
   * Sources with the same channel, in tabs of the same origin, share one connection. Give sources
   * that differ in anything but the URL and credentials (their headers, say) different channels.
   * @defaultValue a key of the method, the absolute URL and the credentials mode
   */
  channel?: string | undefined
}

/**
 * The options only a shared source has, checked, and the rest for the main entry's EventSource.
 * @throws TypeError for a `method` other than GET, or a `channel` that is not a non-empty string
 */
export function splitSharedInit(dict: SharedEventSourceInit): {channel: string | undefined; signal: AbortSignal | undefined; init: EventSourceInit} {
  const {channel, signal, ...init} = dict
  const method = init.method ?? 'GET'
  // [non-spec] only a GET stream is the same for every tab; a POST carries one caller's request.
  if (typeof method !== 'string' || method.toUpperCase() !== 'GET') {
    throw new TypeError(`EventSource: option "method" must be GET for a shared stream, got ${String(method)}`)
  }
  if (channel !== undefined && (typeof channel !== 'string' || channel === '')) {
    throw new TypeError(`EventSource: option "channel" must be a non-empty string, got ${String(channel)}`)
  }
  return {channel, signal, init}
}
