// Timers for the Hermes smoke run (test/hermes/smoke.js). The `hermes` CLI of hermes-engine-cli
// 0.12 has setTimeout, but it runs the timers in the order they were set, as soon as the microtasks
// are done, whatever their delay (a 3 s reconnection delay set before a 1 ms chunk fires first).
// React Native's timers keep their order by time. These do, on a virtual clock: each turn of the
// VM's own queue runs the timer due first, after the microtasks of the one before; no real waiting.

// One turn of the host's own queue (setImmediate where there is one: a Node control run would wait a
// millisecond for each setTimeout).
const nextTurn = globalThis.setImmediate ?? globalThis.setTimeout

/** The timers not yet run, ordered by due time, then by the order they were set. */
const pending = []
let now = 0
let nextId = 1
let isTurnScheduled = false
let turns = 0

/** Most turns one run may take: a loop that never ends fails the run instead of hanging. */
export const MAX_TURNS = 100_000

function scheduleTurn() {
  if (isTurnScheduled || pending.length === 0) return
  isTurnScheduled = true
  nextTurn(turn)
}

function turn() {
  isTurnScheduled = false
  const timer = pending.shift()
  if (timer === undefined) return
  if (++turns > MAX_TURNS) throw new Error(`event loop: more than ${MAX_TURNS} timers ran; a loop does not end`)
  now = Math.max(now, timer.dueMs)
  if (timer.intervalMs !== undefined) insert({...timer, dueMs: now + timer.intervalMs})
  scheduleTurn()
  timer.callback(...timer.args)
}

function insert(timer) {
  let index = pending.length
  while (index > 0 && pending[index - 1].dueMs > timer.dueMs) index--
  pending.splice(index, 0, timer)
  scheduleTurn()
}

function set(callback, delayMs, args, isInterval) {
  const id = nextId++
  const delay = Math.max(0, Number(delayMs) || 0)
  insert({id, callback, args, dueMs: now + delay, intervalMs: isInterval ? Math.max(1, delay) : undefined})
  return id
}

function clear(id) {
  const index = pending.findIndex((timer) => timer.id === id)
  if (index !== -1) pending.splice(index, 1)
}

/** Installs setTimeout, clearTimeout, setInterval and clearInterval on the virtual clock. */
export function installTimers() {
  globalThis.setTimeout = (callback, delayMs, ...args) => set(callback, delayMs, args, false)
  globalThis.setInterval = (callback, delayMs, ...args) => set(callback, delayMs, args, true)
  globalThis.clearTimeout = clear
  globalThis.clearInterval = clear
}

/** The virtual time in milliseconds since the run started. */
export function virtualNow() {
  return now
}

/** How many timers are set and not yet run or cleared. */
export function pendingTimers() {
  return pending.length
}

/** A promise fulfilled after `delayMs` of virtual time. */
export function sleep(delayMs) {
  return new Promise((resolve) => set(resolve, delayMs, [], false))
}
