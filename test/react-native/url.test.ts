import {describe, expect, it} from 'vitest'
import {URL as NativeBuildURL} from '../../src/core/native/url.js'

// [spec] The URL parser of the react-native build (React Native's own URL accepts anything and
// resolves relative URLs wrongly, so that build never uses it): absolute http(s) URLs as the URL
// standard parses them, here compared with Node's URL, which implements it.

// What the core reads of a URL (href carries the port, path, query and fragment as the standard serializes them).
const PARTS = ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname'] as const
const partsOf = (url: Record<(typeof PARTS)[number], string>): Record<string, string> => Object.fromEntries(PARTS.map((part) => [part, url[part]]))

const ABSOLUTE = [
  'https://example.com',
  'https://example.com/stream?x=1#top',
  'HTTP://EXAMPLE.COM:80/A/B',
  'https://example.com:443/',
  'https://example.com:0443/',
  'http://example.com:8080/x',
  'http://example.com:/x',
  'https://user:pa%20ss@example.com/events',
  'https://user@example.com/',
  'https://:secret@example.com/',
  'https://a@b@example.com/',
  'https://us er:p@ss:w@example.com/',
  'http://example.com/a/./b/../c/%2e%2E/d/.',
  'http://example.com/a/b/..',
  'http://example.com/../../x',
  'http:\\\\example.com\\a\\b',
  'http:example.com/x',
  'http:///example.com/x',
  '  https://example.com/\t\nx\r ',
  'https://example.com/path with spaces/é?q=a b&c="d"\'#frag ment`',
  'https://example.com/{}^`|?{}^`|#{}^`|',
  'https://example.com/%zz/%41?%zz#%zz',
  'https://EXAMPLE.com./',
  'https://bücher.example/stream',
  'https://ÉXAMPLE.com/',
  'https://ex%41mple.com/',
  'http://\uff25\uff38\uff21\uff2d\uff30\uff2c\uff25.com/',
  'http://exa\u0308mple.example/',
  'http://\ufb01le.example/',
  'http://127.0.0.1:3000/events',
  'http://0x7f.1/',
  'http://2130706433/',
  'http://0177.0.0.1/',
  'http://1.2.3.4./',
  'http://[::1]:8080/x',
  'http://[0:0:0:0:0:0:0:1]/',
  'http://[FE80::0001]:81/',
  'http://[1:0:0:2::3]/',
  'http://[0:0:1:0:0:0:1:0]/',
  'http://[1:0:0:0:0:0:0:0]/',
  'http://[::]/',
  'http://[1:2:3:4:5:6:7::]/',
  'http://[::ffff:1.2.3.4]/',
  'http://[::1.2.3.4]/',
  'https://example.com?',
  'https://example.com#',
  'https://example.com/\uD800',
]

const INVALID = [
  '/relative',
  'relative/path',
  '?query',
  '#fragment',
  '//example.com/x',
  '',
  '   ',
  'not a url',
  'http://',
  'https:///',
  'http://exa mple.com/',
  'http://exa%20mple.com/',
  'http://ex<ample.com/',
  'http://a\u3000b/',
  'http://a\uff05b/',
  'http://a\uff1cb/',
  'http://example.com:65536/',
  'http://example.com:8o/',
  'http://256.1.1.1/',
  'http://1.2.3.4.5/',
  'http://[::1/',
  'http://[::1::2]/',
  'http://[:]/',
  'http://[:::]/',
  'http://[1:]/',
  'http://[:1]/',
  'http://[1:2:3:4:5:6:7:8:9]/',
  'http://[1:2:3:4:5:6:7]/',
  'http://[1:2:3:4:5:6:7:8::]/',
  'http://[12345::]/',
  'http://[::1.2.3]/',
  'http://[::1.2.3.04]/',
  'http://[::256.1.1.1]/',
  'http://[1.2.3.4]/',
  'http://[1:2:3:4:5:6:7:1.2.3.4]/',
  'http://[::1%25eth0]/',
  'http://[example]/',
  'http://%ff.example/',
  '1http://example.com/',
]

describe('the URL parser of the react-native build', () => {
  it.each(ABSOLUTE)('[spec] parses the absolute URL %j as the URL standard does', (input) => {
    expect(partsOf(new NativeBuildURL(input))).toEqual(partsOf(new URL(input)))
  })

  it.each(INVALID)('[spec] fails on %j, relative or not a URL, with a TypeError (and no base)', (input) => {
    expect(() => new NativeBuildURL(input)).toThrow(TypeError)
  })

  it.each([
    ['/x', 'https://h/a/b'],
    ['x', 'https://h/a/b'],
    ['../x?y', 'https://h/a/b/c'],
    ['?q', 'https://h/a/b?old#f'],
    ['#f', 'https://h/a/b?q'],
    ['', 'https://h/a/b?q#f'],
    ['//other:81/x', 'https://h/a'],
    ['\\x', 'https://u:p@h:8443/a'],
    ['http:x', 'http://h/a/b'],
    ['https://abs.example/', 'http://h/'],
  ])('[spec] resolves %j against the http(s) base %j', (input, base) => {
    expect(new NativeBuildURL(input, base).href).toBe(new URL(input, base).href)
  })

  it('keeps a URL of another scheme as written, with an opaque origin', () => {
    const url = new NativeBuildURL('FTP://files.example/x y')
    expect([url.protocol, url.href, url.origin]).toEqual(['ftp:', 'ftp://files.example/x y', 'null'])
    expect(new NativeBuildURL('about:event-stream').origin).toBe('null')
    expect(() => new NativeBuildURL('x', 'about:blank')).toThrow(TypeError)
  })

  it('takes the username and password off as takeUserinfo does, and serializes with toString', () => {
    const url = new NativeBuildURL('https://user:pass@example.com/a?b#c')
    url.username = ''
    url.password = ''
    expect([url.href, `${url}`]).toEqual(['https://example.com/a?b#c', 'https://example.com/a?b#c'])
  })

  it("answers instanceof for its own URLs and the platform's (the app may pass either), not for other objects", () => {
    expect([new NativeBuildURL('https://a.example/') instanceof NativeBuildURL, new URL('https://a.example/') instanceof NativeBuildURL]).toEqual([true, true])
    const others: unknown[] = [{href: 'https://a.example/'}, 'https://a.example/', null]
    expect(others.map((value) => (value as object) instanceof NativeBuildURL)).toEqual([false, false, false])
  })

  it("answers instanceof for an object of its prototype whose fields are not set yet (Babel's class transform asks it in the constructor)", () => {
    // Babel's _classCallCheck(this, URL) runs before the private fields exist: React Native's preset before Hermes V1.
    expect(Object.create(NativeBuildURL.prototype) instanceof NativeBuildURL).toBe(true)
  })

  it('[spec] serializes an IPv6 address as the standard does: lowercase, no leading zeros, the first longest run of zeros compressed', () => {
    expect(new NativeBuildURL('http://[0:0:0:0:0:0:0:1]/').host).toBe('[::1]')
    expect(new NativeBuildURL('http://[FE80::1]:80/').href).toBe('http://[fe80::1]/')
    expect(new NativeBuildURL('http://[0:0:1:0:0:0:1:0]/').origin).toBe('http://[0:0:1::1:0]')
  })
})
