// Mounts the React card under StrictMode, with a button that unmounts it (its source closes) and
// mounts it again (a new source opens).
import {createElement as h, StrictMode, useState} from 'react'
import {createRoot} from 'react-dom/client'
import {ticksUrl} from '../feed.js'
import {Ticker} from './Ticker.js'

function App() {
  const [mounted, setMounted] = useState(true)
  return h(
    'div',
    {className: 'framework-body'},
    mounted ? h(Ticker, {url: ticksUrl('react')}) : h('p', {className: 'unmounted'}, 'Unmounted: the last component on the source let go of it, so it closed.'),
    h('button', {type: 'button', className: 'button button-quiet', 'data-testid': 'react-toggle', onClick: () => setMounted((on) => !on)}, mounted ? 'Unmount' : 'Mount'),
  )
}

/** Renders the React card into `container`. */
export function mountReact(container: HTMLElement): void {
  createRoot(container).render(h(StrictMode, null, h(App)))
}
