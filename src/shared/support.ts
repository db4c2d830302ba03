import type {LockManagerLike} from './election.js'

/** What sharing needs from the platform. */
export interface SharingSupport {
  readonly locks: LockManagerLike
  readonly Channel: typeof BroadcastChannel
}

/**
 * The Web Locks API and BroadcastChannel of a window in a secure context, or undefined where a
 * source cannot be shared: a worker (each worker would be a tab of its own; it keeps its own
 * connection), Node, Deno and Bun (no tabs), an insecure context (no Web Locks), or a browser
 * without either API.
 */
export function sharingSupport(): SharingSupport | undefined {
  const scope = globalThis as {
    document?: unknown
    isSecureContext?: unknown
    origin?: unknown
    navigator?: {locks?: Partial<LockManagerLike> | null}
    BroadcastChannel?: unknown
  }
  // A window has a document; workers and server runtimes do not. An opaque origin (a sandboxed
  // iframe) has no Web Locks: its requests reject.
  if (typeof scope.document !== 'object' || scope.document === null || scope.isSecureContext !== true || scope.origin === 'null') return undefined
  const locks = scope.navigator?.locks
  if (typeof locks?.request !== 'function' || typeof scope.BroadcastChannel !== 'function') return undefined
  return {locks: locks as LockManagerLike, Channel: scope.BroadcastChannel as typeof BroadcastChannel}
}

/**
 * The default channel key: sources share a connection when their method, absolute URL and
 * credentials mode are the same.
 */
export function defaultChannel(method: string, url: string, credentials: string): string {
  return `${method} ${url} ${credentials}`
}
