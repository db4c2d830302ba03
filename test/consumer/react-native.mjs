// The React Native consumer: run by scripts/check-package.mjs with `node --conditions=react-native`
// inside the temporary consumer project (a stub `react-native` package stands in for React Native,
// see scripts/react-native-package.mjs). Each entry of the react-native build must resolve to
// dist/react-native/, load with none of the globals React Native may lack, and its EventSource must
// construct and dispatch; a stream without the `fetch` option must never go through the global fetch
// (React Native's buffers the whole response). Prints one line; exits 1 on any problem.
/* global Request, Headers, Response */
import {fileURLToPath} from 'node:url'

const ENTRIES = {'.': 'index', './polyfill': 'polyfill', './reconnect': 'reconnect', './iterate': 'iterate', './react': 'react', './parse': 'parse', './fetch-event-source': 'fetch-event-source'}
const MISSING = ['EventTarget', 'Event', 'MessageEvent', 'DOMException', 'TextDecoder', 'TextEncoder', 'ReadableStream']
const TIMEOUT_MS = 10_000
const problems = []
// The polyfill leaves a native EventSource alone (Node has one behind a flag).
const hadEventSource = typeof globalThis.EventSource === 'function'

const watchdog = setTimeout(() => {
  console.error(`not ok - react-native consumer: timed out after ${TIMEOUT_MS} ms; ${problems.join('; ')}`)
  process.exit(1)
}, TIMEOUT_MS)

for (const [subpath, file] of Object.entries(ENTRIES)) {
  const specifier = `eventsource-kit${subpath.slice(1)}`
  const resolved = fileURLToPath(import.meta.resolve(specifier))
  if (!resolved.replaceAll('\\', '/').endsWith(`/node_modules/eventsource-kit/dist/react-native/${file}.js`)) problems.push(`${specifier} resolves to ${resolved}`)
}

// Node's own fetch classes load on first use and need the globals: load them now (React Native has its own).
void new Request('http://127.0.0.1/', {headers: new Headers()})
void new Response('')
for (const name of MISSING) delete globalThis[name]
const present = MISSING.filter((name) => name in globalThis)
if (present.length > 0) problems.push(`could not delete ${present.join(', ')}`)

// The global fetch and XMLHttpRequest record what asks them (neither answers).
const fetched = []
globalThis.fetch = (url) => {
  fetched.push(String(url))
  return new Promise(() => {})
}
const opened = []
globalThis.XMLHttpRequest = class {
  readyState = 0
  status = 0
  responseText = ''
  open(method, url) {
    opened.push(`${method} ${url}`)
  }
  setRequestHeader() {}
  send() {}
  abort() {}
  addEventListener() {}
  removeEventListener() {}
  getResponseHeader() {
    return null
  }
  getAllResponseHeaders() {
    return ''
  }
}

const modules = {}
for (const subpath of Object.keys(ENTRIES)) {
  const specifier = `eventsource-kit${subpath.slice(1)}`
  try {
    modules[subpath] = await import(specifier)
  } catch (error) {
    problems.push(`import ${specifier}: ${error?.stack ?? error}`)
  }
}

const {EventSource} = modules['.'] ?? {}
if (typeof EventSource === 'function') {
  // Constructs and dispatches over a `fetch` option whose body yields strings.
  const chunks = ['data: hé', 'llo\n\nid: 1\nevent: tick\ndata: 😀\n\n']
  const body = {getReader: () => ({read: async () => (chunks.length > 0 ? {done: false, value: chunks.shift()} : {done: true, value: undefined}), cancel: async () => {}, releaseLock() {}})}
  const fetch = async (url) => ({status: 200, statusText: '', url: String(url), redirected: false, headers: new Headers({'content-type': 'text/event-stream'}), body})
  const source = new EventSource('https://example.com/stream', {fetch})
  const seen = await new Promise((resolve) => {
    const log = []
    source.addEventListener('open', () => log.push('open'))
    source.addEventListener('message', (event) => log.push(`message ${event.data}`))
    source.addEventListener('tick', (event) => {
      log.push(`tick ${event.data} ${event.lastEventId}`)
      source.close()
      resolve(log)
    })
    source.addEventListener('error', (event) => {
      log.push(`error ${event.error?.message}`)
      source.close()
      resolve(log)
    })
  })
  if (seen.join('|') !== 'open|message héllo|tick 😀 1') problems.push(`events over the fetch option: ${JSON.stringify(seen)}`)

  try {
    new EventSource('/relative')
    problems.push('a relative URL did not throw')
  } catch (error) {
    if (error?.name !== 'SyntaxError') problems.push(`a relative URL threw ${error}, expected a SyntaxError`)
  }

  // A stream without the `fetch` option: never the global fetch.
  const plain = new EventSource('https://example.com/plain')
  await new Promise((resolve) => setTimeout(resolve, 50))
  plain.close()
  if (fetched.length > 0) problems.push(`the global fetch was asked for the stream: ${fetched.join(', ')}`)
} else problems.push('the main entry has no EventSource')

if (typeof modules['./react']?.useEventSource !== 'function') problems.push('eventsource-kit/react has no useEventSource')
if (!hadEventSource && globalThis.EventSource !== EventSource) problems.push('eventsource-kit/polyfill did not install the EventSource of the react-native build')

clearTimeout(watchdog)
if (problems.length > 0) {
  console.error(`not ok - react-native consumer on node ${process.versions.node}:\n${problems.join('\n')}`)
  process.exit(1)
}
console.log(`ok - react-native consumer on node ${process.versions.node}: ${Object.keys(ENTRIES).length} entries from dist/react-native/, loaded without ${MISSING.join(', ')}; XHR opened ${opened.length}, global fetch ${fetched.length}`)
