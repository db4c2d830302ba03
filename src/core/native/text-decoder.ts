// [non-spec] The Encoding standard's `TextDecoder` of the react-native build, UTF-8 only: the
// platform's where it has one (React Native from 0.88, Expo from SDK 52), else this one. It is not
// installed globally, and the core only decodes UTF-8 event streams and error bodies with it
// (`new TextDecoder()`, `new TextDecoder('utf-8', {ignoreBOM: true})`): no other label, no `fatal`.

const REPLACEMENT = 0xfffd
const BOM = 0xfeff
// Code units turned into a string at a time (String.fromCharCode takes them as arguments).
const CHUNK_UNITS = 8192
/** The options of `new TextDecoder(label, options)` the core passes. */
export interface FallbackTextDecoderOptions {
  ignoreBOM?: boolean
}

function toBytes(input: ArrayBuffer | ArrayBufferView | undefined): Uint8Array {
  return ArrayBuffer.isView(input) ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength) : new Uint8Array(input ?? [])
}

/**
 * [spec] Encoding "UTF-8 decoder", streaming: a character split across calls with `{stream: true}`
 * is completed by the next; each maximal subpart of an invalid sequence becomes one U+FFFD; one
 * leading BOM is dropped unless `ignoreBOM`.
 */
export class FallbackTextDecoder {
  readonly #isIgnoringBOM: boolean
  // [spec] UTF-8 code point, bytes seen, bytes needed, lower boundary, upper boundary.
  #codePoint = 0
  #bytesSeen = 0
  #bytesNeeded = 0
  #lowerBoundary = 0x80
  #upperBoundary = 0xbf
  // [spec] "BOM seen flag": unset until the first code point of a stream.
  #isBOMSeen = false
  #isStreaming = false

  /** @param _label - "utf-8" (the only encoding the core decodes) */
  constructor(_label?: string, options: FallbackTextDecoderOptions = {}) {
    this.#isIgnoringBOM = Boolean(options.ignoreBOM)
  }

  /** [spec] decode(input, options): the text of `input`, holding back an incomplete character while `stream` is true. */
  decode(input?: ArrayBuffer | ArrayBufferView, options: {stream?: boolean} = {}): string {
    const bytes = toBytes(input)
    // [spec] "If this's do not flush is false, then set ... BOM seen to false" (a new stream).
    if (!this.#isStreaming) this.#isBOMSeen = false
    this.#isStreaming = Boolean(options.stream)
    const units: number[] = []
    let text = ''
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i] as number
      if (this.#bytesNeeded === 0) {
        if (byte <= 0x7f) this.#emit(units, byte)
        else if (byte >= 0xc2 && byte <= 0xdf) this.#start(1, byte & 0x1f)
        else if (byte >= 0xe0 && byte <= 0xef) {
          if (byte === 0xe0) this.#lowerBoundary = 0xa0
          if (byte === 0xed) this.#upperBoundary = 0x9f
          this.#start(2, byte & 0x0f)
        } else if (byte >= 0xf0 && byte <= 0xf4) {
          if (byte === 0xf0) this.#lowerBoundary = 0x90
          if (byte === 0xf4) this.#upperBoundary = 0x8f
          this.#start(3, byte & 0x07)
        } else this.#error(units)
      } else if (byte < this.#lowerBoundary || byte > this.#upperBoundary) {
        // [spec] "Restore byte to ioQueue" (read it again as a lead byte), and return error.
        this.#reset()
        this.#error(units)
        i--
      } else {
        this.#lowerBoundary = 0x80
        this.#upperBoundary = 0xbf
        this.#codePoint = (this.#codePoint << 6) | (byte & 0x3f)
        if (++this.#bytesSeen === this.#bytesNeeded) {
          const codePoint = this.#codePoint
          this.#reset()
          this.#emit(units, codePoint)
        }
      }
      if (units.length >= CHUNK_UNITS) text += String.fromCharCode(...units.splice(0))
    }
    // [spec] end of queue, not streaming: an incomplete character is an error; the decoder starts over.
    if (!this.#isStreaming && this.#bytesNeeded !== 0) {
      this.#reset()
      this.#error(units)
    }
    return text + String.fromCharCode(...units)
  }

  #start(bytesNeeded: number, codePoint: number): void {
    this.#bytesNeeded = bytesNeeded
    this.#codePoint = codePoint
  }

  #reset(): void {
    this.#codePoint = this.#bytesSeen = this.#bytesNeeded = 0
    this.#lowerBoundary = 0x80
    this.#upperBoundary = 0xbf
  }

  #error(units: number[]): void {
    this.#emit(units, REPLACEMENT)
  }

  /** Appends one code point as UTF-16, dropping a leading BOM unless ignoreBOM ([spec] "serialize I/O queue"). */
  #emit(units: number[], codePoint: number): void {
    if (!this.#isBOMSeen) {
      this.#isBOMSeen = true
      if (codePoint === BOM && !this.#isIgnoringBOM) return
    }
    if (codePoint < 0x10000) units.push(codePoint)
    else units.push(0xd800 + ((codePoint - 0x10000) >> 10), 0xdc00 + ((codePoint - 0x10000) & 0x3ff))
  }
}

/** The `TextDecoder` the react-native build uses: the platform's, else {@link FallbackTextDecoder}. */
export const TextDecoder: typeof globalThis.TextDecoder =
  typeof globalThis.TextDecoder === 'function' ? globalThis.TextDecoder : (FallbackTextDecoder as unknown as typeof globalThis.TextDecoder)
