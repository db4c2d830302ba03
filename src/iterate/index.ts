/**
 * `eventsource-kit/iterate`: `for await` over a source's events. A capability you import: a source
 * you never iterate carries none of it.
 * @packageDocumentation
 */
import type {StringMessageEvent, Tappable} from 'eventsource-kit'
import {TAP} from '../core/policy.js'
import {MessageQueue} from './queue.js'

/**
 * [non-spec] Iterates every MessageEvent of `source` (any type) in dispatch order, from now on.
 * Leaving the loop closes the source; `close()` ends the loop after the events already dispatched;
 * a failed connection throws its `EventSourceError`. While the loop body is busy, events queue up
 * to 1024 events or `maxEventSize` characters, then reading from the network pauses: nothing is
 * dropped (a shared source's stream does not pause for one tab: its events queue there).
 *
 * @example
 * ```ts
 * import {EventSource} from 'eventsource-kit'
 * import {iterate} from 'eventsource-kit/iterate'
 *
 * for await (const event of iterate(new EventSource<'token'>('/chat', {method: 'POST', body}))) {
 *   if (event.type === 'done') break
 *   output.append(event.data)
 * }
 * ```
 */
export function iterate(source: Tappable): AsyncIterableIterator<StringMessageEvent> {
  return source[TAP]((maxQueuedChars, close) => new MessageQueue(maxQueuedChars, close))
}
