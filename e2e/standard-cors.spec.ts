// CORS, side by side with the native EventSource: the stream on the cross origin (another port on
// the same host, so the page's cookie applies to both and only the credentials mode decides whether
// it is sent). Without withCredentials the request's credentials mode is "same-origin"; with it,
// "include", and the response needs Access-Control-Allow-Credentials.
import {expect, test} from '@playwright/test'
import {COOKIE, end, expectSameAsNative, FAILED, message, OPEN, openHarness, RECONNECTING, request} from './support/expectations.js'
import {MAIN_ORIGIN} from './support/origins.js'
import {sideBySide} from './support/side-by-side.js'

test.describe.configure({mode: 'parallel'})
test.beforeEach(openHarness)

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
    test(`${name} with withCredentials ${withCredentials}: events from the cross origin, cookie ${cookie}`, async ({page}) => {
      const native = expectSameAsNative(await sideBySide(page, {...cross, name, withCredentials, untilData: 'end'}))
      expect(native.events).toEqual([OPEN, message('cors', {origin: 'cross'}), end('', 'cross')])
      expect(native.requests).toEqual([crossRequest(name, cookie)])
      expect(native.preflights).toEqual([])
      expect(native.attributes).toBe(`url=cross /sse/${name}/start withCredentials=${withCredentials}`)
    })
  }

  test('a reconnection sends Last-Event-ID cross-origin: natively without a preflight, ours with one', async ({page}) => {
    const result = await sideBySide(page, {...cross, name: 'cors-reconnect', untilData: 'end'})
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
  // (error, CLOSED); ours cannot tell it from being offline (fetch gives the same TypeError) and
  // reconnects (error, CONNECTING): both are what the standard allows, so the events differ here by
  // design (README, "Where this differs") and the requests must still be the same.
  const refused = [
    {name: 'cors-none', withCredentials: false, cookie: '-', why: 'no Access-Control-Allow-Origin'},
    {name: 'cors-none', withCredentials: true, cookie: COOKIE, why: 'no Access-Control-Allow-Origin'},
    {name: 'cors-anonymous', withCredentials: true, cookie: COOKIE, why: 'credentials without Access-Control-Allow-Credentials'},
    {name: 'cors-wildcard', withCredentials: true, cookie: COOKIE, why: 'credentials with Access-Control-Allow-Origin: *'},
  ]
  for (const {name, withCredentials, cookie, why} of refused) {
    test(`${name} with withCredentials ${withCredentials} (${why}): native fails, ours reconnects`, async ({page}) => {
      const {native, ours} = await sideBySide(page, {...cross, name, withCredentials, untilErrors: 1, settleMs: 300})
      expect(native.events).toEqual([FAILED])
      expect(native.readyStates).toEqual([0, 2, 2])
      expect(ours.events).toEqual([RECONNECTING])
      expect(ours.readyStates).toEqual([0, 0, 2])
      // The request went out either way (the browser checks the response): same request, same cookie.
      expect(native.requests).toEqual([crossRequest(name, cookie)])
      expect(ours.requests).toEqual(native.requests)
    })
  }
})
