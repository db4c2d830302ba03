// [non-spec] When the XHR transport renews its request. XMLHttpRequest keeps the whole response in
// `responseText` for as long as the request runs, so a long stream would grow it without bound. The
// transport starts a fresh request with the current Last-Event-ID before it gets large, at an event
// boundary (the end of a blank line), so that the server sends again only what follows that ID.

const CR = 0x0d
const LF = 0x0a
const NUL = 0x00
const I = 0x69
const D = 0x64
const COLON = 0x3a
const SPACE = 0x20

/** Default {@link renewalLimit}: 8 MiB (UTF-16 code units of `responseText`). */
export const DEFAULT_RENEWAL_LIMIT = 8 * 1024 * 1024

let limit = DEFAULT_RENEWAL_LIMIT

/**
 * The size of `responseText` (in UTF-16 code units) the transport renews its request before: once
 * half of it has arrived, at the first event boundary right after a block whose `id` field set a
 * non-empty last event ID (the server then resumes exactly after that event, so no event comes twice
 * or goes missing). A stream that carries no such `id` cannot resume, and is never renewed.
 */
export function renewalLimit(): number {
  return limit
}

/**
 * Sets {@link renewalLimit} (tests lower it to renew often); `undefined` restores the default.
 * @example
 * ```ts
 * setRenewalLimit(64)
 * ```
 */
export function setRenewalLimit(chars: number | undefined): void {
  limit = chars ?? DEFAULT_RENEWAL_LIMIT
}

/**
 * Finds the event boundaries in the text of one response as it arrives, each piece scanned once.
 * [spec] "Lines must be separated by either a U+000D CARRIAGE RETURN U+000A LINE FEED (CRLF)
 * character pair, a single U+000A LINE FEED (LF) character, or a single U+000D CARRIAGE RETURN (CR)
 * character"; a blank line dispatches the event, and an `id` field whose value has no U+0000 NULL
 * sets the last event ID buffer (to the empty string for `id`, `id:` or `id: `, after which a request
 * without Last-Event-ID could not resume: no boundary there). A scan that starts within the stream knows nothing before its
 * first line terminator: it finds no boundary in that line, and no `id` before it.
 */
export class BoundaryScanner {
  // Whether the scan is at a known place: a line terminator was seen (or it started at the stream's start).
  #isSynced: boolean
  #lastWasCR = false
  // Code units of the current line so far, whether it still reads as an `id` field, and whether its value is not empty.
  #lineLength = 0
  #isIdLine = true
  #hasIdValue = false
  // Whether the block's last `id` field set a non-empty last event ID.
  #blockHasId = false

  /** @param isAtStart - the scan starts at the start of the stream (a line start) */
  constructor(isAtStart: boolean) {
    this.#isSynced = isAtStart
  }

  /**
   * Scans `text`, the next piece of the stream, up to the first boundary right after a block whose `id` field set a non-empty last event ID.
   * @returns the index just past that blank line's terminator, or -1 when `text` has none
   */
  scan(text: string): number {
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index)
      // The LF of a CRLF pair: the CR ended the line.
      if (code === LF && this.#lastWasCR) {
        this.#lastWasCR = false
        continue
      }
      this.#lastWasCR = code === CR
      if (code !== CR && code !== LF) {
        this.#readLineCode(code)
        continue
      }
      if (this.#isSynced && this.#lineLength === 0) {
        // [spec] "If the line is empty (a blank line): Dispatch the event."
        const hasId = this.#blockHasId
        this.#blockHasId = false
        if (hasId) return code === CR && text.charCodeAt(index + 1) === LF ? index + 2 : index + 1
        continue
      }
      // [spec] the field name "id" (a line `id`, or `id:` and a value), "If the field value does not
      // contain U+0000 NULL, then set the last event ID buffer to the field value": the last one counts.
      if (this.#isSynced && this.#isIdLine && this.#lineLength >= 2) this.#blockHasId = this.#hasIdValue
      this.#isSynced = true
      this.#lineLength = 0
      this.#isIdLine = true
      this.#hasIdValue = false
    }
    return -1
  }

  #readLineCode(code: number): void {
    const position = this.#lineLength++
    if (!this.#isIdLine) return
    if (position === 0) this.#isIdLine = code === I
    else if (position === 1) this.#isIdLine = code === D
    else if (position === 2) this.#isIdLine = code === COLON
    else if (code === NUL) this.#isIdLine = false
    // [spec] "If value starts with a U+0020 SPACE character, remove it from value."
    else if (position > 3 || code !== SPACE) this.#hasIdValue = true
  }
}
