// What a consumer does with the installed tarball, shared by esm.mjs and cjs.cjs (CommonJS, so both
// load it without require(esm): the only ESM required is the package itself). Starts an SSE server on
// 127.0.0.1, receives a named and an unnamed event, then an HttpError, closes everything and lets the
// process exit by itself. Run by scripts/check-package.mjs inside a temporary consumer project.
/* eslint-disable @typescript-eslint/no-require-imports */
/* global require, module */
'use strict'
const assert = require('node:assert/strict')
const {realpathSync} = require('node:fs')
const {createServer} = require('node:http')
const path = require('node:path')

const TIMEOUT_MS = 15_000

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)))
}

function onceEvent(target, type) {
  return new Promise((resolve) => target.addEventListener(type, resolve, {once: true}))
}

/**
 * @param {typeof import('eventsource-kit')} lib the package as the consumer loaded it
 * @param {{mode: string, resolved: string, polyfill: () => Promise<unknown>}} how the entry loaded it
 */
async function run(lib, {mode, resolved, polyfill}) {
  const label = `${mode} consumer on node ${process.versions.node}`
  const watchdog = setTimeout(() => {
    console.error(`not ok - ${label}: timed out after ${TIMEOUT_MS} ms`)
    process.exit(1)
  }, TIMEOUT_MS)
  watchdog.unref()

  // The module is the installed tarball's copy, not the repository's dist/.
  const expected = path.join(realpathSync(process.cwd()), 'node_modules', 'eventsource-kit', 'dist', 'index.js')
  assert.equal(realpathSync(resolved), expected, 'eventsource-kit resolves into the consumer node_modules')

  const seen = []
  const server = createServer((req, res) => {
    seen.push({url: req.url, accept: req.headers.accept})
    if (req.url === '/fail') {
      res.writeHead(500, {'content-type': 'text/plain'}).end('nope')
      return
    }
    res.writeHead(200, {'content-type': 'text/event-stream'})
    res.write('retry: 50\nid: 7\nevent: greeting\ndata: hello\n\ndata: {"n":2}\n\n')
  })
  const base = await listen(server)
  try {
    const source = new lib.EventSource(`${base}/stream`)
    const greeting = onceEvent(source, 'greeting')
    const message = onceEvent(source, 'message')
    const [named, unnamed] = await Promise.all([greeting, message])
    source.close()
    assert.deepEqual([named.data, named.lastEventId, JSON.parse(unnamed.data).n, source.readyState], ['hello', '7', 2, lib.EventSource.CLOSED])

    const failing = new lib.EventSource(`${base}/fail`)
    const {error, willReconnect} = await onceEvent(failing, 'error')
    assert.ok(error instanceof lib.HttpError && error instanceof lib.EventSourceError, `HttpError expected, got ${error}`)
    assert.deepEqual([error.status, error.body, willReconnect, failing.readyState], [500, 'nope', false, lib.EventSource.CLOSED])
    assert.match(String(seen[0]?.accept), /text\/event-stream/)

    await polyfill()
    assert.equal(typeof globalThis.EventSource, 'function', 'the polyfill leaves an EventSource on globalThis')
  } finally {
    server.closeAllConnections()
    server.close()
    clearTimeout(watchdog)
  }
  console.log(`ok - ${label}`)
}

module.exports = {run}
