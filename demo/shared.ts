// The "One connection for every tab" card: eventsource-kit/shared on the tick feed. Open the demo in
// several tabs: the server counts one stream for all of them, one tab leads, and closing it hands
// the connection to another tab, which resumes after the newest event ID.
import {EventSource} from 'eventsource-kit/shared'
import {byId, element, showReadyState} from './dom.js'

// One URL for every tab (the channel is the URL), and a client name the stats endpoint can count
// (`?shared-client=<name>` picks another, so that tests in parallel count only their own tabs).
const CLIENT = new URLSearchParams(globalThis.location.search).get('shared-client') ?? 'shared-tabs'
const URL_PATH = `/api/ticks?client=${encodeURIComponent(CLIENT)}`
// Demo-level only: the leading tab tells the others its name, so each tab can say which one leads.
const NAMES = 'eventsource-kit-demo:leader-name'

const CARD = `
  <div class="card-head">
    <h2 id="shared-title">One connection for every tab</h2>
    <span id="shared-state" class="badge" data-testid="shared-state">CONNECTING</span>
  </div>
  <dl class="facts">
    <dt>this tab</dt>
    <dd id="shared-tab" data-testid="shared-tab"></dd>
    <dt>role</dt>
    <dd><span id="shared-role" class="badge" data-testid="shared-role"></span></dd>
    <dt>leading tab</dt>
    <dd id="shared-leader" data-testid="shared-leader">…</dd>
    <dt>transport</dt>
    <dd id="shared-mode" data-testid="shared-mode"></dd>
    <dt>server connections</dt>
    <dd id="shared-connections" data-testid="shared-connections">…</dd>
    <dt>events / last id</dt>
    <dd><span id="shared-received" data-testid="shared-received">0</span> / <span id="shared-last-id" data-testid="shared-last-id">(none)</span></dd>
  </dl>
  <ol id="shared-log" class="log" data-testid="shared-log"></ol>
  <p class="note">
    <code>eventsource-kit/shared</code> on <code>GET /api/ticks</code>: open <a href="./shared.html" target="_blank">this card alone</a>
    in more tabs and the server still counts one connection. Close the leading tab and another one takes over, resuming after
    the newest event ID. (This full page opens three more streams per tab, so its own third tab meets the browser's limit of six
    connections per host: the problem the shared entry solves.)
  </p>
`

/** Renders the card into `root`, starts the shared source and keeps the card up to date. */
export function startShared(root: HTMLElement): void {
  root.innerHTML = CARD
  const tabName = `tab ${Math.random().toString(16).slice(2, 6)}`
  const source = new EventSource(URL_PATH)
  const names = typeof BroadcastChannel === 'function' ? new BroadcastChannel(NAMES) : undefined
  const role = byId('shared-role')
  const leaderName = byId('shared-leader')
  const log = byId('shared-log')
  let received = 0
  byId('shared-tab').textContent = tabName
  byId('shared-mode').textContent = source.isShared ? 'shared (Web Locks + BroadcastChannel)' : 'not shared: a connection of its own'

  const note = (text: string): void => {
    log.prepend(element('li', '', `${new Date().toLocaleTimeString()} ${text}`))
    while (log.childElementCount > 8) log.lastElementChild?.remove()
  }
  const showRole = (): void => {
    role.textContent = source.isLeader ? 'leader: this tab holds the connection' : 'follower'
    role.dataset.state = source.isLeader ? 'open' : 'connecting'
    if (source.isLeader) leaderName.textContent = tabName
  }
  source.addEventListener('leaderchange', () => {
    showRole()
    if (source.isLeader) note(`this tab took over, resuming after id ${source.lastEventId || '(none)'}`)
    names?.postMessage(source.isLeader ? tabName : null)
  })
  source.onopen = () => showReadyState(byId('shared-state'), source.readyState)
  source.onerror = () => {
    showReadyState(byId('shared-state'), source.readyState)
    if (source.readyState === EventSource.CONNECTING) note('connection handed over or lost: reconnecting')
  }
  source.onmessage = (event) => {
    received += 1
    byId('shared-received').textContent = String(received)
    byId('shared-last-id').textContent = event.lastEventId
  }
  if (names) {
    names.onmessage = (event: MessageEvent<unknown>) => {
      if (typeof event.data === 'string') leaderName.textContent = event.data
    }
    // Repeat it now and then for tabs opened later.
    setInterval(() => {
      if (source.isLeader) names.postMessage(tabName)
    }, 2000)
  }
  showRole()
  showReadyState(byId('shared-state'), source.readyState)

  // What the server sees: its open /api/ticks streams for this client, from all tabs together.
  const connections = byId('shared-connections')
  const poll = async (): Promise<void> => {
    try {
      const response = await fetch(`/api/stats?client=${encodeURIComponent(CLIENT)}`)
      connections.textContent = String(((await response.json()) as {openStreams: number}).openStreams)
    } catch {
      connections.textContent = '?'
    }
  }
  void poll()
  setInterval(() => void poll(), 1000)
}
