// The entry eventsource-kit/parse must stay small and free of the EventSource: its bundle (the same
// rolldown bundle scripts/size.mjs measures, built here from src/) holds the decoder, the response
// check and its errors, and nothing of the class, DOM events or the reconnection loop.
import {fileURLToPath} from 'node:url'
import {rolldown} from 'rolldown'
import {describe, expect, it} from 'vitest'

const ENTRY = fileURLToPath(new URL('../src/parse/index.ts', import.meta.url))

async function bundle(): Promise<{code: string; modules: string[]}> {
  const build = await rolldown({input: ENTRY, platform: 'browser', logLevel: 'silent'})
  try {
    const {output} = await build.generate({format: 'es', minify: true})
    const [chunk] = output
    if (chunk?.type !== 'chunk') throw new Error('no chunk')
    return {code: chunk.code, modules: Object.keys(chunk.modules).map((id) => id.replace(/\\/g, '/'))}
  } finally {
    await build.close()
  }
}

describe('the eventsource-kit/parse bundle', () => {
  it('holds the shared decoder and response check, and none of the EventSource, its DOM events or its reconnection code', async () => {
    const {code, modules} = await bundle()
    const ours = modules.filter((id) => id.includes('/src/')).map((id) => id.slice(id.lastIndexOf('/src/') + 5))
    expect(ours.sort()).toEqual(['core/body.ts', 'core/decode.ts', 'core/errors.ts', 'core/mime.ts', 'core/response.ts', 'parse/index.ts'])
    expect(modules.some((id) => id.includes('eventsource-parser'))).toBe(true)
    // (eventsource-parser has a function of its own named dispatchEvent: look for the DOM's uses instead.)
    for (const word of ['EventTarget', 'MessageEvent', '.dispatchEvent(', 'new Event(', 'readyState', 'willReconnect', 'retry-after', 'about:event-stream']) {
      expect(code.includes(word), word).toBe(false)
    }
  })
})
