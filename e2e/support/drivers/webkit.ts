// WebKit through WebKitWebDriver (WebKitGTK's classic WebDriver over HTTP, spoken here with fetch),
// which drives its MiniBrowser. MiniBrowser needs a display, so the driver runs under `xvfb-run`.
import {type ChildProcess, spawn} from 'node:child_process'
import type {Driver, Session} from '../driver.js'
import {freePort} from '../free-port.js'

const STARTUP_MS = 30_000

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Sends one WebDriver command and returns its `value`; a WebDriver error becomes an Error. */
async function command(base: string, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(base + path, {
    method,
    ...(body === undefined ? {} : {headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)}),
  })
  const {value} = (await response.json()) as {value: unknown}
  if (!response.ok) {
    const {error, message} = value as {error?: string; message?: string}
    throw new Error(`WebDriver ${method} ${path}: ${error ?? response.status}: ${message ?? ''}`)
  }
  return value
}

async function whenReady(base: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + STARTUP_MS
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited with ${child.exitCode}`)
    try {
      const {ready} = (await command(base, 'GET', '/status')) as {ready?: boolean}
      if (ready) return
    } catch {
      // Not listening yet.
    }
    await delay(100)
  }
  throw new Error(`WebKitWebDriver did not answer within ${STARTUP_MS} ms`)
}

/**
 * The page-side wrapper of an evaluated function: `arguments` are the function's source, its
 * argument and the WebDriver callback; an exception comes back as `{error}`.
 */
const EXECUTE = `const [source, arg, done] = arguments
Promise.resolve()
  .then(() => (0, eval)('(' + source + ')')(arg))
  .then((value) => done({value}), (error) => done({error: String(error && error.stack || error)}))`

/** Starts WebKitWebDriver (under xvfb-run) from `driverPath` and one MiniBrowser session. */
export async function launchWebKit(driverPath: string): Promise<Session> {
  const port = await freePort()
  // -a picks a free display; a random start keeps parallel workers from racing for the same one.
  const display = String(100 + Math.floor(Math.random() * 800))
  const child = spawn('xvfb-run', ['-a', '-n', display, driverPath, `--port=${port}`], {detached: true, stdio: 'ignore'})
  const stop = (): void => {
    // The process group: xvfb-run, Xvfb, the driver and its MiniBrowser.
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM')
  }
  const base = `http://127.0.0.1:${port}`
  try {
    await whenReady(base, child)
    const {sessionId} = (await command(base, 'POST', '/session', {capabilities: {alwaysMatch: {timeouts: {script: 120_000, pageLoad: 30_000}}}})) as {sessionId: string}
    const session = `/session/${sessionId}`
    const driver: Driver = {
      engine: 'webkit',
      goto: async (url) => void (await command(base, 'POST', `${session}/url`, {url})),
      async evaluate(fn, arg) {
        const result = (await command(base, 'POST', `${session}/execute/async`, {script: EXECUTE, args: [fn.toString(), arg]})) as {value?: unknown; error?: string}
        if (result.error !== undefined) throw new Error(`in the page: ${result.error}`)
        return result.value as never
      },
      // [WebDriver] Add Cookie needs a document of the cookie's domain: the caller has loaded one.
      setCookie: async ({name, value, domain}) => void (await command(base, 'POST', `${session}/cookie`, {cookie: {name, value, domain, path: '/'}})),
      // One MiniBrowser per worker: a test ends by leaving its page, which ends its connections.
      close: () => driver.goto('about:blank'),
    }
    return {
      open: async () => driver,
      async close() {
        await command(base, 'DELETE', session).catch(() => undefined)
        stop()
      },
    }
  } catch (error) {
    stop()
    throw error
  }
}
