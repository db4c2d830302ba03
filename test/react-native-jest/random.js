// Random splits for the parsing cases, from a seed that a failing run prints, so it can be replayed.

/** A deterministic generator (mulberry32), so that a failing split can be replayed from its seed. */
export function randomFrom(seed) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let value = state
    value = Math.imul(value ^ (value >>> 15), value | 1)
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61)
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296
  }
}

/** Splits bytes at random places (every split point equally likely, also inside a UTF-8 character). */
export function splitRandomly(bytes, random) {
  const pieces = []
  let start = 0
  while (start < bytes.length) {
    const size = 1 + Math.floor(random() * 12)
    pieces.push(bytes.subarray(start, start + size))
    start += size
  }
  return pieces
}
