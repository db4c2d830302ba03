// The smoke suite as a Cloudflare Worker (ES module syntax): a request to it runs every case of
// test/runtimes/cases.mjs against the smoke server named by its `base` query parameter and answers
// with the lines the other runtimes print. test/runtimes/workerd.mjs bundles it and runs it in workerd.
/* global Response */
import {cases, runSmokeCases} from './cases.mjs'

export default {
  async fetch(request) {
    const base = new URL(request.url).searchParams.get('base')
    if (!base) return new Response('missing ?base=<smoke server URL>\n', {status: 400})
    const lines = []
    const failed = await runSmokeCases(base, {log: (line) => lines.push(line)})
    lines.push(`# ${Object.keys(cases).length - failed} passed, ${failed} failed`)
    return new Response(`${lines.join('\n')}\n`, {headers: {'content-type': 'text/plain; charset=utf-8'}})
  },
}
