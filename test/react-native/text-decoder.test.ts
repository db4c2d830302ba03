import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {FallbackTextDecoder} from '../../src/core/native/text-decoder.js'
import {FallbackTextEncoder} from '../../src/core/native/text-encoder.js'

// [non-spec] The react-native build's UTF-8 decoder (where the platform has no TextDecoder) against
// Node's, which implements the Encoding standard: the same text for any bytes, however they are
// split, with the replacement of each maximal subpart of an invalid sequence by one U+FFFD.

/** Bytes biased towards UTF-8 lead and continuation bytes, so that valid and broken sequences both occur. */
const byte = fc.oneof(fc.integer({min: 0, max: 0x7f}), fc.integer({min: 0x80, max: 0xbf}), fc.integer({min: 0xc0, max: 0xff}), fc.constantFrom(0xef, 0xbb, 0xbf, 0xe0, 0xed, 0xf0, 0xf4))
const bytes = fc.oneof(
  fc.array(byte, {maxLength: 64}).map((values) => Uint8Array.from(values)),
  // Valid text (astral characters, a BOM) with stray bytes spliced in.
  fc.tuple(fc.string({unit: 'grapheme', maxLength: 24}), fc.array(byte, {maxLength: 4})).map(([text, extra]) => Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text), ...extra])),
)
/** Cut points in a byte array, as fractions of its length. */
const cuts = fc.array(fc.double({min: 0, max: 1, noNaN: true}), {maxLength: 6})

function splitAt(input: Uint8Array, fractions: number[]): Uint8Array[] {
  const points = [...new Set(fractions.map((fraction) => Math.floor(fraction * input.length)))].sort((a, b) => a - b)
  const chunks: Uint8Array[] = []
  let start = 0
  for (const point of [...points, input.length]) {
    chunks.push(input.subarray(start, point))
    start = point
  }
  return chunks
}

function decodeAll(decoder: {decode(input?: Uint8Array, options?: {stream?: boolean}): string}, chunks: Uint8Array[]): string {
  return chunks.map((chunk) => decoder.decode(chunk, {stream: true})).join('') + decoder.decode()
}

describe('the fallback TextDecoder', () => {
  for (const ignoreBOM of [true, false]) {
    it(`[non-spec] decodes random bytes in random splits as Node's TextDecoder does (ignoreBOM ${ignoreBOM})`, () => {
      fc.assert(
        fc.property(bytes, cuts, (input, fractions) => {
          const chunks = splitAt(input, fractions)
          expect(decodeAll(new FallbackTextDecoder('utf-8', {ignoreBOM}), chunks)).toBe(decodeAll(new TextDecoder('utf-8', {ignoreBOM}), chunks))
        }),
        {numRuns: 1500},
      )
    })
  }

  it("[non-spec] decodes random bytes fed one byte at a time as Node's TextDecoder does", () => {
    fc.assert(
      fc.property(bytes, (input) => {
        const chunks = Array.from(input, (value) => Uint8Array.of(value))
        expect(decodeAll(new FallbackTextDecoder('utf-8', {ignoreBOM: true}), chunks)).toBe(new TextDecoder('utf-8', {ignoreBOM: true}).decode(input))
      }),
      {numRuns: 800},
    )
  })

  it('replaces each maximal subpart of an invalid sequence with one U+FFFD', () => {
    const decode = (values: number[]): string => new FallbackTextDecoder().decode(Uint8Array.from(values))
    // A truncated 3-byte sequence is one subpart; a surrogate's bytes are three.
    expect(decode([0xe2, 0x82, 0x41])).toBe('\uFFFDA')
    expect(decode([0xed, 0xa0, 0x80])).toBe('\uFFFD\uFFFD\uFFFD')
    expect(decode([0xf4, 0x90, 0x80, 0x80])).toBe('\uFFFD'.repeat(4))
    expect(decode([0xc0, 0xaf])).toBe('\uFFFD\uFFFD')
    expect(decode([0xf0, 0x9f, 0x98])).toBe('\uFFFD')
  })

  it('completes a character split across chunks, and flushes an incomplete one as U+FFFD at the end', () => {
    const decoder = new FallbackTextDecoder()
    expect(decoder.decode(Uint8Array.of(0xf0, 0x9f), {stream: true})).toBe('')
    expect(decoder.decode(Uint8Array.of(0x98, 0x80, 0xe2), {stream: true})).toBe('😀')
    expect(decoder.decode()).toBe('\uFFFD')
    // After a flush the decoder starts over: a BOM is dropped again.
    expect(decoder.decode(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61))).toBe('a')
  })

  it('keeps the BOM with ignoreBOM (the core strips it), drops one leading BOM without it, and keeps a second', () => {
    const twoBOMs = Uint8Array.of(0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x61)
    expect(new FallbackTextDecoder('utf-8', {ignoreBOM: true}).decode(twoBOMs)).toBe('\uFEFF\uFEFFa')
    expect(new FallbackTextDecoder().decode(twoBOMs)).toBe('\uFEFFa')
    // A BOM split across chunks is still the leading one.
    const decoder = new FallbackTextDecoder()
    expect(decoder.decode(Uint8Array.of(0xef), {stream: true}) + decoder.decode(Uint8Array.of(0xbb, 0xbf, 0x62))).toBe('b')
  })

  it('takes an ArrayBuffer or any view', () => {
    const view = new DataView(Uint8Array.of(0x20, 0x68, 0x69, 0x20).buffer, 1, 2)
    expect(new FallbackTextDecoder().decode(view)).toBe('hi')
    expect(new FallbackTextDecoder().decode(Uint8Array.of(0x6f, 0x6b).buffer)).toBe('ok')
  })
})

describe('the fallback TextEncoder', () => {
  it("[non-spec] encodes any string as Node's TextEncoder does, a lone surrogate as U+FFFD", () => {
    fc.assert(
      fc.property(fc.string({unit: 'binary', maxLength: 40}), fc.string({unit: fc.integer({min: 0xd800, max: 0xdfff}).map((code) => String.fromCharCode(code)), maxLength: 3}), (text, surrogates) => {
        const input = text + surrogates + text
        expect(new FallbackTextEncoder().encode(input)).toEqual(new TextEncoder().encode(input))
      }),
      {numRuns: 500},
    )
  })
})
