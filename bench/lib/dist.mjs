// The build under test. The runner copies dist/ once at the start (snapshotDist) and every child
// loads that copy, so a rebuild of dist/ during a run (other work in the same tree) cannot mix two
// builds in one set of results. Without a snapshot (a child started by hand), dist/ itself is used.
// Entries are found through package.json's `exports` (the conditions a runtime or a browser uses),
// so the bench follows the build wherever it puts them.
import {createHash} from 'node:crypto'
import {cpSync, existsSync, mkdirSync, readFileSync, rmdirSync, rmSync} from 'node:fs'
import {join, relative, resolve, sep} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const DIST = fileURLToPath(new URL('../../dist', import.meta.url))
// Inside node_modules, so the copy's bare `eventsource-parser` import resolves as dist/'s does.
const CACHE = fileURLToPath(new URL('../../node_modules/.cache/eventsource-kit-bench', import.meta.url))
const VARIABLE = 'EVENTSOURCE_KIT_BENCH_DIST'

/** The directory holding the build under test. */
export function distDir() {
  return process.env[VARIABLE] || DIST
}

/** Conditions Node's resolver uses for `import`, and a browser bundler's. */
export const NODE_CONDITIONS = ['node', 'import', 'default']
export const BROWSER_CONDITIONS = ['browser', 'import', 'default']

/** The first target of an `exports` value under `conditions`, in the map's own key order (as Node resolves it). */
function pick(value, conditions) {
  if (typeof value === 'string') return value
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = pick(item, conditions)
      if (found) return found
    }
    return undefined
  }
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (!conditions.includes(key)) continue
      const found = pick(inner, conditions)
      if (found) return found
    }
  }
  return undefined
}

/**
 * Where an entry of the package lives inside dist/, from package.json's `exports`.
 * @param {string} subpath - '.' for the main entry, './polyfill' and so on
 * @param {string[]} conditions - NODE_CONDITIONS or BROWSER_CONDITIONS
 * @returns {string} the path below dist/, such as 'index.js'
 */
export function entryInDist(subpath = '.', conditions = NODE_CONDITIONS) {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  const field = manifest.exports ?? (subpath === '.' ? manifest.main : undefined)
  // `exports` is either a map of subpaths ("." and "./x") or, for the main entry alone, its target.
  const isSubpathMap = field && typeof field === 'object' && !Array.isArray(field) && Object.keys(field).some((key) => key.startsWith('.'))
  const target = pick(isSubpathMap ? field[subpath] : subpath === '.' ? field : undefined, conditions)
  if (!target) throw new Error(`package.json exports no "${subpath}" for the conditions ${conditions.join(', ')}`)
  const inDist = relative(DIST, resolve(ROOT, target))
  if (inDist.startsWith('..')) throw new Error(`package.json's "${subpath}" (${target}) is outside dist/`)
  return inDist.split(sep).join('/')
}

/** The URL of the build's main entry as Node resolves it, for import(). */
export function distEntry() {
  return pathToFileURL(join(distDir(), entryInDist('.', NODE_CONDITIONS))).href
}

/** Whether the main entry of dist/ (not a snapshot) is built. */
export function isBuilt() {
  try {
    return existsSync(join(DIST, entryInDist('.', NODE_CONDITIONS)))
  } catch {
    return false
  }
}

/**
 * Copies dist/ for this run and points the children (through the environment) at the copy.
 * @returns {{hash: string, remove(): void}} the first 12 hex digits of the main entry's SHA-256 (Node's conditions)
 */
export function snapshotDist() {
  const dir = join(CACHE, `dist-${process.pid}`)
  rmSync(dir, {recursive: true, force: true})
  mkdirSync(dir, {recursive: true})
  cpSync(DIST, dir, {recursive: true, filter: (source) => !source.endsWith('.d.ts') && !source.endsWith('.d.ts.map')})
  process.env[VARIABLE] = dir
  const hash = createHash('sha256').update(readFileSync(join(dir, entryInDist('.', NODE_CONDITIONS)))).digest('hex').slice(0, 12)
  return {
    hash,
    remove() {
      delete process.env[VARIABLE]
      rmSync(dir, {recursive: true, force: true})
      try {
        rmdirSync(CACHE)
      } catch {
        // Another run's copy is still there.
      }
    },
  }
}
