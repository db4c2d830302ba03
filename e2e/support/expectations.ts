// Short names for transcript lines, so that each test states the standard's outcome in a few lines.
import {type Page, expect} from '@playwright/test'
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

/** Sets the test's cookie on the host (both ports), opens the page and waits for its harness. */
export async function openHarness({page}: {page: Page}): Promise<void> {
  const [name, value] = COOKIE.split('=') as [string, string]
  await page.context().addCookies([{name, value, domain: '127.0.0.1', path: '/'}])
  await page.goto('/page.html')
  await harnessReady(page)
}
