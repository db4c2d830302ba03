import {spawn} from 'node:child_process'
import {fileURLToPath} from 'node:url'

// Runs a TypeScript fixture in its own Node process (the project's Node, which strips types; the
// register hook maps the sources' `./x.js` imports to `./x.ts`), for what must be measured alone:
// heap, RSS, live handles, and whether the process exits by itself.

const register = fileURLToPath(new URL('../fixtures/register.mjs', import.meta.url))

/** How a child process ended. */
export interface ChildResult {
  /** The exit code, `null` if killed by a signal. */
  readonly code: number | null
  /** True if the child was still running after `timeoutMs` and had to be killed. */
  readonly timedOut: boolean
  readonly stdout: string
  readonly stderr: string
  /** From spawn to exit. */
  readonly durationMs: number
}

export interface ChildOptions {
  /** Extra Node flags, e.g. `--expose-gc`. */
  readonly nodeArgs?: readonly string[]
  /** Kill the child (SIGKILL) if it has not exited by then. */
  readonly timeoutMs: number
}

/** Runs `fixture` (a path relative to this folder) with `args`; always resolves, never leaves the child running. */
export function runChild(fixture: string, args: readonly string[], {nodeArgs = [], timeoutMs}: ChildOptions): Promise<ChildResult> {
  const file = fileURLToPath(new URL(fixture, import.meta.url))
  const started = performance.now()
  const child = spawn(process.execPath, ['--no-warnings', ...nodeArgs, '--import', register, file, ...args], {stdio: ['ignore', 'pipe', 'pipe']})
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve) => {
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({code, timedOut, stdout, stderr, durationMs: Math.round(performance.now() - started)})
    })
  })
}

/** The JSON object on the child's last stdout line. */
export function lastJsonLine<T>(result: ChildResult): T {
  const line = result.stdout.trim().split('\n').at(-1) ?? ''
  try {
    return JSON.parse(line) as T
  } catch {
    throw new Error(`the child printed no JSON (exit ${result.code}${result.timedOut ? ', timed out' : ''}):\n${result.stdout}\n${result.stderr}`)
  }
}
