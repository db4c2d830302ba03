// A React card showing the newest sample of the feed through `useEventSource` from
// eventsource-kit/react. Plain createElement calls rather than JSX, so the repo's TypeScript setup
// checks it as it is (JSX would only need "jsx": "react-jsx").
import {useEventSource} from 'eventsource-kit/react'
import {createElement as h, useMemo, useState} from 'react'
import {formatValue, parseTick} from '../feed.js'
import {SequenceCheck} from '../sequence.js'
import {addTransition, describeError, statusAfter} from '../stream-facts.js'

/** The newest value of the feed at `url`, its sequence number, the event count, gaps and the stream's state. */
export function Ticker({url}: {url: string}) {
  const [check] = useState(() => new SequenceCheck())
  const [history, setHistory] = useState(['connecting'])
  const [counts, setCounts] = useState({received: 0, gaps: 0})
  const stream = useEventSource(url, {
    // Every event, in order (renders may be batched): the sequence check sees each one.
    onMessage: (event) => {
      check.see(parseTick(event.data).seq)
      setCounts({received: check.received, gaps: check.gaps})
    },
    onOpen: () => setHistory((previous) => addTransition(previous, 'open')),
    onError: (event) => setHistory((previous) => addTransition(previous, statusAfter(event))),
  })
  const tick = useMemo(() => (stream.data ? parseTick(stream.data) : undefined), [stream.data])
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
      h('dt', null, 'lastEventId'),
      h('dd', {'data-testid': 'react-last-event-id'}, stream.lastEventId || '(none)'),
      h('dt', null, 'events'),
      h('dd', {'data-testid': 'react-count'}, counts.received),
      h('dt', null, 'gaps'),
      h('dd', {'data-testid': 'react-gaps'}, counts.gaps),
      h('dt', null, 'status'),
      h('dd', null, h('span', {className: 'badge', 'data-state': stream.status, 'data-testid': 'react-state'}, stream.status)),
      h('dt', null, 'history'),
      h('dd', {'data-testid': 'react-history'}, history.join(' → ')),
      h('dt', null, 'error'),
      h('dd', {'data-testid': 'react-error'}, describeError(stream.error)),
    ),
  )
}
