// [non-spec] The page lifecycle. A browser freezes pages (background tabs on Android, Memory Saver,
// energy saving) and keeps left pages in the back/forward cache. A fetch body that was streaming when
// its page froze never delivers again after the thaw, and a frozen page must not hold a connection it
// cannot read (Page Lifecycle API: "close connections on freeze, reopen them on resume"). So a source
// drops its attempt on `freeze` and on `pagehide` with `persisted`, and connects again with
// Last-Event-ID on `resume` or `pageshow` with `persisted`. A worker of a frozen page hears none of
// these events: there, a clock that jumped while no timer could run tells the same story.
//
// One set of listeners per realm, added on first use and kept (a few bytes); nothing at import time.

// A worker's timers stopped for at least this long: its page was frozen (or the machine slept).
const JUMP_MS = 3000
// How often a worker looks at its clock while it holds a connection.
const TICK_MS = 1000

// The attempts in flight, each dropped when the page suspends.
const onSuspend = new Set<() => void>()
// The sources waiting for the page to come back.
const onResume = new Set<() => void>()
let isSuspendedNow = false
let isListening = false
// Counts `offline` events, so that an attempt can tell whether the network went away meanwhile.
let offlineCount = 0
let clock: ReturnType<typeof setInterval> | undefined

interface Scope {
  document?: {visibilityState?: unknown}
  navigator?: {onLine?: unknown}
  DedicatedWorkerGlobalScope?: unknown
}

// Runs every callback of `set` (a copy: a callback may remove itself).
const runAll = (set: Set<() => void>): void => [...set].forEach((run) => run())

function suspend(): void {
  isSuspendedNow = true
  runAll(onSuspend)
}

function resume(): void {
  const wasSuspended = isSuspendedNow
  isSuspendedNow = false
  if (wasSuspended) runAll(onResume)
}

/** Listens with `listener` to `type` on `target`, when it is an EventTarget. */
function on(target: unknown, type: string, listener: (event: Event) => void): void {
  if (typeof (target as Partial<EventTarget> | undefined)?.addEventListener === 'function') (target as EventTarget).addEventListener(type, listener)
}

/** Adds the realm's listeners once: the document's freeze/resume, the window's pagehide/pageshow/offline. */
function listen(): void {
  if (isListening) return
  isListening = true
  const scope = globalThis as Scope
  const {document} = scope
  on(scope, 'offline', () => offlineCount++)
  // The rest is a window's (workers, server runtimes and workerd have no document).
  if (typeof document !== 'object' || document === null) return
  on(scope, 'pagehide', (event) => (event as PageTransitionEvent).persisted && suspend())
  // Any pageshow: a page shown again runs, whatever its persisted flag says.
  on(scope, 'pageshow', resume)
  on(document, 'freeze', suspend)
  on(document, 'resume', resume)
  // A frozen page is always resumed before it is shown: a visible page runs.
  on(document, 'visibilitychange', () => document.visibilityState === 'visible' && resume())
}

/** In a dedicated worker (frozen with its page, and told nothing): one timer for every watched attempt, that drops them all when the clock jumped. */
function watchClock(): void {
  const {DedicatedWorkerGlobalScope} = globalThis as Scope
  if (clock !== undefined || !(typeof DedicatedWorkerGlobalScope === 'function' && globalThis instanceof DedicatedWorkerGlobalScope)) return
  let lastMs = Date.now()
  clock = setInterval(() => {
    // Frozen and already thawed: the attempts are dropped and reconnect at once.
    if (Date.now() - lastMs > JUMP_MS) runAll(onSuspend)
    lastMs = Date.now()
  }, TICK_MS)
}

/** Whether the page is frozen or in the back/forward cache (as far as its events said). */
export function isSuspended(): boolean {
  listen()
  return isSuspendedNow
}

/**
 * Calls `drop` when the page freezes or enters the back/forward cache (or, in a worker, once its
 * clock shows that it was frozen) before the returned function is called.
 */
export function watchSuspend(drop: () => void): () => void {
  listen()
  onSuspend.add(drop)
  watchClock()
  return () => {
    onSuspend.delete(drop)
    if (onSuspend.size === 0) clock = void clearInterval(clock)
  }
}

/** Calls `wake` once the page is resumed or shown again; returns the function that stops waiting. */
export function whenResumed(wake: () => void): () => void {
  listen()
  onResume.add(wake)
  return () => onResume.delete(wake)
}

/** A mark to pass to {@link wentOffline}: the network's state now. */
export function offlineMark(): number {
  listen()
  return offlineCount
}

/**
 * Whether the browser says it is offline, or went offline since `mark` was taken: a failure then is
 * the network's, not the server's, and counts as no failed attempt.
 */
export function wentOffline(mark: number): boolean {
  return offlineCount !== mark || (globalThis as Scope).navigator?.onLine === false
}
