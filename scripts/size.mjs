// Bundle size: what a browser app pays for each library's main entry, minified and gzipped.
// Every entry is bundled the same way (rolldown, platform "browser", ES module, minified, its
// dependencies included), then gzipped at level 9.
//
//   node scripts/size.mjs           prints the table
//   node scripts/size.mjs --check   exits 1 when an entry is over its budget in scripts/size-budget.json
//
// scripts/size-budget.json: `budgets` maps an entry name (from ENTRIES) to its budget in bytes
// min+gzip, either absolute (a number) or relative to the main entry ({"overMain": bytes}); `target`
// is the main entry's goal (reported, not enforced).
import {Buffer} from 'node:buffer'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {gzipSync} from 'node:zlib'
import {rolldown} from 'rolldown'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BUDGET_FILE = fileURLToPath(new URL('./size-budget.json', import.meta.url))

/**
 * The entries measured: ours from the built dist/ (run `npm run build` first), peers as published.
 * `external` leaves packages out of an entry's bundle (a framework a binding sits on).
 */
export const ENTRIES = [
  {name: 'eventsource-kit', input: fileURLToPath(new URL('../dist/index.js', import.meta.url)), note: 'main entry, eventsource-parser included'},
  {name: 'eventsource-kit/polyfill', input: fileURLToPath(new URL('../dist/polyfill.js', import.meta.url)), note: 'the polyfill entry, everything included'},
  {name: 'eventsource-kit/parse', input: fileURLToPath(new URL('../dist/parse.js', import.meta.url)), note: 'parseEventStream, eventsource-parser included'},
  {name: 'eventsource-kit/react', input: fileURLToPath(new URL('../dist/react.js', import.meta.url)), external: ['react'], note: 'the React binding with the main entry, React excluded'},
  {name: 'eventsource-kit/vue', input: fileURLToPath(new URL('../dist/vue.js', import.meta.url)), external: ['vue'], note: 'the Vue binding with the main entry, Vue excluded'},
  {name: 'eventsource-kit/fetch-event-source', input: fileURLToPath(new URL('../dist/fetch-event-source.js', import.meta.url)), note: 'the fetch-event-source entry, everything included'},
  {name: 'eventsource-kit/shared', input: fileURLToPath(new URL('../dist/shared.js', import.meta.url)), note: 'the cross-tab entry, the main entry included'},
  {name: 'eventsource-kit/server', input: fileURLToPath(new URL('../dist/server.js', import.meta.url)), note: 'the server entry (formatEvent, eventStream, writeEventStream)'},
  {name: 'eventsource', input: 'eventsource', note: 'eventsource-parser included'},
  {name: '@microsoft/fetch-event-source', input: '@microsoft/fetch-event-source', note: 'its own parser'},
  {name: 'eventsource-parser', input: 'eventsource-parser', note: 'the parser alone, for reference'},
]

/**
 * Bundles one entry for browsers with its dependencies, minified.
 * @param {string} input - a file path or a package name (resolved from the project root)
 * @param {{external?: string[]}} [options] - packages to leave out of the bundle
 * @returns {Promise<{minified: number, gzip: number, modules: Record<string, number>}>} sizes in
 *   bytes; `modules` maps each bundled module to its rendered length before minification
 */
export async function measure(input, {external = []} = {}) {
  const bundle = await rolldown({input, cwd: ROOT, platform: 'browser', logLevel: 'silent', external})
  try {
    const {output} = await bundle.generate({format: 'es', minify: true})
    const chunks = output.filter((item) => item.type === 'chunk')
    if (chunks.length !== 1) throw new Error(`${input}: expected one chunk, got ${chunks.length}`)
    const code = Buffer.from(chunks[0].code, 'utf8')
    const modules = Object.fromEntries(Object.entries(chunks[0].modules).map(([id, info]) => [id, info.renderedLength]))
    return {minified: code.length, gzip: gzipSync(code, {level: 9}).length, modules}
  } finally {
    await bundle.close()
  }
}

/**
 * Measures every entry.
 * @param {typeof ENTRIES} [entries] - ENTRIES by default
 */
export async function measureAll(entries = ENTRIES) {
  const results = []
  for (const entry of entries) results.push({...entry, ...(await measure(entry.input, {external: entry.external ?? []}))})
  return results
}

/**
 * The budgets: `{budgets: {[entry]: number | {overMain: number}}, target: number}`, plus `index`, the
 * main entry's absolute budget, for older readers.
 */
export function readBudget() {
  const budget = JSON.parse(readFileSync(BUDGET_FILE, 'utf8'))
  return {...budget, index: budget.budgets['eventsource-kit']}
}

/**
 * Bytes (min+gzip) an entry may weigh, given the main entry's measured size.
 * @returns {number | undefined} undefined for an entry without a budget
 */
export function allowedBytes(budget, name, mainGzip) {
  const value = budget.budgets[name]
  if (value === undefined) return undefined
  return typeof value === 'number' ? value : mainGzip + value.overMain
}

function formatTable(results) {
  const rows = results.map((r) => [r.name, String(r.minified), String(r.gzip), r.note])
  const widths = [0, 1, 2, 3].map((i) => Math.max(...[['entry', 'min B', 'min+gzip B', ''], ...rows].map((row) => row[i].length)))
  const line = (row) => row.map((cell, i) => (i === 1 || i === 2 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd()
  return [line(['entry', 'min B', 'min+gzip B', '']), ...rows.map(line)].join('\n')
}

async function main() {
  const check = process.argv.includes('--check')
  const budget = readBudget()
  const entries = check ? ENTRIES.filter((entry) => budget.budgets[entry.name] !== undefined) : ENTRIES
  const results = await measureAll(entries)
  console.log(formatTable(results))
  const mainGzip = results.find((result) => result.name === 'eventsource-kit')?.gzip ?? (await measure(ENTRIES[0].input)).gzip
  const over = []
  for (const result of results) {
    const allowed = allowedBytes(budget, result.name, mainGzip)
    if (allowed === undefined) continue
    console.log(`budget ${result.name}: ${result.gzip} of ${allowed} B min+gzip`)
    if (result.gzip > allowed) over.push(`${result.name} is ${result.gzip} B min+gzip, over its budget of ${allowed} B by ${result.gzip - allowed} B`)
  }
  console.log(`main entry target: ${budget.target} B (scripts/size-budget.json)`)
  if (check && over.length > 0) {
    console.error(`size check failed: ${over.join('; ')}.`)
    process.exitCode = 1
  } else if (check) {
    console.log(`size check passed: ${results.length} entries within budget`)
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main()
