// The smoke suite as a Cloudflare Worker (ES module syntax): a request to it runs every case of
// test/runtimes/cases.mjs against the smoke server named by its `base` query parameter and answers
// with the lines the other runtimes print. test/runtimes/workerd.mjs bundles it and runs it in workerd.
/* global Response */
import {cases, runSmokeCases} from './cases.mjs'

// The handler a case serves (see `serve` below), at /serve on this Worker's own origin.
let served

export default {
  async fetch(request) {
    const url = new URL(request.url)
    if (url.pathname === '/serve') return served ? served(request) : new Response('nothing served\n', {status: 404})
    const base = url.searchParams.get('base')
    if (!base) return new Response('missing ?base=<smoke server URL>\n', {status: 400})
    // workerd serves a case's handler itself: the case's client fetches this Worker's origin (a
    // loopback address its outbound network allows), which workerd answers with `served`.
    const serve = async (handler) => {
      served = handler
      return {url: `${url.origin}/serve`, close: async () => void (served = undefined)}
    }
    const lines = []
    const failed = await runSmokeCases(base, {log: (line) => lines.push(line), serve})
    lines.push(`# ${Object.keys(cases).length - failed} passed, ${failed} failed`)
    return new Response(`${lines.join('\n')}\n`, {headers: {'content-type': 'text/plain; charset=utf-8'}})
  },
}
