import {createEventBuffer} from 'better-sse'
import {createEventStream, H3} from 'h3'
import {Hono} from 'hono'
import {streamSSE} from 'hono/streaming'
import {formatEvent, type ServerSentEvent} from '../../src/server/index.js'

// Other writers of event streams, driven through their documented APIs with the same events.

/** What a writer made of a list of events: the wire text, or the error it threw. */
export type Written = {text: string; decodeData?: (data: string) => string} | {refused: unknown}

/** A writer: its name, the fields it has an API for, and how to write a list of events with it. */
export interface Writer {
  readonly name: string
  readonly fields: ReadonlySet<keyof ServerSentEvent>
  write(events: readonly ServerSentEvent[]): Promise<Written>
}

const ALL = new Set<keyof ServerSentEvent>(['data', 'event', 'id', 'retry', 'comment'])

/** The fields of `event` a writer has an API for (a comment is invisible to clients anyway). */
export const only = (event: ServerSentEvent, fields: ReadonlySet<keyof ServerSentEvent>): ServerSentEvent =>
  Object.fromEntries(Object.entries(event).filter(([key]) => fields.has(key as keyof ServerSentEvent))) as ServerSentEvent

export const ours: Writer = {
  name: 'eventsource-kit/server',
  fields: ALL,
  async write(events) {
    try {
      return {text: events.map(formatEvent).join('')}
    } catch (error) {
      return {refused: error}
    }
  },
}

const HONO_FIELDS = new Set<keyof ServerSentEvent>(['data', 'event', 'id', 'retry'])
export const hono: Writer = {
  name: 'Hono streamSSE',
  fields: HONO_FIELDS,
  async write(events) {
    let refused: unknown
    const app = new Hono()
    app.get('/', (c) =>
      streamSSE(c, async (stream) => {
        try {
          for (const event of events) {
            const {data, ...rest} = only(event, HONO_FIELDS)
            await stream.writeSSE({data: data as string, ...rest} as Parameters<typeof stream.writeSSE>[0])
          }
        } catch (error) {
          refused = error
        }
      }),
    )
    const text = await (await app.request('/')).text()
    return refused === undefined ? {text} : {refused}
  },
}

export const h3: Writer = {
  name: 'h3 createEventStream',
  fields: ALL,
  async write(events) {
    let refused: unknown
    const app = new H3()
    app.get('/', (event) => {
      const stream = createEventStream(event)
      void (async () => {
        try {
          for (const {comment, ...message} of events) {
            if (comment !== undefined) await stream.pushComment(comment)
            await stream.push(message as Parameters<typeof stream.push>[0] & object)
          }
        } catch (error) {
          refused = error
        } finally {
          await stream.close()
        }
      })()
      return stream
    })
    const text = await (await app.fetch(new Request('http://127.0.0.1/'))).text()
    return refused === undefined ? {text} : {refused}
  },
}

/** better-sse through its EventBuffer (what Session#push writes with), with a serializer. */
function betterSse(name: string, serializer: ((data: unknown) => string) | undefined, decodeData?: (data: string) => string): Writer {
  return {
    name,
    fields: ALL,
    async write(events) {
      try {
        const buffer = createEventBuffer(serializer ? {serializer} : {})
        for (const {data, event, id, retry, comment} of events) {
          if (comment !== undefined) buffer.comment(comment)
          if (event !== undefined) buffer.event(event)
          if (id !== undefined) buffer.id(id)
          if (retry !== undefined) buffer.retry(retry)
          if (data !== undefined) buffer.data(data)
          buffer.dispatch()
        }
        return decodeData ? {text: buffer.read(), decodeData} : {text: buffer.read()}
      } catch (error) {
        return {refused: error}
      }
    },
  }
}

/** The client parses what the default JSON serializer wrote (or keeps it when it is not JSON). */
const parseJson = (data: string): string => {
  try {
    return JSON.parse(data) as string
  } catch {
    return data
  }
}

export const betterSseJson = betterSse('better-sse (JSON)', undefined, parseJson)
export const betterSseText = betterSse('better-sse (String)', String)

export const PEERS: readonly Writer[] = [hono, betterSseJson, betterSseText, h3]
