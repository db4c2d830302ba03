// After a redirect, a reconnection is the request fetch made after it (issue 17): method, body and
// headers as Chromium's fetch left them, for 301, 302, 303, 307 and 308, same- and cross-origin,
// GET and POST; for GET (all the native API can send), the reconnections are compared with native's.
import {expect, test} from './support/test.js'
import type {PageGlobals} from './page/page.js'
import {nativeRedirectedReconnection, withoutCacheHeaders} from './support/expectations.js'
import {type ServerName} from './support/origins.js'
import {type LoggedRequest, newRunId, requestsOf, scenarioUrl} from './support/server-log.js'
import {sideBySide} from './support/side-by-side.js'

test.describe.configure({mode: 'parallel'})

const STATUSES = [301, 302, 303, 307, 308] as const
const BODY = '{"prompt":"hi"}'

/** The scenario that redirects with `status` to a target on `server` (e2e/server/scenarios.mjs). */
const scenarioOf = (status: number, server: ServerName): string => (server === 'main' ? `redirect-${status}` : `redirect-cross-${status}`)

/** The headers the request's init sets (the user's and the library's); the browser adds others on its own. */
const INIT_HEADERS = ['accept', 'authorization', 'content-language', 'content-type', 'x-trace'] as const

/**
 * A request as the init made it: without what a reconnection adds on purpose (Last-Event-ID) and
 * without what the browser sets by itself, which differs between a redirected request and a request
 * straight to the target (Firefox 153: `Sec-Fetch-Site`; WebKitGTK 2.50: `Origin`, `Cache-Control`,
 * `Pragma` and `Sec-Fetch-*`).
 */
function shape(request: LoggedRequest | undefined): unknown {
  const headers = Object.fromEntries(INIT_HEADERS.map((name) => [name, request?.headers[name]]))
  return {method: request?.method, server: request?.server, path: request?.path, body: request?.body, headers}
}

for (const method of ['GET', 'POST'] as const) {
  for (const server of ['main', 'cross'] as ServerName[]) {
    for (const status of STATUSES) {
      const name = scenarioOf(status, server)
      // Chromium's fetch hides the statuses it followed: a redirected POST reconnects as a GET
      // without a body (README, "Redirects"), so after 307/308 it is not what fetch re-sent.
      const isHiddenKeep = method === 'POST' && (status === 307 || status === 308)
      const title = isHiddenKeep
        ? `[non-spec] ${method} ${status} to ${server}: fetch re-sends the POST; the reconnection, which cannot see the status, is a GET without a body`
        : `[non-spec] ${method} ${status} to ${server}: the reconnection has the method, body and headers of the request fetch made after the redirect`
      test(title, async ({driver}) => {
        const id = newRunId()
        const result = await driver.evaluate(
          async ({url, method, body}) => {
            const {harness} = globalThis as unknown as PageGlobals
            const Ours = await harness.ours()
            const headers: Record<string, string> = {Authorization: 'Bearer SECRET', 'Content-Language': 'en', 'X-Trace': 't1'}
            const init = method === 'POST' ? {method, body, headers: {...headers, 'Content-Type': 'application/json'}} : {headers}
            class Source extends Ours {
              constructor(url: string) {
                super(url, init)
              }
            }
            return harness.runTranscript(Source, {url, untilData: 'end'})
          },
          {url: scenarioUrl(id, name), method, body: BODY},
        )
        expect(result.timedOut).toBe(false)
        const targets = (await requestsOf(id)).filter((request) => request.method !== 'OPTIONS' && request.path.endsWith('/target'))
        expect(targets).toHaveLength(2)
        const [redirected, reconnection] = targets
        // What Chromium's fetch made of the request: Fetch's HTTP-redirect fetch, steps 12 and 13.
        const isToGet = method === 'POST' && status !== 307 && status !== 308
        const isPost = method === 'POST' && !isToGet
        expect(redirected?.method).toBe(isPost ? 'POST' : 'GET')
        expect(redirected?.body).toBe(isPost ? BODY : '')
        expect(redirected?.headers['content-type']).toBe(isPost ? 'application/json' : undefined)
        expect(redirected?.headers['content-language']).toBe(isToGet ? undefined : 'en')
        expect(redirected?.headers.authorization).toBe(server === 'cross' ? undefined : 'Bearer SECRET')
        expect(redirected?.headers['x-trace']).toBe('t1')
        expect(reconnection?.headers['last-event-id']).toBe('r1')
        if (!isHiddenKeep) {
          expect(shape(reconnection)).toEqual(shape(redirected))
          return
        }
        expect(reconnection).toMatchObject({method: 'GET', server, body: ''})
        expect(reconnection?.headers['content-type']).toBeUndefined()
        expect(reconnection?.headers['content-language']).toBeUndefined()
        expect(reconnection?.headers.authorization).toBe(server === 'cross' ? undefined : 'Bearer SECRET')
        expect(reconnection?.headers['x-trace']).toBe('t1')
      })
    }
  }
}

for (const server of ['main', 'cross'] as ServerName[]) {
  for (const status of STATUSES) {
    const name = scenarioOf(status, server)
    // [spec] reestablishing fetches the request again, from its current URL (whatwg/html#503).
    test(`GET ${status} to ${server}: the requests, reconnection included, are native's`, async ({driver}) => {
      const {native, ours} = await sideBySide(driver, {name, untilData: 'end'})
      expect(ours.requests).toHaveLength(3)
      const [first, redirected, reconnection] = ours.requests as [string, string, string]
      const toStart = first.replace('last-event-id=-', 'last-event-id=r1')
      // Firefox goes back to the constructor's URL after a 302, 303 or 307, WebKit after any (e2e/README.md).
      const strip = (lines: string[]): string[] => lines.map((line) => withoutCacheHeaders(driver.engine, line))
      expect(strip(native.requests)).toEqual(strip([first, redirected, ...nativeRedirectedReconnection(driver.engine, status, reconnection, toStart)]))
    })
  }
}

test('[non-spec] a headers function learns, per attempt, the URL and whether it is still the original origin', async ({driver}) => {
  const id = newRunId()
  const contexts = await driver.evaluate(async (url) => {
    const {harness} = globalThis as unknown as PageGlobals
    const Ours = await harness.ours()
    const seen: Array<[string, boolean]> = []
    class Source extends Ours {
      constructor(url: string) {
        super(url, {
          headers: ({url, isOriginalOrigin}) => {
            seen.push([new URL(url).pathname, isOriginalOrigin])
            return isOriginalOrigin ? {Authorization: 'Bearer SECRET'} : {}
          },
        })
      }
    }
    await harness.runTranscript(Source, {url, untilData: 'end'})
    return seen
  }, scenarioUrl(id, 'redirect-cross-302'))
  expect(contexts).toEqual([
    ['/sse/redirect-cross-302/start', true],
    ['/sse/redirect-cross-302/target', false],
  ])
  const requests = (await requestsOf(id)).filter((request) => request.method !== 'OPTIONS')
  expect(requests.map((request) => [request.server, request.path, request.headers.authorization])).toEqual([
    ['main', '/sse/redirect-cross-302/start', 'Bearer SECRET'],
    ['cross', '/sse/redirect-cross-302/target', undefined],
    ['cross', '/sse/redirect-cross-302/target', undefined],
  ])
})
