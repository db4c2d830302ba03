import {afterEach, describe, expect, it} from 'vitest'
import {EventSource} from '../src/index.js'
import {fakeFetch, streamResponse} from './helpers.js'

const sources: EventSource[] = []
afterEach(() => {
  for (const source of sources.splice(0)) source.close()
  Reflect.deleteProperty(globalThis, 'location')
})

// A source whose fetch never hits the network: the constructor is what is under test.
function open(url: unknown, init: Record<string, unknown> = {}): EventSource {
  const {fetch} = fakeFetch(() => streamResponse([]))
  const source = new EventSource(url as string, {fetch, ...init})
  sources.push(source)
  return source
}

describe('new EventSource(url, init)', () => {
  it('has length 1', () => {
    expect(EventSource.length).toBe(1)
  })

  it('throws a TypeError without arguments and when called without new', () => {
    expect(() => Reflect.construct(EventSource, [])).toThrow(TypeError)
    expect(() => (EventSource as unknown as () => void)()).toThrow(TypeError)
  })

  it('serializes the parsed URL', () => {
    expect(open('HTTP://127.0.0.1:80/a/../b?x=y z#frag').url).toBe('http://127.0.0.1/b?x=y%20z#frag')
    expect(open(new URL('http://127.0.0.1/x')).url).toBe('http://127.0.0.1/x')
  })

  it('converts the URL argument with ToString', () => {
    expect(open({toString: () => 'http://127.0.0.1/obj'}).url).toBe('http://127.0.0.1/obj')
    expect(() => open(Symbol('url'))).toThrow(TypeError)
  })

  it('throws a DOMException named SyntaxError for an unparsable URL', () => {
    for (const bad of ['http://[::1', 'relative/path', '', 'http://exa mple.com/']) {
      let thrown: unknown
      try {
        open(bad)
      } catch (error) {
        thrown = error
      }
      expect(thrown, bad).toBeInstanceOf(DOMException)
      expect((thrown as DOMException).name).toBe('SyntaxError')
      expect((thrown as DOMException).code).toBe(12)
    }
  })

  it('parses a relative URL against the document base URL where there is one', () => {
    Object.defineProperty(globalThis, 'location', {value: {href: 'http://127.0.0.1:8080/app/page.html'}, configurable: true})
    expect(open('events?x=1').url).toBe('http://127.0.0.1:8080/app/events?x=1')
    expect(open('/root').url).toBe('http://127.0.0.1:8080/root')
  })

  it('converts withCredentials to a boolean', () => {
    expect(open('http://127.0.0.1/', {withCredentials: 1}).withCredentials).toBe(true)
    expect(open('http://127.0.0.1/', {withCredentials: 'yes'}).withCredentials).toBe(true)
    expect(open('http://127.0.0.1/', {withCredentials: 0}).withCredentials).toBe(false)
    expect(open('http://127.0.0.1/', {}).withCredentials).toBe(false)
    expect(open('http://127.0.0.1/').withCredentials).toBe(false)
  })

  it('accepts undefined and null as the init dictionary and rejects other primitives', () => {
    const keep = (source: EventSource) => sources.push(source)
    expect(keep(new EventSource('http://127.0.0.1:9/', undefined))).toBe(1)
    expect(keep(new EventSource('http://127.0.0.1:9/', null as never))).toBe(2)
    expect(() => new EventSource('http://127.0.0.1/', 5 as never)).toThrow(TypeError)
    expect(() => new EventSource('http://127.0.0.1/', 'x' as never)).toThrow(TypeError)
  })

  it('starts in readyState CONNECTING', () => {
    expect(open('http://127.0.0.1/').readyState).toBe(EventSource.CONNECTING)
  })
})

describe('[non-spec] option validation', () => {
  const bad: Array<[string, Record<string, unknown>]> = [
    ['method', {method: 'GE T'}],
    ['method', {method: 'CONNECT'}],
    ['method', {method: 42}],
    ['headers', {headers: 'Authorization: x'}],
    ['headers', {headers: {'bad name': 'x'}}],
    ['headers', {headers: [['only-name']]}],
    ['body', {method: 'POST', body: new ReadableStream()}],
    ['body', {method: 'POST', body: 42}],
    ['body', {body: 'x'}],
    ['body', {method: 'HEAD', body: 'x'}],
    ['fetch', {fetch: 'fetch'}],
    ['credentials', {credentials: 'all'}],
    ['lastEventId', {lastEventId: 5}],
    ['lastEventId', {lastEventId: 'a\nb'}],
    ['lastEventId', {lastEventId: 'a\u0000b'}],
    ['signal', {signal: {}}],
    ['reconnectionTime', {reconnectionTime: -1}],
    ['reconnectionTime', {reconnectionTime: Number.NaN}],
    ['reconnectionTime', {reconnectionTime: Number.POSITIVE_INFINITY}],
    ['reconnectionTime', {reconnectionTime: '100'}],
  ]
  it.for(bad)('throws a TypeError naming "%s" for %o', ([name, init]) => {
    expect(() => new EventSource('http://127.0.0.1/', init as never)).toThrow(new RegExp(`"${name}"`))
    expect(() => new EventSource('http://127.0.0.1/', init as never)).toThrow(TypeError)
  })

  it('checks options before doing anything observable', async () => {
    const {fetch, calls} = fakeFetch(() => streamResponse([]))
    expect(() => new EventSource('http://127.0.0.1/', {fetch, reconnectionTime: -5})).toThrow(TypeError)
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(calls).toHaveLength(0)
  })

  it('exposes the initial lastEventId and reconnectionTime', () => {
    const source = open('http://127.0.0.1/', {lastEventId: 'é-42', reconnectionTime: 250})
    expect(source.lastEventId).toBe('é-42')
    expect(source.reconnectionTime).toBe(250)
    expect(open('http://127.0.0.1/').reconnectionTime).toBe(3000)
    expect(open('http://127.0.0.1/').lastEventId).toBe('')
  })
})
