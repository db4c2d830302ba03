// Demo page: shows the state of one EventSource and the last 20 events from /api/ticks.
// `.js` like the imports inside src: tsconfig has no allowImportingTsExtensions, and Vite resolves it to index.ts.
import {EventSource} from '../src/index.js'

const MAX_EVENTS = 20
const STATES = ['CONNECTING', 'OPEN', 'CLOSED']

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id)
  if (!found) throw new Error(`#${id} is missing from index.html`)
  return found as T
}

const readyStateView = element('ready-state')
const lastEventIdView = element('last-event-id')
const toggle = element<HTMLButtonElement>('toggle')
const list = element<HTMLUListElement>('events')

let source: EventSource | undefined

function render(): void {
  const state = source?.readyState ?? EventSource.CLOSED
  readyStateView.textContent = `${state} (${STATES[state]})`
  lastEventIdView.textContent = source?.lastEventId || '(none)'
  toggle.textContent = state === EventSource.CLOSED ? 'Reconnect' : 'Close'
}

function log(text: string): void {
  const item = document.createElement('li')
  item.textContent = `${new Date().toLocaleTimeString()}  ${text}`
  list.prepend(item)
  while (list.childElementCount > MAX_EVENTS) list.lastElementChild?.remove()
}

function connect(): void {
  // Seed lastEventId so "Reconnect" resumes where the closed source stopped.
  source = new EventSource('/api/ticks', {lastEventId: source?.lastEventId ?? ''})
  source.onopen = () => {
    log('open')
    render()
  }
  source.onmessage = (event) => {
    log(`message #${event.lastEventId}: ${event.data}`)
    render()
  }
  source.onerror = (event) => {
    log(`error: ${event.error?.message ?? 'stream ended, reconnecting'}`)
    render()
  }
  render()
}

toggle.addEventListener('click', () => {
  if (source && source.readyState !== EventSource.CLOSED) {
    source.close()
    log('closed by the page')
    render()
  } else {
    connect()
  }
})

connect()
