import {describe, expectTypeOf, it} from 'vitest'
import {EventSource, type EventSourceErrorEvent, type RequestContext} from '../src/index.js'
import {type ParsedEvent, parseEventStream} from '../src/parse/index.js'

describe('types', () => {
  it('is assignable where the DOM EventSource is expected', () => {
    const source = new EventSource('http://127.0.0.1/') satisfies globalThis.EventSource
    const asDom: globalThis.EventSource = new EventSource<'tick'>('http://127.0.0.1/', {withCredentials: true})
    expectTypeOf(source.readyState).toEqualTypeOf<0 | 1 | 2>()
    expectTypeOf(asDom.url).toEqualTypeOf<string>()
  })

  it('types named events, the standard events and the handlers', () => {
    const source = new EventSource<'tick' | 'update'>('http://127.0.0.1/')
    source.addEventListener('tick', (event) => expectTypeOf(event).toEqualTypeOf<MessageEvent<string>>())
    source.addEventListener('message', (event) => expectTypeOf(event.data).toEqualTypeOf<string>())
    source.addEventListener('error', (event) => expectTypeOf(event).toEqualTypeOf<EventSourceErrorEvent>())
    source.addEventListener('open', (event) => expectTypeOf(event).toEqualTypeOf<Event>())
    // Unknown names still compile, with a plain Event, as in the DOM typings.
    source.addEventListener('other', (event) => expectTypeOf(event).toEqualTypeOf<Event>())
    source.onmessage = (event) => expectTypeOf(event.lastEventId).toEqualTypeOf<string>()
    source.onerror = (event) => expectTypeOf(event.error?.message).toEqualTypeOf<string | undefined>()
    source.onopen = null
  })

  it('rejects bad option types and stream bodies at compile time', () => {
    // @ts-expect-error a ReadableStream cannot be re-sent on reconnect
    new EventSource('http://127.0.0.1/', {method: 'POST', body: new ReadableStream()})
    // @ts-expect-error reconnectionTime is a number of milliseconds
    new EventSource('http://127.0.0.1/', {reconnectionTime: '100'})
    // @ts-expect-error readyState is read-only
    new EventSource('http://127.0.0.1/').readyState = 2
    new EventSource('http://127.0.0.1/', {headers: async ({attempt, lastEventId}) => ({'x-attempt': `${attempt}`, 'x-id': lastEventId})})
    new EventSource('http://127.0.0.1/', {
      headers: ({url, isOriginalOrigin}) => {
        expectTypeOf(isOriginalOrigin).toEqualTypeOf<boolean>()
        return isOriginalOrigin ? {authorization: 'Bearer x', 'x-url': url} : {}
      },
    })
  })

  it('[non-spec] types fromReadableStream, a body function and parseEventStream', () => {
    const source = EventSource.fromReadableStream<'tick'>(new ReadableStream<Uint8Array>())
    expectTypeOf(source).toEqualTypeOf<EventSource<'tick'>>()
    source.addEventListener('tick', (event) => expectTypeOf(event.data).toEqualTypeOf<string>())
    // @ts-expect-error a stream of bytes
    EventSource.fromReadableStream('data: x\n\n')
    new EventSource('http://127.0.0.1/', {method: 'POST', body: (context) => expectTypeOf(context).toEqualTypeOf<RequestContext>() && 'x'})
    new EventSource('http://127.0.0.1/', {method: 'POST', body: async () => new URLSearchParams()})
    // @ts-expect-error a body function returns a replayable body, not a stream
    new EventSource('http://127.0.0.1/', {method: 'POST', body: () => new ReadableStream()})
    const events = parseEventStream(new Response(''))
    expectTypeOf(events.lastEventId).toEqualTypeOf<string>()
    expectTypeOf(events.reconnectionTime).toEqualTypeOf<number | undefined>()
    expectTypeOf(events.next()).resolves.toEqualTypeOf<IteratorResult<ParsedEvent>>()
    parseEventStream((async function* () {
      yield 'data: x\n\n'
    })())
    // @ts-expect-error chunks are bytes or strings
    parseEventStream(new ReadableStream<number>())
  })
})
