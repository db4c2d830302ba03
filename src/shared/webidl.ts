// [spec] The EventSource interface's WebIDL shape, as the main entry's class has it.

/** [spec] readyState while connecting or waiting to reconnect. */
export const CONNECTING = 0
/** [spec] readyState while the connection is open. */
export const OPEN = 1
/** [spec] readyState after close() or a failed connection. */
export const CLOSED = 2

// The main entry's attributes and operations, enumerable on its prototype.
const MEMBERS = ['url', 'withCredentials', 'readyState', 'onopen', 'onmessage', 'onerror', 'close', 'lastEventId', 'reconnectionTime']

/**
 * [spec] WebIDL: the constants on the interface object and the prototype (not writable, enumerable,
 * not configurable); the main entry's attributes and operations and `members` enumerable; the class
 * tag "EventSource".
 */
export function defineEventSourceInterface(constructor: {prototype: object}, members: readonly string[]): void {
  for (const target of [constructor, constructor.prototype]) {
    Object.defineProperties(target, {
      CONNECTING: {value: CONNECTING, enumerable: true},
      OPEN: {value: OPEN, enumerable: true},
      CLOSED: {value: CLOSED, enumerable: true},
    })
  }
  for (const name of [...MEMBERS, ...members]) Object.defineProperty(constructor.prototype, name, {enumerable: true})
  Object.defineProperty(constructor.prototype, Symbol.toStringTag, {value: 'EventSource', configurable: true})
}
