// The in-process parse benchmark's inputs: four corpora of whole events and three ways to cut
// them into chunks, all deterministic (a seeded generator), built the same way in every worker.
/* global Response, ReadableStream */
import {Buffer} from 'node:buffer'
import {tokenData} from './stream.mjs'

/** xorshift-style 32-bit generator (mulberry32): the same seed gives the same chunk sizes everywhere. */
function random(seed) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const LOREM = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore. '

/** Each corpus: how event `i` looks on the wire, and its data. Every event has an id. */
export const CORPORA = {
  // LLM-token-like events (about 95 bytes each).
  small: (i) => {
    const data = tokenData(i)
    return {wire: `id: ${i}\ndata: ${data}\n\n`, data}
  },
  // One 8 KiB data line per event, like a JSON document pushed whole.
  large: (i) => {
    const data = `{"n":${i},"text":"${LOREM.repeat(82).slice(0, 8180)}"}`
    return {wire: `id: ${i}\ndata: ${data}\n\n`, data}
  },
  // Eight data lines, a comment and an event-less block structure: the parser joins lines.
  multiline: (i) => {
    const lines = Array.from({length: 8}, (_, line) => `line ${line} of event ${i}: ${LOREM.slice(0, 40)}`)
    return {wire: `: chunk ${i}\nid: ${i}\n${lines.map((line) => `data: ${line}\n`).join('')}\n`, data: lines.join('\n')}
  },
  // The small corpus with CRLF line ends, as some servers (and proxies) send.
  crlf: (i) => {
    const data = tokenData(i)
    return {wire: `id: ${i}\r\ndata: ${data}\r\n\r\n`, data}
  },
}

/** The three chunkings; `maxBytes` caps the corpus for the slow ones. */
export const CHUNKINGS = {
  '64 KiB': {size: () => 64 * 1024},
  '1–1024 B': {size: (next) => 1 + Math.floor(next() * 1024)},
  '1 B': {size: () => 1},
}

const cache = new Map()

/**
 * Builds a corpus of whole events of about `bytes` bytes, cut into chunks.
 * @param {{name: string, bytes: number}} corpus
 * @param {string} chunking - a key of CHUNKINGS
 * @param {number} seed
 * @returns {{chunks: Uint8Array[], bytes: number, expected: {events: number, lastId: string, dataChars: number}}}
 */
export function buildCorpus({name, bytes}, chunking, seed) {
  const key = `${name}/${bytes}/${chunking}/${seed}`
  let built = cache.get(key)
  if (built) return built
  const event = CORPORA[name]
  if (!event || !CHUNKINGS[chunking]) throw new Error(`unknown corpus ${name} or chunking ${chunking}`)
  const parts = []
  let length = 0
  let dataChars = 0
  let count = 0
  while (length < bytes) {
    const {wire, data} = event(count++)
    parts.push(wire)
    length += Buffer.byteLength(wire)
    dataChars += data.length
  }
  const all = new Uint8Array(Buffer.from(parts.join(''), 'utf8'))
  const next = random(seed)
  const chunks = []
  for (let offset = 0; offset < all.length; ) {
    const size = CHUNKINGS[chunking].size(next)
    chunks.push(all.subarray(offset, offset + size))
    offset += size
  }
  built = {chunks, bytes: all.length, expected: {events: count, lastId: String(count - 1), dataChars}}
  cache.set(key, built)
  return built
}

/** A `fetch` that answers every request with 200 text/event-stream streaming `chunks`. */
export function responseFetch(chunks) {
  return async () => {
    let index = 0
    const body = new ReadableStream({
      pull(controller) {
        if (index < chunks.length) controller.enqueue(chunks[index++])
        else controller.close()
      },
    })
    return new Response(body, {status: 200, headers: {'content-type': 'text/event-stream'}})
  }
}
