// Benchmark 6: events/s in Chromium, ours vs the browser's own EventSource, on the same token stream,
// alternating runs in one page. Chromium is started headless by this script with NO DevTools client
// (Playwright or any DevTools session makes Chromium report every native EventSource message to the
// client, which slows the native side about tenfold). The page POSTs its figures to the bench server.
import {execFileSync, spawn} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {BROWSER_CONDITIONS, entryInDist} from './lib/dist.mjs'
import {mismatch, num, ratio, spread, table, target} from './lib/report.mjs'
import {summarize} from './lib/stats.mjs'
import {tokenExpectation} from './lib/stream.mjs'

export const name = 'chromium'
export const title = 'Chromium: ours vs native EventSource'

const LABELS = {native: 'native EventSource', kit: 'eventsource-kit'}
// The flags the e2e tests use (no sandbox or GPU in containers, nothing that reaches the network).
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

function settings(quick) {
  return quick ? {events: 50_000, reps: 3} : {events: 200_000, reps: 7}
}

export function streamSizes(quick) {
  return [settings(quick).events, Math.min(settings(quick).events, 20_000)]
}

function chromiumPath() {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
}

/** "Chromium 156.0.8078.79" from `chromium --version` (the user agent string hides the minor numbers). */
function chromiumVersion() {
  try {
    const output = execFileSync(chromiumPath(), ['--version'], {encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore']})
    return /(Chrom\w+ [\d.]+)/.exec(output)?.[1]
  } catch {
    return undefined
  }
}

/** Starts Chromium in its own process group with a fresh profile; stop() kills the group and removes the profile. */
function startChromium(url) {
  const profile = mkdtempSync(join(tmpdir(), 'esp-bench-chromium-'))
  const child = spawn(chromiumPath(), [...FLAGS, `--user-data-dir=${profile}`, url], {stdio: 'ignore', detached: true})
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.once('error', () => {})
  return {
    async stop() {
      const signal = (name) => {
        try {
          process.kill(-child.pid, name)
        } catch {
          // The group is gone already.
        }
      }
      signal('SIGTERM')
      const killed = await Promise.race([exited.then(() => true), new Promise((resolve) => setTimeout(resolve, 3000, false))])
      if (!killed) signal('SIGKILL')
      // Helper processes of the group may outlive the main one briefly; give them a moment, then clean up.
      await new Promise((resolve) => setTimeout(resolve, 500))
      signal('SIGKILL')
      rmSync(profile, {recursive: true, force: true, maxRetries: 5, retryDelay: 200})
    },
  }
}

export async function run({quick, serverUrl, server, log}) {
  const {events, reps} = settings(quick)
  const expected = tokenExpectation(events)
  const runTimeoutMs = 120_000
  if (!existsSync(chromiumPath())) {
    return {
      markdown: `Not measured: no Chromium at ${chromiumPath()} (set CHROMIUM_PATH).`,
      targets: [target('Chromium events/s ≥ native EventSource', false, 'not measured (no Chromium)')],
      failures: [],
    }
  }
  const failures = []
  const samples = {native: [], kit: []}
  let userAgent = ''
  // The build a browser bundler picks: package.json exports under the browser condition.
  const entry = `/dist/${entryInDist('.', BROWSER_CONDITIONS)}`
  const browser = startChromium(`${serverUrl}/page.html?n=${events}&reps=${reps}&timeout=${runTimeoutMs}&entry=${encodeURIComponent(entry)}`)
  try {
    await new Promise((resolve, reject) => {
      // Bounded: startup, two warm-ups and every run, each at most runTimeoutMs.
      const overall = setTimeout(() => finish(new Error('Chromium benchmark timed out')), 60_000 + (2 * reps + 2) * runTimeoutMs)
      let idle = setTimeout(() => finish(new Error('no report from the page within 60 s of starting Chromium')), 60_000)
      const onMessage = ({report} = {}) => {
        if (!report) return
        clearTimeout(idle)
        idle = setTimeout(() => finish(new Error('the page went silent for 4 minutes')), 2 * runTimeoutMs)
        if (report.kind === 'start') userAgent = report.userAgent
        else if (report.kind === 'result') {
          const problem = mismatch(report, expected)
          if (problem) failures.push(`chromium rep ${report.rep + 1}, ${LABELS[report.name]}: ${problem}`)
          else samples[report.name].push(report)
          log(`chromium rep ${report.rep + 1}/${reps} ${LABELS[report.name]}: ${num(events / (report.ms / 1000))} events/s`)
        } else if (report.kind === 'done') finish()
        else if (report.kind === 'error') finish(new Error(`the page failed: ${report.message}`))
      }
      function finish(error) {
        clearTimeout(overall)
        clearTimeout(idle)
        server.child.off('message', onMessage)
        if (error) reject(error)
        else resolve()
      }
      server.child.on('message', onMessage)
    })
  } catch (error) {
    failures.push(`chromium: ${error.message}`)
  } finally {
    await browser.stop()
  }
  const rates = Object.fromEntries(Object.entries(samples).filter(([, runs]) => runs.length).map(([id, runs]) => [id, summarize(runs.map((r) => events / (r.ms / 1000)))]))
  const rows = Object.keys(LABELS).map((id) =>
    rates[id] ? [LABELS[id], spread(rates[id]), spread(summarize(samples[id].map((r) => r.ms))), ratio(rates[id].median / rates.native?.median)] : [LABELS[id], 'failed', '', ''],
  )
  const fromAgent = /Chrome\/([\d.]+)/.exec(userAgent)?.[1]
  const version = chromiumVersion() ?? (fromAgent && `Chromium ${fromAgent}`)
  // Runs of one repetition are back to back, so compare within each repetition.
  const perRep = samples.kit.flatMap((run) => {
    const peer = samples.native.find((other) => other.rep === run.rep)
    return peer ? [peer.ms / run.ms] : []
  })
  const paired = perRep.length ? summarize(perRep) : undefined
  const markdown = [
    `${num(events)} token events per run in one page of headless ${version ?? 'Chromium'} (no DevTools client attached), ` +
      `${reps} runs each after one warm-up, alternating which goes first; ours from \`${entry.slice(1)}\` (package.json exports, ` +
      'browser condition). Time is from construction to the last `message` event. The target is the median of per-repetition ' +
      'ratios (ours ÷ native events/s).',
    '',
    table(['implementation', 'events/s median (min–max)', 'ms median (min–max)', 'vs native'], rows),
  ].join('\n')
  return {
    markdown,
    targets: [
      target(
        'Chromium events/s ≥ native EventSource',
        paired?.median >= 1,
        paired ? `median ${ratio(paired.median)}, weakest repetition ${ratio(paired.min)}, best ${ratio(paired.max)}` : 'n/a',
        {value: paired?.median},
      ),
    ],
    failures,
    machine: version ? {chromium: `${version} (headless)`} : {},
  }
}
