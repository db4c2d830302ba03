// [spec] A URL with a user and password in the React Native build: taken off the request (React
// Native's URL cannot do it), and sent only to answer a Basic challenge from that URL, once.
import {describe, expect, it} from 'vitest'
import {takeUserinfo} from '../../src/core/userinfo.js'
import {EventSource} from '../../src/index.js'
import {next, sse, useCleanups} from '../helpers.js'
import {FakeXMLHttpRequest, installFakeXhr} from './fake-xhr.js'


const {defer, server} = useCleanups()

// base64 of the UTF-8 bytes of `usér:p@ss wörd`.
const BASIC = `Basic ${Buffer.from('usér:p@ss wörd', 'utf8').toString('base64')}`

describe('[spec] a URL with a user and password in the react-native build', () => {
  it('takes the userinfo off the URL with the build\'s URL parser, percent-encoded or not, up to the last @ of the authority', () => {
    expect(takeUserinfo('https://us%C3%A9r:p%40ss%20w%C3%B6rd@host.test:8443/a/b?c=d#e')).toEqual({
      url: 'https://host.test:8443/a/b?c=d#e',
      credentials: {url: 'https://host.test:8443/a/b?c=d', authorization: BASIC},
    })
    expect(takeUserinfo('https://usér:p@ss wörd@host.test/').credentials?.authorization).toBe(BASIC)
    expect(takeUserinfo('https://user@host.test/x@y').credentials?.url).toBe('https://host.test/x@y')
    expect(takeUserinfo('https://host.test/x@y')).toEqual({url: 'https://host.test/x@y', credentials: undefined})
    expect(takeUserinfo('not a url@x')).toEqual({url: 'not a url@x', credentials: undefined})
  })

  it('sends no userinfo to XMLHttpRequest and answers a Basic challenge once with it', async () => {
    defer(installFakeXhr())
    const target = await server((req, res) => {
      if (req.headers.authorization === BASIC) return sse(res, 'data: welcome\n\n')
      res.writeHead(401, {'www-authenticate': 'Basic realm="events"', 'content-type': 'text/plain'})
      res.end('who are you?')
    })
    const url = target.url.replace('http://', 'http://us%C3%A9r:p%40ss%20w%C3%B6rd@')
    const created = new EventSource(url)
    defer(() => created.close())
    const message = (await next(created, 'message')) as MessageEvent
    expect(message.data).toBe('welcome')
    expect(created.url).toBe(url)
    expect(FakeXMLHttpRequest.records.map((sent) => [sent.url, sent.headers.authorization])).toEqual([
      [target.url, undefined],
      [target.url, BASIC],
    ])
  })
})
