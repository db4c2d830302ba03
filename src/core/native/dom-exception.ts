// [non-spec] The WebIDL `DOMException` of the react-native build: the platform's where it has one
// (Expo from SDK 56), else this one: an Error with the standard `name`, `message` and legacy `code`.

// [spec] WebIDL "DOMException names": the legacy codes of the names this package throws (no other
// code reads this class: it is not installed globally).
const LEGACY_CODES = new Map([
  ['InvalidStateError', 11],
  ['SyntaxError', 12],
  ['AbortError', 20],
])

/** [spec] WebIDL "DOMException": `new DOMException(message, name)`; `code` is the name's legacy code, or 0. */
export class FallbackDOMException extends Error {
  /** The legacy code of `name` (12 for "SyntaxError"), or 0 (for a name this package does not throw, too). */
  readonly code: number

  constructor(message = '', name = 'Error') {
    super(`${message}`)
    this.name = `${name}`
    this.code = LEGACY_CODES.get(this.name) ?? 0
  }
}

/** The `DOMException` the react-native build uses: the platform's, else {@link FallbackDOMException}. */
export const DOMException: typeof globalThis.DOMException =
  typeof globalThis.DOMException === 'function' ? globalThis.DOMException : (FallbackDOMException as unknown as typeof globalThis.DOMException)
