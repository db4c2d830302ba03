// The metric feed behind /api/ticks: one shared sequence of samples that every stream follows, so a
// client that reconnects with Last-Event-ID gets exactly the samples it missed, and new clients can
// ask for recent history to fill their chart at once.

/** Most samples replayed to one reconnecting client; an older Last-Event-ID resumes with a gap. */
const MAX_BACKLOG = 2000
/** The feed starts this far in the past, so history is there as soon as the server starts. */
const PREHISTORY_MS = 10 * 60_000

/** 32-bit integer hash → [-1, 1): noise that is the same every time for the same sequence number. */
function noise(seq) {
  let x = Math.imul(seq ^ 0x9e3779b9, 0x85ebca6b)
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35)
  x ^= x >>> 16
  return (x >>> 0) / 2 ** 31 - 1
}

/**
 * Requests per second of an imaginary service at sample `seq`: a slow wave, a faster ripple and some
 * noise. A pure function of `seq`, so a resumed stream continues exactly where it left off.
 */
export function sampleAt(seq, tickMs) {
  const seconds = (seq * tickMs) / 1000
  const value = 1200 + 260 * Math.sin((2 * Math.PI * seconds) / 47) + 90 * Math.sin((2 * Math.PI * seconds) / 13 + 1) + 35 * noise(seq)
  return Math.round(value * 10) / 10
}

/** Parses a Last-Event-ID header: the sequence number of the last sample the client saw, or undefined. */
function lastSeq(header, current) {
  if (typeof header !== 'string' || !/^\d{1,15}$/.test(header)) return undefined
  const seq = Number(header)
  return seq <= current ? seq : undefined
}

/**
 * Creates the shared feed: one timer produces a sample every `tickMs`, and each open stream is written
 * every sample from its own next sequence number up to the current one. `formatEvent` and
 * `EVENT_STREAM_HEADERS` are eventsource-kit/server's.
 */
export function createFeed({tickMs, formatEvent, EVENT_STREAM_HEADERS}) {
  const epoch = Date.now() - PREHISTORY_MS
  /** @type {Set<{res: import('node:http').ServerResponse, client: string, next: number, stalled: boolean}>} */
  const streams = new Set()
  const currentSeq = () => Math.floor((Date.now() - epoch) / tickMs)

  function flush(stream) {
    const current = currentSeq()
    if (current - stream.next >= MAX_BACKLOG) stream.next = current - MAX_BACKLOG + 1
    let chunk = ''
    for (; stream.next <= current; stream.next += 1) {
      const seq = stream.next
      chunk += formatEvent({id: String(seq), data: JSON.stringify({seq, time: epoch + seq * tickMs, value: sampleAt(seq, tickMs)})})
    }
    if (chunk) stream.res.write(chunk)
  }

  const timer = setInterval(() => {
    for (const stream of streams) if (!stream.stalled) flush(stream)
  }, tickMs)
  timer.unref()

  return {
    tickMs,
    /** Opens a stream for `client`: resumes after Last-Event-ID, else starts `historySeconds` back. */
    open(req, res, {client, historySeconds}) {
      const current = currentSeq()
      const resumeAfter = lastSeq(req.headers['last-event-id'], current)
      // Without a Last-Event-ID: the current sample, plus as many before it as the history asked for.
      const historySamples = Math.min(MAX_BACKLOG - 1, Math.floor((historySeconds * 1000) / tickMs))
      const next = resumeAfter === undefined ? current - historySamples : resumeAfter + 1
      res.writeHead(200, EVENT_STREAM_HEADERS)
      // Reconnect 1 s after a drop instead of the default 3 s.
      res.write(formatEvent({retry: 1000}))
      const stream = {res, client, next, stalled: false}
      streams.add(stream)
      req.on('close', () => streams.delete(stream))
      flush(stream)
    },
    /** The open streams of one client (the page's panel, its React card, its Vue card ...). */
    streamsOf(client) {
      return [...streams].filter((stream) => stream.client === client)
    },
    stop() {
      clearInterval(timer)
      for (const stream of streams) stream.res.destroy()
      streams.clear()
    },
  }
}
