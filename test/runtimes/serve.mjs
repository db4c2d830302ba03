// How each runtime serves a fetch handler (`(request) => Response`) over HTTP on 127.0.0.1, port 0,
// for the eventStream case of test/runtimes/cases.mjs: Deno.serve, Bun.serve, and for Node a
// node:http server that hands the handler a Request and writes its Response back (as Node adapters
// of web frameworks do). workerd serves through the Worker itself (test/runtimes/worker.mjs).
/* global Request, AbortController */

/**
 * Starts a server for `handler` in this runtime.
 * @returns {Promise<{url: string, close: () => Promise<void>}>}
 */
export async function serve(handler) {
  if (globalThis.Deno) {
    const server = globalThis.Deno.serve({hostname: '127.0.0.1', port: 0, onListen() {}}, handler)
    return {url: `http://127.0.0.1:${server.addr.port}/`, close: () => server.shutdown()}
  }
  if (globalThis.Bun) {
    const server = globalThis.Bun.serve({hostname: '127.0.0.1', port: 0, fetch: handler})
    return {url: `http://127.0.0.1:${server.port}/`, close: async () => server.stop(true)}
  }
  const {createServer} = await import('node:http')
  const server = createServer(async (req, res) => {
    const controller = new AbortController()
    const headers = Object.entries(req.headers).filter(([, value]) => typeof value === 'string')
    const response = await handler(new Request(new URL(req.url ?? '/', 'http://127.0.0.1'), {headers, signal: controller.signal}))
    res.writeHead(response.status, Object.fromEntries(response.headers))
    res.flushHeaders()
    const reader = response.body.getReader()
    // The client left: cancelling the body is how the runtime tells the handler.
    res.on('close', () => {
      controller.abort()
      reader.cancel().catch(() => {})
    })
    try {
      for (let result = await reader.read(); !result.done; result = await reader.read()) res.write(result.value)
      res.end()
    } catch {
      res.destroy()
    }
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
