// CORS, side by side with the native EventSource: the stream on the cross origin (another port on
// the same host, so the page's cookie applies to both and only the credentials mode decides whether
// it is sent). Without withCredentials the request's credentials mode is "same-origin"; with it,
// "include", and the response needs Access-Control-Allow-Credentials.
import {expect, test} from './support/test.js'
import {COOKIE, end, expectSameAsNative, FAILED, message, OPEN, RECONNECTING, request} from './support/expectations.js'
import {MAIN_ORIGIN} from './support/origins.js'
import {freePort} from './support/free-port.js'
import {sideBySide} from './support/side-by-side.js'
import type {PageGlobals} from './page/page.js'

test.describe.configure({mode: 'parallel'})

const cross = {server: 'cross'} as const
/** The cross-origin request: Origin is the page's; the cookie only with credentials. */
const crossRequest = (name: string, cookie = '-', lastEventId = '-') =>
  request(name, {server: 'cross', headers: {origin: MAIN_ORIGIN, cookie, 'last-event-id': lastEventId}})

test.describe('allowed', () => {
  const allowed = [
    {name: 'cors-anonymous', withCredentials: false, cookie: '-'},
    {name: 'cors-wildcard', withCredentials: false, cookie: '-'},
    {name: 'cors-credentials', withCredentials: false, cookie: '-'},
    {name: 'cors-credentials', withCredentials: true, cookie: COOKIE},
  ]
  for (const {name, withCredentials, cookie} of allowed) {
    test(`${name} with withCredentials ${withCredentials}: events from the cross origin, cookie ${cookie}`, async ({driver}) => {
      const native = expectSameAsNative(await sideBySide(driver, {...cross, name, withCredentials, untilData: 'end'}))
      expect(native.events).toEqual([OPEN, message('cors', {origin: 'cross'}), end('', 'cross')])
      expect(native.requests).toEqual([crossRequest(name, cookie)])
      expect(native.preflights).toEqual([])
      expect(native.attributes).toBe(`url=cross /sse/${name}/start withCredentials=${withCredentials}`)
    })
  }

  test('a reconnection sends Last-Event-ID cross-origin: natively without a preflight, ours with one', async ({driver}) => {
    const result = await sideBySide(driver, {...cross, name: 'cors-reconnect', untilData: 'end'})
    // Documented difference: Last-Event-ID is not a CORS-safelisted header, and fetch() preflights it;
    // the native request is not an "unsafe request", so it never preflights.
    expect(result.native.preflights).toEqual([])
    expect(result.ours.preflights).toEqual([
      `OPTIONS cross /sse/cors-reconnect/start access-control-request-method=GET access-control-request-headers=last-event-id origin=${MAIN_ORIGIN}`,
    ])
    result.ours.preflights = []
    const native = expectSameAsNative(result)
    expect(native.events).toEqual([OPEN, message('a', {id: 'c1', origin: 'cross'}), RECONNECTING, OPEN, message('back with c1', {id: 'c1', origin: 'cross'}), end('c1', 'cross')])
    expect(native.requests).toEqual([crossRequest('cors-reconnect'), crossRequest('cors-reconnect', '-', 'c1')])
  })
})

test.describe('refused', () => {
  // [spec] A failed CORS check is a network error: "reestablish the connection, unless the user agent
  // knows that to be futile, in which case the user agent may fail the connection". Chromium fails it
  // (error, CLOSED). fetch() rejects it with the TypeError of an offline network, so ours probes the
  // URL with a no-cors GET (no custom header, no body), which the server answers; the request, sent
  // once more at once, is refused again (a blip the probe outlived would have gone through): futile,
  // it fails the connection too, with a CorsError. The request is the same; the probe and the second
  // sending are ours only.
  const refused = [
    {name: 'cors-none', withCredentials: false, cookie: '-', why: 'no Access-Control-Allow-Origin'},
    {name: 'cors-none', withCredentials: true, cookie: COOKIE, why: 'no Access-Control-Allow-Origin'},
    {name: 'cors-wrong-origin', withCredentials: false, cookie: '-', why: 'Access-Control-Allow-Origin of another origin'},
    {name: 'cors-empty', withCredentials: false, cookie: '-', why: 'an empty Access-Control-Allow-Origin'},
    {name: 'cors-anonymous', withCredentials: true, cookie: COOKIE, why: 'credentials without Access-Control-Allow-Credentials'},
    {name: 'cors-wildcard', withCredentials: true, cookie: COOKIE, why: 'credentials with Access-Control-Allow-Origin: *'},
  ]
  for (const {name, withCredentials, cookie, why} of refused) {
    test(`${name} with withCredentials ${withCredentials} (${why}): both fail the connection, ours with a CorsError`, async ({driver}) => {
      const {native, ours} = await sideBySide(driver, {...cross, name, withCredentials, untilErrors: 1, settleMs: 300})
      expect(native.events).toEqual([FAILED])
      expect(native.readyStates).toEqual([0, 2, 2])
      expect(native.requests).toEqual([crossRequest(name, cookie)])
      expect(native.probes).toEqual([])
      // One probe: a no-cors GET with the source's credentials mode, aborted once its response came.
      expect(ours.probes).toEqual([`GET cross /sse/${name}/start accept=*/* last-event-id=- cookie=${cookie} origin=- aborted=true`])
      expect(ours.errorNames).toEqual(['CorsError'])
      // The same request twice: before the probe and once more after it.
      expect(ours.requests).toEqual([crossRequest(name, cookie), crossRequest(name, cookie)])
      ours.probes = []
      ours.requests = ours.requests.slice(1)
      expectSameAsNative({native, ours})
    })
  }

  test('a reconnection whose Last-Event-ID preflight is refused: native reconnects (no preflight), ours fails with a CorsError', async ({driver}) => {
    const {native, ours} = await sideBySide(driver, {...cross, name: 'cors-reconnect-no-preflight', untilData: 'end', settleMs: 300})
    // Native: its reconnection is no "unsafe request", so there is no preflight to refuse.
    expect(native.events).toEqual([OPEN, message('a', {id: 'c1', origin: 'cross'}), RECONNECTING, OPEN, message('back with c1', {id: 'c1', origin: 'cross'}), end('c1', 'cross')])
    expect(native.requests).toEqual([crossRequest('cors-reconnect-no-preflight'), crossRequest('cors-reconnect-no-preflight', '-', 'c1')])
    expect(native.preflights).toEqual([])
    // Ours: fetch() preflights Last-Event-ID; the refused preflight is a CORS refusal, and the probe
    // (a GET without Last-Event-ID, not preflighted) reaches the server.
    expect(ours.events).toEqual([OPEN, message('a', {id: 'c1', origin: 'cross'}), RECONNECTING, FAILED])
    // Refused twice: before the probe and when the request is sent once more after it.
    const preflight = `OPTIONS cross /sse/cors-reconnect-no-preflight/start access-control-request-method=GET access-control-request-headers=last-event-id origin=${MAIN_ORIGIN}`
    expect(ours.preflights).toEqual([preflight, preflight])
    expect(ours.requests).toEqual([crossRequest('cors-reconnect-no-preflight')])
    expect(ours.probes).toEqual(['GET cross /sse/cors-reconnect-no-preflight/start accept=*/* last-event-id=- cookie=- origin=- aborted=true'])
    expect(ours.errorNames).toEqual(['CorsError'])
  })

  test('offline (nothing listens on the port): both reconnect (Firefox fails it), ours after a probe that fails too', async ({driver}) => {
    const url = `http://127.0.0.1:${await freePort()}/sse/offline`
    const run = (which: 'native' | 'ours') =>
      driver.evaluate(async ([which, url]) => {
        const {harness} = globalThis as unknown as PageGlobals
        return harness.runTranscript(await harness.load(which), {url, untilErrors: 2, timeoutMs: 15_000})
      }, [which, url] as const)
    const [native, ours] = await Promise.all([run('native'), run('ours')])
    // [spec] a network error reestablishes the connection. Firefox 153 fails it instead.
    const standard = [RECONNECTING, RECONNECTING]
    for (const [which, result, expected] of [['native', native, driver.engine === 'firefox' ? [FAILED] : standard], ['ours', ours, standard]] as const) {
      expect(result.timedOut, which).toBe(false)
      expect(result.entries.map((entry) => `${entry.type} ${entry.readyState}`), which).toEqual(expected)
    }
    expect(ours.entries.map((entry) => entry.errorName)).toEqual(['NetworkError', 'NetworkError'])
  })
})
