/**
 * The `eventsource-kit` command: tails a server-sent events endpoint (Node only).
 * @packageDocumentation
 */
import {existsSync, readFileSync} from 'node:fs'
import process from 'node:process'
import {HELP, parseCommandLine, USAGE, UsageError} from './args.js'
import {humanPrinter, isColorStream, jsonPrinter, type Output, type Printer, rawPrinter} from './printers.js'
import {EXIT_FAILED, EXIT_OK, EXIT_USAGE, run} from './run.js'

/** The package version, from the package.json above this file (dist/ or src/cli/). */
function version(): string {
  for (const path of ['../package.json', '../../package.json']) {
    const url = new URL(path, import.meta.url)
    if (!existsSync(url)) continue
    const manifest = JSON.parse(readFileSync(url, 'utf8')) as {name?: string; version?: string}
    if (manifest.name === 'eventsource-kit' && manifest.version) return manifest.version
  }
  return 'unknown'
}

function output(stream: NodeJS.WriteStream): Output {
  return {write: (text) => void stream.write(text), isColor: isColorStream(stream, process.env)}
}

/** Writes everything pending on stdout and stderr, then exits. */
function exit(status: number): void {
  let pending = 2
  const done = (): void => {
    if (--pending === 0) process.exit(status)
  }
  process.stdout.write('', done)
  process.stderr.write('', done)
}

async function main(args: readonly string[]): Promise<number> {
  const stdout = output(process.stdout)
  const stderr = output(process.stderr)
  try {
    const command = parseCommandLine(args)
    if (command.kind === 'help') {
      stdout.write(`${HELP}\n`)
      return EXIT_OK
    }
    if (command.kind === 'version') {
      stdout.write(`${version()}\n`)
      return EXIT_OK
    }
    const {options} = command
    const printer: Printer = options.output === 'json' ? jsonPrinter(stdout, stderr) : options.output === 'raw' ? rawPrinter(stdout, stderr) : humanPrinter(stdout, stderr)
    return await run(options, {
      printer,
      onInterrupt(stop) {
        process.on('SIGINT', stop)
        return () => process.off('SIGINT', stop)
      },
    })
  } catch (error) {
    if (error instanceof UsageError) {
      stderr.write(`eventsource-kit: ${error.message}\n${USAGE}\n`)
      return EXIT_USAGE
    }
    stderr.write(`eventsource-kit: ${error instanceof Error ? error.message : String(error)}\n`)
    return EXIT_FAILED
  }
}

// A reader that went away (`| head`) is a clean stop, not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT_OK)
})

exit(await main(process.argv.slice(2)))
