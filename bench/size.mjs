// Benchmark 5: bundle size, min+gzip, measured by scripts/size.mjs (also `npm run size`).
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'
import {ENTRIES, measure, measureAll, readBudget} from '../scripts/size.mjs'
import {distDir} from './lib/dist.mjs'
import {num, table, target} from './lib/report.mjs'

export const name = 'size'
export const title = 'Bundle size (min+gzip)'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const DIST = join(ROOT, 'dist')

export async function run() {
  // The run's copy of dist/ (see lib/dist.mjs), not dist/ as it may be now.
  const entries = ENTRIES.map((entry) => (entry.input.startsWith(DIST) ? {...entry, input: join(distDir(), relative(DIST, entry.input))} : entry))
  const results = await measureAll(entries)
  const budget = readBudget()
  const ours = results.find((r) => r.name === 'eventsource-kit')
  const peer = results.find((r) => r.name === 'eventsource')
  // Ours without the parser, and where the bytes are, per source module (bundled from src/).
  const alone = await measure(entries[0].input, {external: ['eventsource-parser']})
  const fromSource = await measure(fileURLToPath(new URL('../src/index.ts', import.meta.url)), {external: ['eventsource-parser']})
  const modules = Object.entries(fromSource.modules)
    .filter(([, length]) => length > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([id, length]) => `${relative(ROOT, id)} ${num(length)}`)
  const markdown = [
    'Each entry bundled by rolldown for the browser (ES module, minified, dependencies included), then gzip level 9. ' +
      '`node scripts/size.mjs` prints the same table; `--check` holds dist/index.js to scripts/size-budget.json.',
    '',
    table(
      ['entry', 'minified B', 'min+gzip B', 'vs eventsource 5', 'note'],
      results.map((r) => [r.name, num(r.minified), num(r.gzip), `${((r.gzip / peer.gzip) * 100).toFixed(0)}%`, r.note]),
    ),
    '',
    `eventsource-kit without eventsource-parser: ${num(alone.minified)} B minified, ${num(alone.gzip)} B min+gzip. ` +
      `Budget now ${num(budget.index)} B, target ${num(budget.target)} B.`,
    '',
    `Where the bytes are (characters per module in the bundle before minification, from src/): ${modules.join(', ')}.`,
  ].join('\n')
  return {
    markdown,
    targets: [target(`Main entry ≤ ${num(budget.target)} B min+gzip, everything included`, ours.gzip <= budget.target, `${num(ours.gzip)} B (eventsource 5: ${num(peer.gzip)} B)`)],
    failures: [],
  }
}
