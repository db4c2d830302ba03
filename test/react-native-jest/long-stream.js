// The long-stream case: about 20 MiB over React Native's XMLHttpRequest, where responseText keeps
// the whole response while a request runs.
import {pause, startServer, startStream, until} from './server.js'

// The long stream: about 20 MiB of 1 KiB events, each with an id; a request with Last-Event-ID
// resumes after it (the server side of a renewal).
const LONG_EVENTS = 20 * 1024
const LONG_PAYLOAD = 'x'.repeat(1000)
const MIB = 1024 * 1024

/** Serves the long stream from after the request's Last-Event-ID, in batches, waiting on backpressure. */
async function serveLongStream(request, response) {
  startStream(response)
  let next = Number(request.headers['last-event-id'] ?? 0) + 1
  while (next <= LONG_EVENTS && !response.destroyed) {
    let batch = ''
    for (const last = Math.min(next + 63, LONG_EVENTS); next <= last; next++) batch += `id: ${next}\ndata: ${next} ${LONG_PAYLOAD}\n\n`
    if (!response.write(batch))
      await new Promise((resolve) => {
        const done = () => {
          response.off('drain', done)
          response.off('close', done)
          resolve()
        }
        response.on('drain', done)
        response.on('close', done)
      })
  }
}

/** The long-stream case: every event once, in order, no error, OPEN throughout, responseText under 8 MiB. */
export async function longStream(open) {
  const server = await startServer(serveLongStream)
  globalThis.__fakeNetworkingStats.largestResponseText = 0
  try {
    const client = await open(server.url, {keep: (data, lastEventId) => data === `${lastEventId} ${LONG_PAYLOAD}`})
    const problems = []
    await until(() => client.log.events.length >= LONG_EVENTS || client.log.errors.length > 0, `${LONG_EVENTS} events`, 120_000).catch(() => problems.push(`${client.log.events.length} events of ${LONG_EVENTS} after 120 s`))
    await pause(50)
    const state = client.readyState()
    client.close()
    const {events, errors, opens} = client.log
    const wrong = events.findIndex((event, index) => event.lastEventId !== String(index + 1) || event.data !== true)
    if (wrong !== -1) problems.push(`event ${wrong + 1} is id ${events[wrong].lastEventId}: events lost or repeated`)
    else if (events.length > LONG_EVENTS) problems.push(`${events.length - LONG_EVENTS} events more than sent`)
    if (errors.length > 0) problems.push(`${errors.length} error events`)
    if (opens !== 1) problems.push(`${opens} open events`)
    if (state !== 'open' || events.some((event) => event.readyState !== 'open')) problems.push('readyState left OPEN')
    if (globalThis.__fakeNetworkingStats.largestResponseText >= 8 * MIB) problems.push('responseText passed 8 MiB')
    return problems
  } finally {
    await server.close()
  }
}
