import {describe, expectTypeOf, it} from 'vitest'
import {ref} from 'vue'
import {type EventSourceError, type EventSourceErrorEvent, HttpError} from '../src/index.js'
import {type EventSourceState, useEventSource as useReact} from '../src/react/index.js'
import {useEventSource as useVue} from '../src/vue/index.js'

describe('binding types', () => {
  it('types the React state, its events and its error', () => {
    const stream = useReact<'tick'>('/ticks', {
      events: ['tick'],
      onMessage: (event) => expectTypeOf(event.data).toEqualTypeOf<string>(),
      onError: (event) => expectTypeOf(event).toEqualTypeOf<EventSourceErrorEvent>(),
      headers: ({attempt}) => ({'x-attempt': String(attempt)}),
      method: 'POST',
      body: '{}',
    })
    expectTypeOf(stream).toEqualTypeOf<EventSourceState>()
    expectTypeOf(stream.status).toEqualTypeOf<'connecting' | 'open' | 'reconnecting' | 'closed'>()
    expectTypeOf(stream.readyState).toEqualTypeOf<0 | 1 | 2>()
    expectTypeOf(stream.data).toEqualTypeOf<string | undefined>()
    expectTypeOf(stream.lastEvent).toEqualTypeOf<MessageEvent<string> | undefined>()
    expectTypeOf(stream.error).toEqualTypeOf<EventSourceError | undefined>()
    if (stream.error instanceof HttpError) expectTypeOf(stream.error.status).toEqualTypeOf<number>()
    // @ts-expect-error 'other' is not among the named events
    useReact<'tick'>('/ticks', {events: ['other']})
    // @ts-expect-error the state is read-only
    stream.status = 'open'
    useReact(null)
    useReact(new URL('http://127.0.0.1/'), {share: false, key: 'ticks'})
  })

  it('types the Vue refs and on()', () => {
    const room = ref('a')
    const stream = useVue<'tick'>(() => `/rooms/${room.value}`, {events: ['tick']})
    expectTypeOf(stream.status.value).toEqualTypeOf<'connecting' | 'open' | 'reconnecting' | 'closed'>()
    expectTypeOf(stream.data.value).toEqualTypeOf<string | undefined>()
    expectTypeOf(stream.error.value).toEqualTypeOf<EventSourceError | undefined>()
    const off = stream.on('tick', (event) => expectTypeOf(event.data).toEqualTypeOf<string>())
    expectTypeOf(off).toEqualTypeOf<() => void>()
    stream.on('message', () => {})
    // @ts-expect-error 'other' is not a named event of this stream
    stream.on('other', () => {})
    // @ts-expect-error the refs are read-only
    stream.data.value = 'x'
    useVue(ref<string | null>(null))
  })
})
