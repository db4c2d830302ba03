import {afterEach, describe, expect, it} from 'vitest'
import {EventSource} from '../src/index.js'
import {bytesOf, fakeFetch, next, streamResponse} from './helpers.js'

// Node reports a listener's exception as an uncaught exception (its way of "report the exception");
// catch them here so the test can check they were reported and that dispatch went on.
const reported: unknown[] = []
const onUncaught = (error: unknown) => reported.push(error)
const listeners = process.listeners('uncaughtException')

afterEach(() => {
  process.removeListener('uncaughtException', onUncaught)
  for (const listener of listeners) process.on('uncaughtException', listener)
  reported.length = 0
})

describe('an exception thrown by a listener', () => {
  it('does not stop later listeners or later events, and is reported', async () => {
    process.removeAllListeners('uncaughtException')
    process.on('uncaughtException', onUncaught)
    const {fetch} = fakeFetch(() => streamResponse([bytesOf('data: 1\n\ndata: 2\n\n')]))
    const source = new EventSource('http://127.0.0.1:9/', {fetch})
    const seen: string[] = []
    source.onmessage = (event) => {
      seen.push(`handler ${event.data}`)
      throw new Error(`handler ${event.data}`)
    }
    source.addEventListener('message', (event) => {
      seen.push(`listener ${event.data}`)
      throw new Error(`listener ${event.data}`)
    })
    source.addEventListener('message', (event) => seen.push(`last ${event.data}`))
    await next(source, 'error')
    source.close()
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(seen).toEqual(['handler 1', 'listener 1', 'last 1', 'handler 2', 'listener 2', 'last 2'])
    expect(reported.map((error) => (error as Error).message)).toEqual(['handler 1', 'listener 1', 'handler 2', 'listener 2'])
  })

  it('is reported as a TypeError when an on* handler is a non-callable object', async () => {
    process.removeAllListeners('uncaughtException')
    process.on('uncaughtException', onUncaught)
    const {fetch} = fakeFetch(() => streamResponse([bytesOf('data: 1\n\n')]))
    const source = new EventSource('http://127.0.0.1:9/', {fetch})
    ;(source as unknown as {onmessage: unknown}).onmessage = {handleEvent() {}}
    const later: string[] = []
    source.addEventListener('message', (event) => later.push(event.data))
    await next(source, 'error')
    source.close()
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(later).toEqual(['1'])
    expect(reported).toHaveLength(1)
    expect(reported[0]).toBeInstanceOf(TypeError)
  })
})
