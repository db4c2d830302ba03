// A React card showing the newest sample of the feed. Plain createElement calls rather than JSX, so
// the repo's TypeScript setup checks it as it is (JSX would only need "jsx": "react-jsx").
import {createElement as h, useMemo} from 'react'
import {formatValue, parseTick} from '../feed.js'
import {useEventSource} from './useEventSource.js'

const STATE_NAMES = ['CONNECTING', 'OPEN', 'CLOSED']

/** The newest value of the feed at `url`, its sequence number, the event count and the readyState. */
export function Ticker({url}: {url: string}) {
  const {readyState, lastMessage, count} = useEventSource(url)
  const tick = useMemo(() => (lastMessage ? parseTick(lastMessage.data) : undefined), [lastMessage])
  const state = STATE_NAMES[readyState] ?? String(readyState)
  return h(
    'div',
    {className: 'ticker'},
    h('output', {className: 'ticker-value', 'data-testid': 'react-value'}, tick ? formatValue(tick.value) : '…'),
    h('span', {className: 'ticker-unit'}, 'req/s'),
    h(
      'dl',
      {className: 'ticker-facts'},
      h('dt', null, 'seq'),
      h('dd', {'data-testid': 'react-seq'}, tick ? `#${tick.seq}` : '—'),
      h('dt', null, 'events'),
      h('dd', {'data-testid': 'react-count'}, count),
      h('dt', null, 'state'),
      h('dd', null, h('span', {className: 'badge', 'data-state': state.toLowerCase(), 'data-testid': 'react-state'}, state)),
    ),
  )
}
