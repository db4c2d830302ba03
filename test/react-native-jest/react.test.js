// [non-spec] eventsource-kit/react in React Native: useEventSource rendered with React Native's
// preset (react-test-renderer, as its jest/renderer.js does), and pauseWhenHidden following
// AppState: the preset's AppState mock, whose addEventListener is given a listener list here so
// that the test can play the app going to the background and coming back.
import {afterEach, beforeEach, expect, test} from '@jest/globals'
import {EventSource} from 'eventsource-kit'
import {useEventSource} from 'eventsource-kit/react'
import {createElement} from 'react'
import {AppState, Text} from 'react-native'
import TestRenderer, {act} from 'react-test-renderer'
import {pause, startServer, startStream, until} from './server.js'

const appStateListeners = new Set()

/** Plays an AppState change, as React Native emits it to every `change` listener. */
function changeAppState(state) {
  AppState.currentState = state
  for (const listener of [...appStateListeners]) listener(state)
}

beforeEach(() => {
  AppState.currentState = 'active'
  AppState.addEventListener.mockImplementation((type, listener) => {
    if (type === 'change') appStateListeners.add(listener)
    return {remove: () => appStateListeners.delete(listener)}
  })
})

afterEach(() => {
  appStateListeners.clear()
})

/** A server that sends `id: <n>` events, one every 20 ms, numbered on from the request's Last-Event-ID. */
function startCounter() {
  return startServer(async (request, response) => {
    startStream(response)
    let id = Number(request.headers['last-event-id'] ?? 0)
    for (let sent = 0; sent < 500 && !response.destroyed; sent++) {
      id++
      response.write(`id: ${id}\ndata: ${id}\n\n`)
      await pause(20)
    }
    response.end()
  })
}

test('[non-spec] useEventSource renders the events of the stream in a React Native component, and unmounting ends the request', async () => {
  const server = await startCounter()
  try {
    const seen = []
    function Feed() {
      const stream = useEventSource(server.url, {onMessage: (event) => seen.push(event.data)})
      return createElement(Text, null, `${stream.status} ${stream.lastEvent?.data ?? ''}`)
    }
    let renderer
    await act(async () => {
      renderer = TestRenderer.create(createElement(Feed))
    })
    await until(() => seen.length >= 3, 'three events')
    await act(async () => {})
    const text = renderer.root.findByType(Text).props.children
    expect(text).toMatch(/^open \d+$/)
    expect(seen.slice(0, 3)).toEqual(['1', '2', '3'])
    await act(async () => renderer.unmount())
    await until(() => server.requests[0].closed, 'the request to end at the server')
    expect(server.requests).toHaveLength(1)
  } finally {
    await server.close()
  }
})

test('[non-spec] pauseWhenHidden: background ends the request with no error event, active resumes with Last-Event-ID', async () => {
  const server = await startCounter()
  try {
    const source = new EventSource(server.url, {pauseWhenHidden: true})
    const seen = []
    const errors = []
    source.addEventListener('message', (event) => seen.push(event.data))
    source.addEventListener('error', (event) => errors.push(event))
    await until(() => seen.length >= 2, 'two events')
    expect(appStateListeners.size).toBeGreaterThan(0)
    changeAppState('inactive')
    await pause(60)
    expect(server.requests[0].closed).toBe(false)
    changeAppState('background')
    await until(() => server.requests[0].closed, 'the request to end at the server')
    expect(source.readyState).toBe(EventSource.CONNECTING)
    const last = seen.at(-1)
    await pause(100)
    expect(server.requests).toHaveLength(1)
    expect(seen.at(-1)).toBe(last)
    changeAppState('active')
    await until(() => server.requests.length === 2, 'a new request')
    expect(server.requests[1].headers['last-event-id']).toBe(last)
    await until(() => seen.length >= Number(last) + 1, 'the next event')
    source.close()
    expect(errors).toHaveLength(0)
    expect(seen).toEqual(Array.from({length: seen.length}, (_, index) => String(index + 1)))
  } finally {
    await server.close()
  }
})

test('[non-spec] pauseWhenHidden: a source created in the background sends nothing until the app is active', async () => {
  const server = await startCounter()
  try {
    AppState.currentState = 'background'
    const source = new EventSource(server.url, {pauseWhenHidden: true})
    await pause(100)
    expect(server.requests).toHaveLength(0)
    expect(source.readyState).toBe(EventSource.CONNECTING)
    changeAppState('active')
    await until(() => server.requests.length === 1, 'the request')
    source.close()
  } finally {
    await server.close()
  }
})
