import type {CliRecord, ErrorRecord} from './records.js'

/** Where the printers write: stdout and stderr, or what a test passes. */
export interface Output {
  write(text: string | Uint8Array): void
  readonly isColor: boolean
}

/** Shows records; the raw printer also gets the bytes of each event stream. */
export interface Printer {
  print(record: CliRecord): void
  bytes?(chunk: Uint8Array): void
}

const COLORS = {dim: 2, red: 31, green: 32, yellow: 33, cyan: 36} as const
// The start of an error body shown by the human printer (the error itself keeps up to 1 KiB).
const BODY_PREVIEW_CHARS = 300

/**
 * Whether to colour a stream: a TTY, and no `NO_COLOR` (https://no-color.org: set and not empty).
 * @param env - the environment variables
 */
export function isColorStream(stream: {isTTY?: boolean}, env: Record<string, string | undefined>): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '')
}

function paint(isColor: boolean, color: keyof typeof COLORS, text: string): string {
  return isColor ? `\u001B[${COLORS[color]}m${text}\u001B[0m` : text
}

function clock(time: Date): string {
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0')
  return `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}.${pad(time.getMilliseconds(), 3)}`
}

/** One line for any text: line breaks and other control characters escaped. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001F\u007F\\]/g, (char) => (char === '\n' ? '\\n' : char === '\r' ? '\\r' : char === '\t' ? '\\t' : char === '\\' ? '\\\\' : `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`))
}

function errorLines(record: ErrorRecord, isColor: boolean, indent: string): string[] {
  const lines: string[] = []
  for (const [name, value] of Object.entries(record.headers ?? {})) lines.push(`${indent}${paint(isColor, 'dim', `${name}:`)} ${oneLine(value)}`)
  if (record.body !== undefined) {
    const preview = record.body.length > BODY_PREVIEW_CHARS ? `${record.body.slice(0, BODY_PREVIEW_CHARS)}…` : record.body
    lines.push(`${indent}${paint(isColor, 'dim', 'body:')} ${oneLine(preview)}`)
  }
  return lines
}

/** The human lines of one record. */
export function formatHuman(record: CliRecord, isColor: boolean): string {
  const time = paint(isColor, 'dim', clock(record.time))
  const indent = ' '.repeat(13)
  switch (record.kind) {
    case 'event':
      return `${time} ${paint(isColor, 'cyan', record.type)}${record.id === '' ? '' : ` ${paint(isColor, 'dim', `id=${oneLine(record.id)}`)}`} ${oneLine(record.data)}\n`
    case 'open':
      return `${time} ${paint(isColor, 'green', 'open')} ${record.status} ${record.url}${record.headers['content-type'] ? ` (${record.headers['content-type']})` : ''}\n`
    case 'warning':
      return `${time} ${paint(isColor, 'yellow', `warning ${record.code}`)}: ${record.message}\n`
    case 'error': {
      const reason = record.name === null ? record.message : `${record.name}: ${record.message}`
      const head = record.willReconnect
        ? `${time} ${paint(isColor, 'yellow', `reconnecting in ${record.reconnectDelay} ms`)}: ${reason}`
        : `${time} ${paint(isColor, 'red', 'failed')}: ${reason}`
      return [head, ...errorLines(record, isColor, indent)].join('\n') + '\n'
    }
  }
}

/** The `--json` line of one record: its fields, the time as an ISO string. */
export function formatJson(record: CliRecord): string {
  return `${JSON.stringify({...record, time: record.time.toISOString()})}\n`
}

/**
 * The default view: events, opens and reconnections on stdout; warnings and the fatal error on stderr.
 */
export function humanPrinter(stdout: Output, stderr: Output): Printer {
  return {
    print(record) {
      const isToStderr = record.kind === 'warning' || (record.kind === 'error' && !record.willReconnect)
      const output = isToStderr ? stderr : stdout
      output.write(formatHuman(record, output.isColor))
    },
  }
}

/** `--json`: every record as one JSON line on stdout; warnings also as a human line on stderr. */
export function jsonPrinter(stdout: Output, stderr: Output): Printer {
  return {
    print(record) {
      stdout.write(formatJson(record))
      if (record.kind === 'warning') stderr.write(formatHuman(record, stderr.isColor))
    },
  }
}

/** `--raw`: stdout carries only the bytes of each event stream; every record goes to stderr in human form. */
export function rawPrinter(stdout: Output, stderr: Output): Printer {
  return {
    print(record) {
      if (record.kind !== 'event') stderr.write(formatHuman(record, stderr.isColor))
    },
    bytes(chunk) {
      stdout.write(chunk)
    },
  }
}
