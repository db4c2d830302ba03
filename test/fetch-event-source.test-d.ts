import type * as Original from '@microsoft/fetch-event-source'
import {describe, expectTypeOf, it} from 'vitest'
import * as Ours from '../src/fetch-event-source/index.js'

describe('the fetch-event-source entry types', () => {
  it('takes everything the original takes: a changed import is the whole migration', () => {
    const init: Original.FetchEventSourceInit = {
      method: 'POST',
      headers: {Authorization: 'Bearer x'},
      body: '{}',
      credentials: 'include',
      openWhenHidden: true,
      fetch,
      onopen: async (response) => void response.status,
      onmessage: (message: Original.EventSourceMessage) => void message.data,
      onclose: () => {},
      onerror: () => 1000,
    }
    expectTypeOf(Ours.fetchEventSource).toBeCallableWith('http://127.0.0.1/', init)
    expectTypeOf(Ours.fetchEventSource('http://127.0.0.1/', init)).toEqualTypeOf<Promise<void>>()
    expectTypeOf<typeof Ours.EventStreamContentType>().toEqualTypeOf<typeof Original.EventStreamContentType>()
    expectTypeOf<Ours.EventSourceMessage>().toEqualTypeOf<Original.EventSourceMessage>()
  })

  it('hands the original callbacks the same argument types', () => {
    expectTypeOf<Parameters<NonNullable<Ours.FetchEventSourceInit['onmessage']>>[0]>().toEqualTypeOf<Original.EventSourceMessage>()
    expectTypeOf<Parameters<NonNullable<Ours.FetchEventSourceInit['onopen']>>[0]>().toEqualTypeOf<Response>()
    expectTypeOf<ReturnType<NonNullable<Ours.FetchEventSourceInit['onerror']>>>().toEqualTypeOf<number | null | undefined | void>()
  })
})
