// The idiomatic React hook: create the source in an effect and close it in the effect's cleanup.
// Under StrictMode, React runs the effect, its cleanup and the effect again on mount: the first
// source is closed before it delivers anything, and exactly one stays open.
import {EventSource} from 'eventsource-kit'
import {useEffect, useState} from 'react'

/** What a component sees of its source. */
export interface EventSourceState {
  /** The source's readyState: CONNECTING, OPEN or CLOSED. */
  readonly readyState: number
  /** The newest `message` event, or undefined before the first. */
  readonly lastMessage: MessageEvent<string> | undefined
  /** How many `message` events arrived. */
  readonly count: number
}

/**
 * Listens to `url` while the component is mounted; a new `url` closes the old source and opens a new one.
 *
 * @example
 * ```ts
 * const {lastMessage, readyState} = useEventSource('/api/ticks')
 * ```
 */
export function useEventSource(url: string): EventSourceState {
  const [state, setState] = useState<EventSourceState>({readyState: EventSource.CONNECTING, lastMessage: undefined, count: 0})
  useEffect(() => {
    const source = new EventSource(url)
    const syncReadyState = (): void => setState((previous) => ({...previous, readyState: source.readyState}))
    source.addEventListener('open', syncReadyState)
    source.addEventListener('error', syncReadyState)
    source.addEventListener('message', (event) =>
      setState((previous) => ({readyState: source.readyState, lastMessage: event, count: previous.count + 1})),
    )
    return () => source.close()
  }, [url])
  return state
}
