// [non-spec] The Encoding standard's `TextEncoder` of the react-native build (the core encodes the
// `Last-Event-ID` value with it): the platform's where it has one, else this one.

/** [spec] Encoding "UTF-8 encode": a lone surrogate becomes U+FFFD (as a USVString conversion does). */
export class FallbackTextEncoder {
  /** [spec] encode(input): the UTF-8 bytes of `input`. */
  encode(input = ''): Uint8Array {
    const text = `${input}`
    const bytes: number[] = []
    for (let i = 0; i < text.length; i++) {
      let codePoint = text.charCodeAt(i)
      if (codePoint >= 0xd800 && codePoint <= 0xdfff) {
        const next = text.charCodeAt(i + 1)
        if (codePoint <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          codePoint = 0x10000 + ((codePoint - 0xd800) << 10) + (next - 0xdc00)
          i++
        } else codePoint = 0xfffd
      }
      if (codePoint < 0x80) bytes.push(codePoint)
      else if (codePoint < 0x800) bytes.push(0xc0 | (codePoint >> 6), 0x80 | (codePoint & 0x3f))
      else if (codePoint < 0x10000) bytes.push(0xe0 | (codePoint >> 12), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f))
      else bytes.push(0xf0 | (codePoint >> 18), 0x80 | ((codePoint >> 12) & 0x3f), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f))
    }
    return new Uint8Array(bytes)
  }
}

/** The `TextEncoder` the react-native build uses: the platform's, else {@link FallbackTextEncoder}. */
export const TextEncoder: typeof globalThis.TextEncoder =
  typeof globalThis.TextEncoder === 'function' ? globalThis.TextEncoder : (FallbackTextEncoder as unknown as typeof globalThis.TextEncoder)
