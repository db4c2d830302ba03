// POST /api/chat: a pretend LLM. It checks the bearer token, reads {prompt} from a JSON body and
// streams a canned answer token by token as `event: token`, then `event: done`.
import {readText, sendJson} from './http.mjs'

const ANSWERS = [
  {
    match: /haiku|poem/i,
    text: 'Bytes drift down the wire,\nan id marks where we left off;\nthe stream finds its place.',
  },
  {
    match: /reconnect|retry|resume|last-event-id/i,
    text:
      'When a stream drops, the source waits its reconnection time and asks again, sending the id of the last event it saw as Last-Event-ID. ' +
      'The server starts right after that id, so nothing is lost and nothing is repeated.',
  },
  {
    match: /.*/s,
    text:
      'Server-sent events are plain HTTP: one long response of text/event-stream lines. ' +
      'Because this EventSource is built on fetch, it can POST a JSON prompt with an Authorization header, ' +
      'which the browser\'s own EventSource cannot, and stream the answer back token by token, like this one.',
  },
]

/** Splits text into word-sized tokens, keeping the spaces and newlines, the way chat models stream. */
export function tokenize(text) {
  return text.match(/\s*[^\s]{1,7}/g) ?? []
}

/**
 * Creates the /api/chat handler; `tokenMs` is the pause between tokens, `writeEventStream` the one
 * of eventsource-kit/server.
 */
export function createChat({tokenMs, writeEventStream}) {
  return async function chat(req, res) {
    if (req.method !== 'POST') return sendJson(res, 405, {error: 'use POST'}, {Allow: 'POST'})
    if (!/^Bearer \S+$/.test(req.headers.authorization ?? '')) {
      return sendJson(res, 401, {error: 'Missing bearer token'}, {'WWW-Authenticate': 'Bearer'})
    }
    let prompt
    try {
      prompt = JSON.parse(await readText(req)).prompt
    } catch {
      return sendJson(res, 400, {error: 'Expected a JSON body'})
    }
    if (typeof prompt !== 'string' || prompt.trim() === '') return sendJson(res, 400, {error: 'Expected {"prompt": "..."}'})

    const answer = ANSWERS.find(({match}) => match.test(prompt)).text
    const tokens = tokenize(answer)
    // One token per `tokenMs`; the generator stops (its timer with it) when the client goes away.
    await writeEventStream(
      res,
      async function* ({signal}) {
        for (const text of tokens) {
          await new Promise((resolve) => setTimeout(resolve, tokenMs))
          if (signal.aborted) return
          yield {event: 'token', data: JSON.stringify({text})}
        }
        yield {event: 'done', data: JSON.stringify({tokens: tokens.length})}
      },
      {heartbeatMs: 0},
    ).catch((error) => console.error('demo /api/chat:', error))
  }
}
