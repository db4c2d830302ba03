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
 * [non-spec] Checks the options that sharing restricts: only a GET stream is the same for every tab (a
 * POST carries one caller's request), and a `channel` is a non-empty string.
 * @throws TypeError naming the option
 * @example
 * ```ts
 * checkSharedInit('POST', undefined) // throws: option "method" must be GET for a shared stream
 * ```
 */
export function checkSharedInit(method: unknown, channel: unknown): void {
  if (typeof method !== 'string' || method.toUpperCase() !== 'GET') {
    throw new TypeError(`EventSource: option "method" must be GET for a shared stream, got ${String(method)}`)
  }
  if (channel !== undefined && (typeof channel !== 'string' || channel === '')) {
    throw new TypeError(`EventSource: option "channel" must be a non-empty string, got ${String(channel)}`)
  }
}
