// What the React and Vue cards show besides the value: the typed error in words, the status
// transitions and the sequence check, the same way in both frameworks.
import {type EventSourceError, type EventSourceErrorEvent, HttpError} from 'eventsource-kit'

/** The error's class name, with the status for an HttpError; `—` for none. */
export function describeError(error: EventSourceError | undefined): string {
  if (!error) return '—'
  return error instanceof HttpError ? `${error.name} ${error.status}` : error.name
}

/** The status an `error` event leads to. */
export const statusAfter = (event: EventSourceErrorEvent): string => (event.willReconnect ? 'reconnecting' : 'closed')

/** Appends `status` to the transitions shown (the last few), unless it is already the last. */
export function addTransition(history: readonly string[], status: string): string[] {
  return history.at(-1) === status ? [...history] : [...history, status].slice(-5)
}
