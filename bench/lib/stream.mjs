// The event streams every implementation is fed: built by the server and by the in-process parse
// benchmark from the same functions, so the expected counts and checksums are computed, not typed in.
import {Buffer} from 'node:buffer'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {distDir} from './dist.mjs'

// Frames are written by the build's own server entry (the build under test: run `npm run build`).
const {formatEvent} = await import(pathToFileURL(join(distDir(), 'server.js')).href)

// A few multi-byte words, so decoding is exercised as it is with real model output.
const WORDS = [' the', ' river', ' runs', ' under', ' stone', ',', ' café', ' and', ' 日本', ' light', '.', ' 🌊', ' again', '\\n']

/** The `data` of token event `i`: a compact chat-completion chunk, like an LLM API streams. */
export function tokenData(i) {
  return `{"id":"chatcmpl-bench","choices":[{"index":0,"delta":{"content":"${WORDS[i % WORDS.length]}"}}]}`
}

/** Token event `i` on the wire: an `id` line, one `data` line, a blank line. */
export function tokenEvent(i) {
  return formatEvent({id: String(i), data: tokenData(i)})
}

/**
 * What a client must have seen after the whole token stream of `count` events.
 * @returns {{events: number, lastId: string, dataChars: number}}
 */
export function tokenExpectation(count) {
  let dataChars = 0
  for (let i = 0; i < count; i++) dataChars += tokenData(i).length
  return {events: count, lastId: String(count - 1), dataChars}
}

/** The whole token stream of `count` events as UTF-8 bytes. */
export function tokenStream(count) {
  const parts = []
  for (let i = 0; i < count; i++) parts.push(tokenEvent(i))
  return Buffer.from(parts.join(''), 'utf8')
}

/** A latency probe: the sender's monotonic clock (ns, decimal) and a sequence number. */
export function latencyEvent(seq, hrtimeNs) {
  return formatEvent({id: String(seq), data: `{"t":"${hrtimeNs}","seq":${seq}}`})
}
