// Bundle size: what a browser app pays for each library's main entry, minified and gzipped.
// Every entry is bundled the same way (rolldown, platform "browser", ES module, minified, its
// dependencies included), then gzipped at level 9. Ours are the browser build (dist/browser/, what
// the `browser` export condition gives a bundler); the main entries of the server build and of the
// react-native build are listed too.
// Each capability module (COMBOS) is also measured with the main entry: its marginal bytes, and the
// main entry with every capability imported.
//
//   node scripts/size.mjs           prints the table
//   node scripts/size.mjs --check   exits 1 when an entry is over its budget in scripts/size-budget.json
//
// scripts/size-budget.json: `budgets` maps an entry name (from ENTRIES, or a row of the capability
// table) to its budget in bytes min+gzip, either absolute (a number) or relative to the main entry
// ({"overMain": bytes}); `targets`, in the same form, are the goals of issue 22 (reported with the
// gap, not enforced).
import {Buffer} from 'node:buffer'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {gzipSync} from 'node:zlib'
import {rolldown} from 'rolldown'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BUDGET_FILE = fileURLToPath(new URL('./size-budget.json', import.meta.url))

/**
 * The entries measured: ours from the built dist/ (run `npm run build` first), peers as published.
 * `external` leaves packages out of an entry's bundle (a framework a binding sits on).
 */
const browserBuild = (file) => fileURLToPath(new URL(`../dist/browser/${file}`, import.meta.url))
export const ENTRIES = [
  {name: 'eventsource-kit', input: browserBuild('index.js'), note: 'main entry, eventsource-parser included'},
  {name: 'eventsource-kit/polyfill', input: browserBuild('polyfill.js'), note: 'the polyfill entry, everything included'},
  {name: 'eventsource-kit/parse', input: browserBuild('parse.js'), note: 'parseEventStream, eventsource-parser included'},
  {name: 'eventsource-kit/react', input: browserBuild('react.js'), external: ['react'], note: 'the React binding with the main entry, React excluded'},
  {name: 'eventsource-kit/vue', input: browserBuild('vue.js'), external: ['vue'], note: 'the Vue binding with the main entry, Vue excluded'},
  {name: 'eventsource-kit/fetch-event-source', input: browserBuild('fetch-event-source.js'), note: 'the fetch-event-source entry, everything included'},
  {name: 'eventsource-kit/shared', input: browserBuild('shared.js'), note: 'the cross-tab entry, the main entry included'},
  {name: 'eventsource-kit (server build)', input: fileURLToPath(new URL('../dist/index.js', import.meta.url)), note: 'main entry of the default build (Node, Deno, Bun, workerd)'},
  {
    name: 'eventsource-kit (react-native build)',
    input: fileURLToPath(new URL('../dist/react-native/index.js', import.meta.url)),
    external: ['react-native'],
    note: 'main entry of the react-native build (fallbacks and URL parser included, React Native excluded)',
  },
  {name: 'eventsource-kit/server', input: fileURLToPath(new URL('../dist/server.js', import.meta.url)), note: 'the server entry (formatEvent, eventStream, writeEventStream), default build'},
  {name: 'eventsource', input: 'eventsource', note: 'eventsource-parser included'},
  {name: '@microsoft/fetch-event-source', input: '@microsoft/fetch-event-source', note: 'its own parser'},
  {name: 'eventsource-parser', input: 'eventsource-parser', note: 'the parser alone, for reference'},
]

/** The capability modules: each is measured with the main entry (browser build). */
export const CAPABILITIES = [
  {name: 'eventsource-kit/reconnect', file: 'reconnect.js', note: 'backoff(), retry(): backoff, jitter, maxRetries, retryOnStatus, shouldReconnect'},
  {name: 'eventsource-kit/iterate', file: 'iterate.js', note: 'iterate(source): for await with backpressure'},
]

/**
 * Measures the main entry together with `files` (of the browser build), every export kept.
 * @returns {Promise<{minified: number, gzip: number}>}
 */
export async function measureWithMain(files) {
  // In dist/, so that the entry's relative imports and the parser resolve as from the package.
  const dir = mkdtempSync(fileURLToPath(new URL('../dist/.size-', import.meta.url)))
  try {
    const input = join(dir, 'entry.mjs')
    const imports = ['index.js', ...files].map((file, i) => `import * as m${i} from ${JSON.stringify(browserBuild(file))}`)
    writeFileSync(input, `${imports.join('\n')}\nexport {${imports.map((_, i) => `m${i}`).join(', ')}}\n`)
    return await measure(input)
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

/**
 * The main entry with each capability (its marginal bytes), and with all of them.
 * @returns {Promise<Array<{name: string, gzip: number, marginal: number, note: string}>>}
 */
export async function measureCapabilities(mainGzip) {
  const rows = []
  for (const capability of CAPABILITIES) {
    const {gzip} = await measureWithMain([capability.file])
    rows.push({name: `main + ${capability.name}`, gzip, marginal: gzip - mainGzip, note: capability.note})
  }
  const {gzip} = await measureWithMain(CAPABILITIES.map((capability) => capability.file))
  rows.push({name: 'main + every capability', gzip, marginal: gzip - mainGzip, note: CAPABILITIES.map((capability) => capability.name).join(', ')})
  return rows
}

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
 * The budgets: `{budgets: {[entry]: number | {overMain: number}}, targets: {...}}`, plus `index`, the
 * main entry's absolute budget, and `target`, its goal, for older readers.
 */
export function readBudget() {
  const budget = JSON.parse(readFileSync(BUDGET_FILE, 'utf8'))
  return {...budget, index: budget.budgets['eventsource-kit'], target: budget.targets?.['eventsource-kit']}
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

/** The issue's target for an entry, like its budget (reported, not enforced), or undefined. */
export function targetBytes(budget, name, mainGzip) {
  const value = budget.targets?.[name]
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
  const capabilities = await measureCapabilities(mainGzip)
  console.log('\ncapability (browser build, with the main entry)  min+gzip B  marginal B')
  for (const row of capabilities) console.log(`${row.name.padEnd(48)} ${String(row.gzip).padStart(10)}  ${`+${row.marginal}`.padStart(10)}  ${row.note}`)
  console.log('')
  const over = []
  for (const result of [...results, ...capabilities]) {
    const allowed = allowedBytes(budget, result.name, mainGzip)
    const target = targetBytes(budget, result.name, mainGzip)
    if (allowed === undefined && target === undefined) continue
    const versusTarget = target === undefined ? '' : result.gzip <= target ? `, target ${target} B met` : `, target ${target} B missed by ${result.gzip - target} B`
    console.log(`budget ${result.name}: ${result.gzip} of ${allowed ?? '(none)'} B min+gzip${versusTarget}`)
    if (allowed !== undefined && result.gzip > allowed) over.push(`${result.name} is ${result.gzip} B min+gzip, over its budget of ${allowed} B by ${result.gzip - allowed} B`)
  }
  if (check && over.length > 0) {
    console.error(`size check failed: ${over.join('; ')}.`)
    process.exitCode = 1
  } else if (check) {
    console.log(`size check passed: ${results.length} entries within budget`)
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main()
