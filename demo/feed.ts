// What /api/ticks sends, and the URLs this page uses for it.

/** One sample of the metric stream: `data` of every /api/ticks event, whose id is `seq`. */
export interface Tick {
  /** Sequence number; also the event id, so a reconnection resumes after it. */
  readonly seq: number
  /** When the server sampled it, in ms since the epoch. */
  readonly time: number
  /** Requests per second. */
  readonly value: number
}

/** Parses an event's data as a Tick, or throws naming what is wrong. */
export function parseTick(data: string): Tick {
  const tick = JSON.parse(data) as Partial<Tick>
  if (typeof tick.seq !== 'number' || typeof tick.time !== 'number' || typeof tick.value !== 'number') {
    throw new TypeError(`not a tick: ${data}`)
  }
  return {seq: tick.seq, time: tick.time, value: tick.value}
}

/** Identifies this page to the server, so injected faults hit this page's stream and no one else's. */
export const clientId = Math.random().toString(36).slice(2, 10)

/** The stream URL for one consumer on this page (`part` names it: panel, react, vue). */
export function ticksUrl(part: string, historySeconds = 0): string {
  const client = part === 'panel' ? clientId : `${clientId}-${part}`
  return `/api/ticks?client=${client}${historySeconds > 0 ? `&history=${historySeconds}` : ''}`
}

/** Formats a value the way every panel shows it. */
export const formatValue = new Intl.NumberFormat('en-US', {minimumFractionDigits: 1, maximumFractionDigits: 1}).format
