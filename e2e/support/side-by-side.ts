// Runs one scenario in the page with the native EventSource and with ours, at the same time, each
// with its own run id, and returns both transcripts in a form that compares and reads well.
import type {Page} from '@playwright/test'
import type {Driver} from './driver.js'
import type {Harness, Implementation} from '../page/page.js'
import type {Entry, RunResult, RunSpec} from '../page/transcript.js'
import {CROSS_ORIGIN, MAIN_ORIGIN, type ServerName} from './origins.js'
import {type LoggedRequest, logUrl, newRunId, requestsOf, scenarioUrl} from './server-log.js'

/** A scenario: a route of the scenario table and how the page runs it. */
export interface Scenario extends Omit<RunSpec, 'url' | 'logUrl'> {
  /** The name in e2e/server/scenarios.mjs. */
  name: string
  /** The listener the EventSource URL points at. */
  server?: ServerName
  /** A user and password put in the EventSource URL (`user:pass`). */
  userinfo?: string
}

/** Everything one implementation did in one scenario. */
export interface Observed {
  /** readyState after construction, then at each event, then after the run. */
  readyStates: number[]
  /** Each event: `type "data" id="lastEventId" origin readyState`, or `type readyState` for a plain Event. */
  events: string[]
  /** Each request but preflights: `METHOD server path` and the headers the standard sets. */
  requests: string[]
  /** Each CORS preflight (OPTIONS): `OPTIONS server path` and what it asked for. */
  preflights: string[]
  /** Each no-cors request (ours probes a cross-origin URL whose fetch failed): `GET server path` and its headers. */
  probes: string[]
  timedOut: boolean
  /** readyState when the run ended, before the harness closed the source. */
  beforeClose: number
  /** The `url` (server and path, without the run id) and `withCredentials` attributes. */
  attributes: string
  /** Ours only: the reconnection time at the end. */
  reconnectionTime: number | null
  /** Ours only: the class name of each error event's `error`. */
  errorNames: string[]
}

const originName = (origin: string | null): string =>
  origin === MAIN_ORIGIN ? 'main' : origin === CROSS_ORIGIN ? 'cross' : JSON.stringify(origin)

/** One event as a line, origins named by server. */
export function describeEntry(entry: Entry): string {
  if (entry.data === null) return `${entry.type} ${entry.readyState}`
  return `${entry.type} ${JSON.stringify(entry.data)} id=${JSON.stringify(entry.lastEventId)} ${originName(entry.origin)} ${entry.readyState}`
}

const UTF8_HEADERS = new Set(['last-event-id'])
/** A header value as a client sent it, or `-`; Last-Event-ID bytes decoded as UTF-8. */
function headerOf(request: LoggedRequest, name: string): string {
  const value = request.headers[name]
  if (value === undefined) return '-'
  return UTF8_HEADERS.has(name) ? Buffer.from(value, 'latin1').toString('utf8') : value
}

/** The request headers the standard's request sets, and the ones that show credentials and CORS. */
export const COMPARED_HEADERS = ['accept', 'last-event-id', 'cache-control', 'pragma', 'cookie', 'origin'] as const

/** One request as a line: `GET main /sse/x/start accept=… last-event-id=… …`. */
export function describeRequest(request: LoggedRequest): string {
  const headers = COMPARED_HEADERS.map((name) => `${name}=${headerOf(request, name)}`)
  return [request.method, request.server, request.path, ...headers].join(' ')
}

/** One preflight as a line: `OPTIONS cross path method=… headers=… origin=…`. */
export function describePreflight(request: LoggedRequest): string {
  const asked = ['access-control-request-method', 'access-control-request-headers', 'origin'].map((name) => `${name}=${headerOf(request, name)}`)
  return [request.method, request.server, request.path, ...asked].join(' ')
}

/** A scenario URL as `server path`, without the run id. */
function describeUrl(url: string): string {
  const parsed = new URL(url)
  const userinfo = parsed.username || parsed.password ? ` ${parsed.username}:${parsed.password}@` : ''
  return `${originName(parsed.origin)}${userinfo} ${parsed.pathname}`
}

/** A no-cors request: Chromium marks it `Sec-Fetch-Mode: no-cors` (the EventSource's own are "cors"). */
const isNoCors = (request: LoggedRequest): boolean => request.headers['sec-fetch-mode'] === 'no-cors'

/** One no-cors request as a line: `GET cross path accept=… cookie=… origin=… aborted=…`. */
export function describeProbe(request: LoggedRequest): string {
  const headers = ['accept', 'last-event-id', 'cookie', 'origin'].map((name) => `${name}=${headerOf(request, name)}`)
  return [request.method, request.server, request.path, ...headers, `aborted=${request.aborted}`].join(' ')
}

/** Turns a page transcript and a request log into an Observed. */
export function observe(result: RunResult, requests: LoggedRequest[]): Observed {
  return {
    readyStates: [result.initial, ...result.entries.map((entry) => entry.readyState), result.final],
    events: result.entries.map(describeEntry),
    requests: requests.filter((request) => request.method !== 'OPTIONS' && !isNoCors(request)).map(describeRequest),
    preflights: requests.filter((request) => request.method === 'OPTIONS').map(describePreflight),
    probes: requests.filter(isNoCors).map(describeProbe),
    timedOut: result.timedOut,
    beforeClose: result.beforeClose,
    attributes: `url=${describeUrl(result.url)} withCredentials=${result.withCredentials}`,
    reconnectionTime: result.reconnectionTime,
    errorNames: result.entries.flatMap((entry) => (entry.errorName === undefined ? [] : [entry.errorName])),
  }
}

/** Waits until the page's harness is loaded. */
export async function harnessReady(page: Page): Promise<void> {
  await page.waitForFunction(() => 'harness' in globalThis, undefined, {timeout: 10_000})
}

/** The page-side spec for `scenario` on run `id`. */
function specFor(scenario: Scenario, id: string): RunSpec {
  const {name, server = 'main', userinfo, ...rest} = scenario
  const url = scenarioUrl(id, name, server)
  return {...rest, url: userinfo === undefined ? url : url.replace('://', `://${userinfo}@`), logUrl: logUrl(id)}
}

/** Runs `scenario` with `implementation` on its own run id. */
export async function runOne(page: Pick<Driver, 'evaluate'>, implementation: Implementation, scenario: Scenario): Promise<Observed> {
  const id = newRunId()
  const result = await page.evaluate(
    ([which, spec]) => (globalThis as unknown as {harness: Harness}).harness.run(which, spec),
    [implementation, specFor(scenario, id)] as const,
  )
  return observe(result, await requestsOf(id))
}

/** Runs `scenario` with the native EventSource and with ours, side by side in one page. */
export async function sideBySide(page: Pick<Driver, 'evaluate'>, scenario: Scenario): Promise<{native: Observed; ours: Observed}> {
  const [native, ours] = await Promise.all([runOne(page, 'native', scenario), runOne(page, 'ours', scenario)])
  return {native, ours}
}
