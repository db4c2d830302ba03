// The two EventSources the cases run on, behind one small shape: open a source on a URL, record
// what it fires, close it. eventsource-kit is loaded from its built package (the `react-native`
// condition of its exports), react-native-sse as published.
import {EventSource} from 'eventsource-kit'
import RNEventSource from 'react-native-sse'

/** The implementations, in the order of the side-by-side table. */
export const IMPLEMENTATIONS = ['eventsource-kit', 'react-native-sse']

/**
 * What a source fired: its events (message and the named types asked for), its error events, how
 * many open events, and readyState after each event.
 */
function createLog() {
  return {events: [], errors: [], opens: 0}
}

const readyStateNames = ['connecting', 'open', 'closed']

/**
 * Opens a source.
 * @param {string} implementation - one of IMPLEMENTATIONS
 * @param {{headers?: object, method?: string, body?: string, types?: string[], retryMs?: number}} options -
 *   `retryMs`: the reconnection delay before any `retry:` field (eventsource-kit's
 *   `reconnectionTime`, react-native-sse's `pollingInterval`); `keep`: what to log of each event's
 *   data (a long stream logs a check, not the text: a string cut from a chunk keeps the whole chunk alive)
 */
export function openSource(implementation, url, {headers, method, body, types = [], retryMs, keep = (data) => data} = {}) {
  const log = createLog()
  if (implementation === 'eventsource-kit') {
    const source = new EventSource(url, {headers, method, body, ...(retryMs === undefined ? {} : {reconnectionTime: retryMs})})
    const onEvent = (event) => log.events.push({type: event.type, data: keep(event.data, event.lastEventId), lastEventId: event.lastEventId, readyState: readyStateNames[source.readyState]})
    for (const type of ['message', ...types]) source.addEventListener(type, onEvent)
    source.addEventListener('open', () => log.opens++)
    source.addEventListener('error', (event) => log.errors.push({name: event.error?.name, error: event.error, willReconnect: event.willReconnect}))
    return {log, source, close: () => source.close(), readyState: () => readyStateNames[source.readyState]}
  }
  const source = new RNEventSource(url, {headers, method, body, timeoutBeforeConnection: 0, ...(retryMs === undefined ? {} : {pollingInterval: retryMs})})
  const stateOf = () => ({[source.CONNECTING]: 'connecting', [source.OPEN]: 'open', [source.CLOSED]: 'closed', [source.ERROR]: 'error'})[source.status]
  const onEvent = (event) => log.events.push({type: event.type, data: keep(event.data, event.lastEventId), lastEventId: event.lastEventId, readyState: stateOf()})
  for (const type of ['message', ...types]) source.addEventListener(type, onEvent)
  source.addEventListener('open', () => log.opens++)
  source.addEventListener('error', (event) => log.errors.push({name: event.type, status: event.xhrStatus, willReconnect: undefined}))
  return {log, source, close: () => source.close(), readyState: stateOf}
}

/**
 * What differs between the events a source fired and the events the standard fires, one short
 * sentence per difference (empty when they agree). A field the expected event leaves out is not
 * compared (each case looks at what it is about).
 */
export function compareEvents(actual, expected) {
  const problems = []
  for (let index = 0; index < Math.max(actual.length, expected.length); index++) {
    const got = actual[index]
    const want = expected[index]
    if (got === undefined) problems.push(`event ${index + 1} (${JSON.stringify(want.data)}) missing`)
    else if (want === undefined) problems.push(`extra event ${JSON.stringify(got.data)}`)
    else
      for (const field of ['type', 'data', 'lastEventId'])
        if (field in want && got[field] !== want[field]) problems.push(`event ${index + 1} ${field} ${JSON.stringify(got[field])}, not ${JSON.stringify(want[field])}`)
  }
  return problems
}
