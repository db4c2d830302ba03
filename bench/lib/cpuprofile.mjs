// Reads a V8 .cpuprofile (from `node --cpu-prof`) and lists where the busy time went.
import {readFileSync} from 'node:fs'

/** Where a function lives, for grouping: ours, the parser, a peer, Node's streams, undici, V8. */
function area(url) {
  if (!url) return 'V8/native'
  if (url.includes('/dist/')) return 'eventsource-kit (dist/index.js)'
  if (url.includes('eventsource-parser')) return 'eventsource-parser'
  if (url.includes('node_modules/eventsource/')) return 'eventsource 5'
  if (url.includes('fetch-event-source')) return '@microsoft/fetch-event-source'
  if (url.includes('/bench/')) return 'bench harness'
  if (url.includes('webstreams')) return 'node: web streams'
  if (url.includes('undici') || url.includes('internal/deps')) return 'node: undici (fetch; also MessageEvent and its WebIDL conversions)'
  if (url.includes('event_target') || url.includes('internal/worker/io') || url.includes('messageevent')) return 'node: EventTarget / MessageEvent'
  if (url.includes('encoding')) return 'node: TextDecoder'
  if (url.startsWith('node:')) return 'node: other'
  return 'other'
}

/**
 * Self time by area (ours, the parser, a peer, Node's streams, undici, V8) and by function.
 * @param {string} file - a .cpuprofile
 * @param {number} top - how many functions to list
 * @returns {string} a plain-text report
 */
export function summarizeProfile(file, top = 25) {
  const profile = JSON.parse(readFileSync(file, 'utf8'))
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
  const parents = new Map()
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id)
  const keyOf = ({functionName, url, lineNumber}) => `${functionName || '(anonymous)'}  ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`
  // The profiler's own calls (starting and stopping it) are not part of the workload.
  const isProfiler = (id) => nodes.get(id).callFrame.url === 'node:inspector'
  let total = 0
  const self = new Map()
  const inclusive = new Map()
  const byArea = new Map()
  const add = (map, key, micros) => map.set(key, (map.get(key) ?? 0) + micros)
  profile.samples.forEach((id, i) => {
    // timeDeltas[i] is the time before sample i; attribute it to that sample's stack.
    const micros = profile.timeDeltas[i] ?? 0
    const {callFrame} = nodes.get(id)
    if (callFrame.functionName === '(idle)' || isProfiler(id)) return
    total += micros
    add(self, keyOf(callFrame), micros)
    add(byArea, callFrame.functionName.startsWith('(') ? callFrame.functionName : area(callFrame.url), micros)
    const seen = new Set()
    for (let at = id; at !== undefined; at = parents.get(at)) {
      const key = keyOf(nodes.get(at).callFrame)
      if (!seen.has(key)) add(inclusive, key, micros)
      seen.add(key)
    }
  })
  // Frames every sample passes through say nothing about where the time goes.
  for (const key of inclusive.keys()) if (/^\((root|program|garbage collector)\)|^(processTicksAndRejections|runMicrotasks) /.test(key)) inclusive.delete(key)
  const lines = (map, limit) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([key, micros]) => `${((micros / total) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(6)} ms  ${key}`)
  return [
    `busy time ${(total / 1000).toFixed(0)} ms (idle and the profiler itself excluded)`,
    '',
    'self time by area:',
    ...lines(byArea, 20),
    '',
    `top ${top} functions by self time:`,
    ...lines(self, top),
    '',
    `top ${top} functions by total time (self + callees):`,
    ...lines(inclusive, top),
  ].join('\n')
}
