// [non-spec] The WebIDL `DOMException` of the react-native build: the platform's where it has one
// (Expo from SDK 56), else this one: an Error with the standard `name`, `message` and legacy `code`.

// [spec] WebIDL "DOMException names": the names that have a legacy code, in code order (1 to 25).
const LEGACY_NAMES = [
  'IndexSizeError',
  'DOMStringSizeError',
  'HierarchyRequestError',
  'WrongDocumentError',
  'InvalidCharacterError',
  'NoDataAllowedError',
  'NoModificationAllowedError',
  'NotFoundError',
  'NotSupportedError',
  'InUseAttributeError',
  'InvalidStateError',
  'SyntaxError',
  'InvalidModificationError',
  'NamespaceError',
  'InvalidAccessError',
  'ValidationError',
  'TypeMismatchError',
  'SecurityError',
  'NetworkError',
  'AbortError',
  'URLMismatchError',
  'QuotaExceededError',
  'TimeoutError',
  'InvalidNodeTypeError',
  'DataCloneError',
]

/** [spec] WebIDL "DOMException": `new DOMException(message, name)`; `code` is the name's legacy code, or 0. */
export class FallbackDOMException extends Error {
  /** The legacy code of `name` (12 for "SyntaxError"), or 0. */
  readonly code: number

  constructor(message = '', name = 'Error') {
    super(`${message}`)
    this.name = `${name}`
    this.code = LEGACY_NAMES.indexOf(this.name) + 1
  }
}

/** The `DOMException` the react-native build uses: the platform's, else {@link FallbackDOMException}. */
export const DOMException: typeof globalThis.DOMException =
  typeof globalThis.DOMException === 'function' ? globalThis.DOMException : (FallbackDOMException as unknown as typeof globalThis.DOMException)
