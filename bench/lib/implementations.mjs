// The implementations under test, each behind the same small adapter:
//   open(url, {onOpen, onMessage(data, lastEventId), onError(error), fetch}) -> {close()}
// onMessage is called once per event in order; onError for anything that is not the expected stream
// (an error event, the stream ending early). Only the one a worker runs is loaded into that worker.
/* global fetch, TextDecoder, AbortController, EventTarget, MessageEvent */
import {distEntry} from './dist.mjs'

/** Ids and labels, in the order tables list them. `parse` marks the ones that parse SSE fields. */
export const IMPLEMENTATIONS = [
  {id: 'kit', label: 'eventsource-kit', parses: true},
  {id: 'kit-iterate', label: 'eventsource-kit (for await)', parses: true},
  {id: 'eventsource', label: 'eventsource 5', parses: true},
  {id: 'fetch-event-source', label: '@microsoft/fetch-event-source', parses: true},
  {id: 'fetch-parser', label: 'fetch + eventsource-parser (floor)', parses: true},
  {id: 'spec-floor', label: 'spec floor (the floor + MessageEvent + dispatchEvent)', parses: true},
  {id: 'scan-lines', label: 'decode + scan lines (no SSE)', parses: false},
]

export function labelOf(id) {
  return IMPLEMENTATIONS.find((implementation) => implementation.id === id)?.label ?? id
}

/**
 * The fetch + parser loop both floors share: fetch, decode with `stream: true`, feed eventsource-parser.
 * `begin(response)` returns the per-event function, called with (data, lastEventId, type).
 */
function readWithParser(url, handlers, createParser, begin) {
  const controller = new AbortController()
  let closed = false
  void (async () => {
    const response = await (handlers.fetch ?? fetch)(url, {signal: controller.signal, headers: {accept: 'text/event-stream'}})
    handlers.onOpen?.()
    const deliver = begin(response)
    let lastEventId = ''
    const parser = createParser({
      onEvent(event) {
        if (event.id !== undefined) lastEventId = event.id
        deliver(event.data, lastEventId, event.event)
      },
    })
    const decoder = new TextDecoder()
    const reader = response.body.getReader()
    controller.signal.addEventListener('abort', () => reader.cancel().catch(() => {}))
    for (;;) {
      const {done, value} = await reader.read()
      if (closed) return
      if (done) throw new Error('the stream ended early')
      parser.feed(decoder.decode(value, {stream: true}))
    }
  })().catch((error) => closed || handlers.onError(error))
  return {
    close: () => {
      closed = true
      controller.abort()
    },
  }
}

const loaders = {
  async kit() {
    const {EventSource} = await import(distEntry())
    return (url, handlers) => {
      const source = new EventSource(url, handlers.fetch ? {fetch: handlers.fetch} : {})
      source.onopen = () => handlers.onOpen?.()
      source.onmessage = (event) => handlers.onMessage(event.data, event.lastEventId)
      source.onerror = (event) => handlers.onError(event.error ?? new Error('the stream ended early'))
      return {close: () => source.close()}
    }
  },

  async 'kit-iterate'() {
    const {EventSource} = await import(distEntry())
    // Async iteration: the capability module eventsource-kit/iterate next to the main entry, or (older
    // builds) the source itself.
    const iterate = await iterateOf()
    return (url, handlers) => {
      const source = new EventSource(url, handlers.fetch ? {fetch: handlers.fetch} : {})
      let stopped = false
      source.onopen = () => handlers.onOpen?.()
      // Reconnections do not end the loop; report them like the listener variant does.
      source.onerror = (event) => stopped || handlers.onError(event.error ?? new Error('the stream ended early'))
      void (async () => {
        try {
          for await (const event of iterate(source)) {
            handlers.onMessage(event.data, event.lastEventId)
            if (stopped) break
          }
          if (!stopped) handlers.onError(new Error('the loop ended early'))
        } catch (error) {
          if (!stopped) handlers.onError(error)
        }
      })()
      return {
        close: () => {
          stopped = true
          source.close()
        },
      }
    }
  },

  async eventsource() {
    const {EventSource} = await import('eventsource')
    return (url, handlers) => {
      const source = new EventSource(url, handlers.fetch ? {fetch: handlers.fetch} : undefined)
      source.onopen = () => handlers.onOpen?.()
      source.onmessage = (event) => handlers.onMessage(event.data, event.lastEventId)
      source.onerror = (event) => handlers.onError(new Error(`error event: ${event.message ?? 'the stream ended early'}`))
      return {close: () => source.close()}
    }
  },

  async 'fetch-event-source'() {
    // It is written for browsers: it reads `window` and `document` even with openWhenHidden (in
    // dispose()). Give it the two names, in this worker only.
    globalThis.window ??= globalThis
    globalThis.document ??= {hidden: false, addEventListener() {}, removeEventListener() {}}
    const {fetchEventSource} = await import('@microsoft/fetch-event-source')
    return (url, handlers) => {
      const controller = new AbortController()
      let closed = false
      fetchEventSource(url, {
        signal: controller.signal,
        openWhenHidden: true,
        fetch: handlers.fetch ?? fetch,
        async onopen(response) {
          if (response.status !== 200) throw new Error(`status ${response.status}`)
          handlers.onOpen?.()
        },
        onmessage: (message) => handlers.onMessage(message.data, message.id),
        onclose: () => closed || handlers.onError(new Error('the stream ended early')),
        onerror(error) {
          // Rethrowing stops its retries.
          throw error
        },
      }).catch((error) => closed || handlers.onError(error))
      return {
        close: () => {
          closed = true
          controller.abort()
        },
      }
    }
  },

  async 'fetch-parser'() {
    const {createParser} = await import('eventsource-parser')
    return (url, handlers) => readWithParser(url, handlers, createParser, () => handlers.onMessage)
  },

  // The least a standard EventSource can do per event on top of the floor above: build the event
  // (the runtime's own MessageEvent, with the three fields the standard sets) and dispatch it on an
  // EventTarget with one listener. No reconnection, no readyState, no checks of the response.
  async 'spec-floor'() {
    const {createParser} = await import('eventsource-parser')
    return (url, handlers) =>
      readWithParser(url, handlers, createParser, (response) => {
        const target = new EventTarget()
        target.addEventListener('message', (event) => handlers.onMessage(event.data, event.lastEventId))
        const origin = new URL(response.url || url).origin
        return (data, lastEventId, type) => target.dispatchEvent(new MessageEvent(type ?? 'message', {data, lastEventId, origin}))
      })
  },

  // The floor for any parser: decode and find line ends. A blank line counts as an event; the last
  // `id:` and `data:` lines are passed on as they are (no field parsing, no multi-line data).
  async 'scan-lines'() {
    return (url, handlers) => {
      const controller = new AbortController()
      let closed = false
      void (async () => {
        const response = await (handlers.fetch ?? fetch)(url, {signal: controller.signal, headers: {accept: 'text/event-stream'}})
        handlers.onOpen?.()
        const decoder = new TextDecoder()
        const reader = response.body.getReader()
        controller.signal.addEventListener('abort', () => reader.cancel().catch(() => {}))
        let carry = ''
        let idLine = ''
        let dataLine = ''
        for (;;) {
          const {done, value} = await reader.read()
          if (closed) return
          if (done) throw new Error('the stream ended early')
          const text = carry + decoder.decode(value, {stream: true})
          let start = 0
          for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
            const length = end - start - (end > start && text.charCodeAt(end - 1) === 13 ? 1 : 0)
            if (length === 0) handlers.onMessage(dataLine.slice(6), idLine.slice(4))
            else if (text.charCodeAt(start) === 105) idLine = text.slice(start, start + length)
            else if (text.charCodeAt(start) === 100) dataLine = text.slice(start, start + length)
            start = end + 1
          }
          carry = text.slice(start)
        }
      })().catch((error) => closed || handlers.onError(error))
      return {
        close: () => {
          closed = true
          controller.abort()
        },
      }
    }
  },
}

/**
 * Why an implementation cannot run against this build, or undefined when it can. Only the main
 * entry's standard API is assumed: async iteration may live in a module of its own.
 * @param {string} id
 * @returns {Promise<string | undefined>}
 */
export async function unavailable(id) {
  if (id !== 'kit-iterate') return undefined
  const {EventSource} = await import(distEntry())
  const isIterable = typeof EventSource.prototype[Symbol.asyncIterator] === 'function' || (await iterateOf()) !== undefined
  return isIterable ? undefined : "this build's EventSource is not async iterable"
}

/** `iterate` of the build's eventsource-kit/iterate, `(source) => source` where the source is iterable itself, or undefined. */
async function iterateOf() {
  try {
    return (await import(distEntry().replace(/index\.js$/, 'iterate.js'))).iterate
  } catch {
    const {EventSource} = await import(distEntry())
    return typeof EventSource.prototype[Symbol.asyncIterator] === 'function' ? (source) => source : undefined
  }
}

/**
 * The ids of `ids` that can run against this build, and a note for each left out.
 * @param {string[]} ids
 * @returns {Promise<{ids: string[], notes: string[]}>}
 */
export async function available(ids) {
  const reasons = await Promise.all(ids.map(unavailable))
  return {
    ids: ids.filter((_, i) => !reasons[i]),
    notes: ids.flatMap((id, i) => (reasons[i] ? [`${labelOf(id)} left out: ${reasons[i]}.`] : [])),
  }
}

/**
 * Loads one implementation's adapter.
 * @param {string} id
 * @returns {Promise<(url: string, handlers: object) => {close(): void}>}
 */
export async function loadImplementation(id) {
  const load = loaders[id]
  if (!load) throw new Error(`unknown implementation ${id}`)
  return load()
}
