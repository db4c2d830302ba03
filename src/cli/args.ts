import {readFileSync} from 'node:fs'
import {parseArgs} from 'node:util'

/** The one-line usage, printed with every argument error. */
export const USAGE =
  "usage: eventsource-kit URL [-H 'Name: value']... [-X METHOD] [-d BODY | -d @file] [--last-event-id ID] [--json | --raw] [--events a,b] [--max-retries N] [--inactivity-timeout MS] [--timeout MS] [--count N]"

/** The help text of `--help`. */
export const HELP = `${USAGE}

Tail a server-sent events endpoint: print its events, opens, reconnections and errors, and warn
about what commonly breaks a stream (compression, buffering proxies, a body that is not an event stream).

  -H, --header 'Name: value'   add a request header (repeatable)
  -X, --request METHOD         HTTP method (default GET, or POST with -d)
  -d, --data BODY | @file      request body, re-sent on every reconnection
  --last-event-id ID           send Last-Event-ID from the first request on
  --json                       one JSON object per line: events, opens, errors, warnings
  --raw                        the bytes of the stream as received (status lines go to stderr)
  --events a,b                 print only these event types (default: every type)
  --max-retries N              give up after N reconnections in a row without an open
  --inactivity-timeout MS      reconnect when no byte arrives for MS milliseconds
  --timeout MS                 stop after MS milliseconds (exit 0)
  --count N                    stop after N events (exit 0)
  -h, --help                   show this help
  --version                    print the version

Exit status: 0 after --count, --timeout or Ctrl-C; 1 on a fatal error; 2 on bad arguments.`

// What the command can read: the web's schemes, and data: for a canned stream.
const FETCHABLE_SCHEMES = new Set(['http:', 'https:', 'data:'])

/** How the records are shown. */
export type OutputMode = 'human' | 'json' | 'raw'

/** The parsed command line of a run. */
export interface CliOptions {
  readonly url: string
  readonly method: string | undefined
  readonly headers: Headers
  readonly body: string | Uint8Array | undefined
  readonly lastEventId: string | undefined
  readonly output: OutputMode
  /** Event types to print; `undefined` prints every type. */
  readonly events: ReadonlySet<string> | undefined
  readonly maxRetries: number | undefined
  readonly inactivityTimeoutMs: number | undefined
  readonly timeoutMs: number | undefined
  readonly count: number | undefined
}

/** What the command line asks for. */
export type Command = {kind: 'run'; options: CliOptions} | {kind: 'help'} | {kind: 'version'}

/** A bad command line: exit status 2, the message and the usage line, never a stack trace. */
export class UsageError extends Error {
  override name = 'UsageError'
}

function wholeNumber(option: string, value: string | undefined, minimum: number): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value) || Number(value) < minimum || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${option} must be a whole number >= ${minimum}, got ${JSON.stringify(value)}`)
  }
  return Number(value)
}

function parseHeaders(values: readonly string[]): Headers {
  const headers = new Headers()
  for (const value of values) {
    const colon = value.indexOf(':')
    if (colon <= 0) throw new UsageError(`-H expects 'Name: value', got ${JSON.stringify(value)}`)
    try {
      headers.append(value.slice(0, colon).trim(), value.slice(colon + 1).trim())
    } catch {
      throw new UsageError(`-H ${JSON.stringify(value)} is not a valid header`)
    }
  }
  return headers
}

function readBody(value: string | undefined): string | Uint8Array | undefined {
  if (value === undefined || !value.startsWith('@')) return value
  try {
    return new Uint8Array(readFileSync(value.slice(1)))
  } catch (error) {
    throw new UsageError(`-d ${value}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }
}

function parseEvents(value: string | undefined): ReadonlySet<string> | undefined {
  if (value === undefined) return undefined
  const names = value.split(',').map((name) => name.trim())
  if (names.some((name) => name === '')) throw new UsageError(`--events expects comma-separated event types, got ${JSON.stringify(value)}`)
  return new Set(names)
}

/**
 * Parses the arguments after `eventsource-kit`.
 * @throws UsageError for anything the command cannot run with
 */
export function parseCommandLine(args: readonly string[]): Command {
  let parsed
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        header: {type: 'string', short: 'H', multiple: true},
        request: {type: 'string', short: 'X'},
        data: {type: 'string', short: 'd'},
        'last-event-id': {type: 'string'},
        json: {type: 'boolean'},
        raw: {type: 'boolean'},
        events: {type: 'string'},
        'max-retries': {type: 'string'},
        'inactivity-timeout': {type: 'string'},
        timeout: {type: 'string'},
        count: {type: 'string'},
        help: {type: 'boolean', short: 'h'},
        version: {type: 'boolean'},
      },
    })
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  const {values, positionals} = parsed
  if (values.help) return {kind: 'help'}
  if (values.version) return {kind: 'version'}
  if (positionals.length === 0) throw new UsageError('missing URL')
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])} (one URL only)`)
  const url = positionals[0] as string
  // "localhost:3000/events" parses as a URL of scheme "localhost:": ask for the scheme instead.
  if (!URL.canParse(url) || !FETCHABLE_SCHEMES.has(new URL(url).protocol)) {
    throw new UsageError(`invalid URL ${JSON.stringify(url)} (an absolute http: or https: URL is needed, e.g. http://localhost:3000/events)`)
  }
  if (values.json && values.raw) throw new UsageError('--json and --raw cannot be combined')
  const body = readBody(values.data)
  return {
    kind: 'run',
    options: {
      url,
      // Like curl: a body without -X is a POST.
      method: values.request ?? (body === undefined ? undefined : 'POST'),
      headers: parseHeaders(values.header ?? []),
      body,
      lastEventId: values['last-event-id'],
      output: values.json ? 'json' : values.raw ? 'raw' : 'human',
      events: parseEvents(values.events),
      maxRetries: wholeNumber('max-retries', values['max-retries'], 0),
      inactivityTimeoutMs: wholeNumber('inactivity-timeout', values['inactivity-timeout'], 1),
      timeoutMs: wholeNumber('timeout', values.timeout, 1),
      count: wholeNumber('count', values.count, 1),
    },
  }
}
