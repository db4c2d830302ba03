// The checks of the Hermes smoke run: one line each (`ok - …` / `not ok - … (what differed)`), the
// counts for the summary, and the waiting and recording helpers the cases share.
import {sleep, virtualNow} from './event-loop.js'

const log = typeof globalThis.print === 'function' ? globalThis.print : console.log

export const CONNECTING = 0
export const OPEN = 1
export const CLOSED = 2

/** How many checks passed and failed so far. */
export const counts = {passed: 0, failed: 0}

/** Prints a line; the Hermes CLI's `print` where there is one. */
export function say(line) {
  log(line)
}

/** One check: passes when `isTrue`; `detail` says what differed. */
export function check(title, isTrue, detail) {
  if (isTrue) counts.passed++
  else counts.failed++
  log(`${isTrue ? 'ok' : 'not ok'} - ${title}${isTrue || detail === undefined ? '' : ` (${detail})`}`)
}

/** One check that `actual` and `expected` serialize to the same JSON. */
export function same(title, actual, expected) {
  const [shownActual, shownExpected] = [JSON.stringify(actual), JSON.stringify(expected)]
  check(title, shownActual === shownExpected, `got ${shownActual}, expected ${shownExpected}`)
}

/** Waits (virtual time) until `predicate()` holds or `limitMs` passes; returns whether it held. */
export async function until(predicate, limitMs = 10_000) {
  const deadline = virtualNow() + limitMs
  while (!predicate()) {
    if (virtualNow() >= deadline) return false
    await sleep(1)
  }
  return true
}

/** The sources of the case running: closed when it ends, even by a throw (see {@link endCase}). */
const live = new Set()

/** Keeps `source` to be closed when its case ends; returns it. */
export function track(source) {
  live.add(source)
  return source
}

/** Closes every source of the case that ended. */
export function endCase() {
  for (const source of live) source.close()
  live.clear()
}

/** Records every event of a source: type, readyState when it fired, and the fields of a message. */
export function record(source, names) {
  track(source)
  const events = []
  for (const type of ['open', 'message', 'error', ...names]) {
    source.addEventListener(type, (event) => {
      events.push({type: event.type, readyState: source.readyState, data: event.data, lastEventId: event.lastEventId, origin: event.origin, error: event.error?.message})
    })
  }
  return events
}

/** The events of `events` of one of `types`, without their error messages. */
export function ofType(events, ...types) {
  return events.filter((event) => types.includes(event.type)).map(({error: _error, ...event}) => event)
}
