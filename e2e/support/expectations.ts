// Short names for transcript lines, so that each test states the standard's outcome in a few lines.
import {type Page, expect} from '@playwright/test'
import type {Engine} from './driver.js'
import type {Observed} from './side-by-side.js'
import {COMPARED_HEADERS, harnessReady} from './side-by-side.js'
import type {ServerName} from './origins.js'

/** `open` with readyState OPEN. */
export const OPEN = 'open 1'
/** `error` while reconnecting (readyState CONNECTING). */
export const RECONNECTING = 'error 0'
/** `error` of a failed connection (readyState CLOSED). */
export const FAILED = 'error 2'

/** A MessageEvent line: `type "data" id="lastEventId" origin readyState`. */
export function message(data: string, {id = '', type = 'message', origin = 'main' as ServerName, readyState = 1} = {}): string {
  return `${type} ${JSON.stringify(data)} id=${JSON.stringify(id)} ${origin} ${readyState}`
}

/** The `end` message the scenarios stop on. */
export const end = (id = '', origin: ServerName = 'main'): string => message('end', {id, origin})

type HeaderName = (typeof COMPARED_HEADERS)[number]

/** The cookie every test's context has (see openHarness). */
export const COOKIE = 'session=e2e'

/**
 * A request line as describeRequest writes it: a same-origin GET of `scenario` by default, with the
 * headers the standard's request has (Accept, Cache-Control from the "no-store" cache mode) and the
 * context's cookie; `headers` overrides them (`-` for absent).
 */
export function request(scenario: string, {server = 'main' as ServerName, step = 'start', method = 'GET', headers = {} as Partial<Record<HeaderName, string>>} = {}): string {
  const defaults: Record<HeaderName, string> = {
    accept: 'text/event-stream',
    'last-event-id': '-',
    'cache-control': 'no-cache',
    pragma: 'no-cache',
    cookie: COOKIE,
    origin: '-',
  }
  const values = {...defaults, ...headers}
  return [method, server, `/sse/${scenario}/${step}`, ...COMPARED_HEADERS.map((name) => `${name}=${values[name]}`)].join(' ')
}

/** What the two implementations must agree on: everything but our extras (a getter, the errors' classes). */
const comparable = ({reconnectionTime: _time, errorNames: _names, ...rest}: Observed): Omit<Observed, 'reconnectionTime' | 'errorNames'> => rest

/** Asserts that ours did exactly what the native EventSource did; returns the native transcript. */
export function expectSameAsNative({native, ours}: {native: Observed; ours: Observed}): Observed {
  expect(native.timedOut, 'the native run timed out').toBe(false)
  expect(comparable(ours)).toEqual(comparable(native))
  return native
}

/**
 * The requests `engine`'s own EventSource sends when it reconnects after a redirect of `status`,
 * given the standard's `reconnection` (to the redirect's target: the request's current URL,
 * whatwg/html#503) and `toStart`, the same request to the constructor's URL. Firefox 153 goes back to
 * the constructor's URL, which redirects again, except after a 301 or 308 (it keeps those).
 */
export function nativeRedirectedReconnection(engine: Engine, status: number, reconnection: string, toStart: string): string[] {
  const isBackToStart = engine === 'webkit' || (engine === 'firefox' && status !== 301 && status !== 308)
  return isBackToStart ? [toStart, reconnection] : [reconnection]
}

/**
 * A request line without Cache-Control and Pragma where `engine` sets them on its own terms: after a
 * redirect to another origin WebKitGTK 2.50 sends Cache-Control without Pragma natively, neither
 * through fetch() on the redirected request, and both on a request straight to that origin.
 */
export function withoutCacheHeaders(engine: Engine, line: string): string {
  return engine === 'webkit' && / cross /.test(line) ? line.replace(/ cache-control=\S+ pragma=\S+/, '') : line
}

/**
 * What a server reads (as UTF-8) from the Last-Event-ID ours sends for `id` through `engine`'s
 * fetch(): WebKitGTK 2.50 encodes a header value's code units as UTF-8 again, so the UTF-8 byte
 * string ours hands it arrives double-encoded (e2e/README.md, WebKit).
 */
export function oursLastEventIdOnTheWire(engine: Engine, id: string): string {
  return engine === 'webkit' ? Buffer.from(id, 'utf8').toString('latin1') : id
}

/** The events an engine's own EventSource showed where it departs from the standard, per engine (e2e/README.md). */
export type Departures = Partial<Record<Engine, string[]>>

/**
 * Asserts the standard's `events` for ours, and for the native EventSource too unless `departures`
 * records what `engine`'s own does instead; then the rest of the transcripts must agree, or, where
 * native departs, at least the requests. Returns the native transcript.
 */
export function expectStandard(result: {native: Observed; ours: Observed}, engine: Engine, events: string[], departures: Departures = {}): Observed {
  expect(result.ours.events).toEqual(events)
  const departure = departures[engine]
  if (departure === undefined) return expectSameAsNative(result)
  expect(result.native.events, `${engine}'s own EventSource, as observed`).toEqual(departure)
  expect(result.ours.requests).toEqual(result.native.requests)
  return result.native
}

/** Sets the test's cookie on the host (both ports), opens the page and waits for its harness. */
export async function openHarness({page}: {page: Page}): Promise<void> {
  const [name, value] = COOKIE.split('=') as [string, string]
  await page.context().addCookies([{name, value, domain: '127.0.0.1', path: '/'}])
  await page.goto('/page.html')
  await harnessReady(page)
}
