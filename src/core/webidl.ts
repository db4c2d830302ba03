import {CLOSED, CONNECTING, OPEN} from './ready-state.js'

/** The attributes and operations of the EventSource interface, with the extensions every source has. */
const MEMBERS = ['url', 'withCredentials', 'readyState', 'onopen', 'onmessage', 'onerror', 'close', 'lastEventId', 'reconnectionTime']

/**
 * [spec] The WebIDL skeleton of an EventSource class, written once for the main entry's and the shared
 * one: the constants on the interface object and the prototype (not writable, enumerable, not
 * configurable); the attributes and operations enumerable, `extraMembers` too; the class tag "EventSource".
 * @example
 * ```ts
 * defineEventSourceInterface(EventSource, ['isShared', 'isLeader'])
 * ```
 */
export function defineEventSourceInterface(Class: abstract new (...args: never[]) => EventTarget, extraMembers: readonly string[] = []): void {
  for (const target of [Class, Class.prototype]) {
    Object.defineProperties(target, {
      CONNECTING: {value: CONNECTING, enumerable: true},
      OPEN: {value: OPEN, enumerable: true},
      CLOSED: {value: CLOSED, enumerable: true},
    })
  }
  for (const name of MEMBERS.concat(extraMembers)) Object.defineProperty(Class.prototype, name, {enumerable: true})
  Object.defineProperty(Class.prototype, Symbol.toStringTag, {value: 'EventSource', configurable: true})
}
