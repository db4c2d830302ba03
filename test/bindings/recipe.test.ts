// The README's TanStack Query recipe, without TanStack Query: `streamedQuery` runs `for await` over
// what `streamFn` returns and stops when the query's signal aborts. This is that loop.
import {iterate} from '../../src/iterate/index.js'
import {describe, expect, it, vi} from 'vitest'
import {EventSource} from '../../src/index.js'
import {hold, streamServer} from './streams.js'

/** The recipe's `answerTokens`, with the URL as a parameter. */
async function* answerTokens(url: string, prompt: string, signal: AbortSignal): AsyncGenerator<string> {
  const source = new EventSource<'token' | 'done'>(url, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({prompt}), signal})
  for await (const event of iterate(source)) {
    if (event.type === 'done') break
    if (event.type === 'token') yield event.data
  }
}

describe('the streamedQuery recipe', () => {
  it('[non-spec] reduces the tokens until done, then the request ends', async () => {
    const server = await streamServer((_req, res) => hold(res, 'event: token\ndata: Hel\n\nevent: token\ndata: lo\n\nevent: done\ndata:\n\n'))
    let text = ''
    for await (const token of answerTokens(server.url, 'hi', new AbortController().signal)) text += token
    expect(text).toBe('Hello')
    expect(server.requests[0]).toMatchObject({method: 'POST', body: '{"prompt":"hi"}'})
    await vi.waitFor(() => expect(server.timeline).toEqual(['+0', '-0']))
  })

  it('[non-spec] stops when the query signal aborts, and the request ends', async () => {
    const server = await streamServer((_req, res) => hold(res, 'event: token\ndata: first\n\n'))
    const query = new AbortController()
    const tokens: string[] = []
    for await (const token of answerTokens(server.url, 'hi', query.signal)) {
      tokens.push(token)
      query.abort()
    }
    expect(tokens).toEqual(['first'])
    await vi.waitFor(() => expect(server.timeline).toEqual(['+0', '-0']))
  })
})
