// The build under test. The runner copies dist/ once at the start (snapshotDist) and every child
// loads that copy, so a rebuild of dist/ during a run (other work in the same tree) cannot mix two
// builds in one set of results. Without a snapshot (a child started by hand), dist/ itself is used.
import {createHash} from 'node:crypto'
import {cpSync, mkdirSync, readFileSync, rmdirSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const DIST = fileURLToPath(new URL('../../dist', import.meta.url))
// Inside node_modules, so the copy's bare `eventsource-parser` import resolves as dist/'s does.
const CACHE = fileURLToPath(new URL('../../node_modules/.cache/eventsource-kit-bench', import.meta.url))
const VARIABLE = 'EVENTSOURCE_KIT_BENCH_DIST'

/** The directory holding the build under test. */
export function distDir() {
  return process.env[VARIABLE] || DIST
}

/** The URL of the build's main entry, for import(). */
export function distEntry() {
  return pathToFileURL(join(distDir(), 'index.js')).href
}

/**
 * Copies dist/ for this run and points the children (through the environment) at the copy.
 * @returns {{hash: string, remove(): void}} the first 12 hex digits of the main entry's SHA-256
 */
export function snapshotDist() {
  const dir = join(CACHE, `dist-${process.pid}`)
  rmSync(dir, {recursive: true, force: true})
  mkdirSync(dir, {recursive: true})
  cpSync(DIST, dir, {recursive: true, filter: (source) => !source.endsWith('.d.ts') && !source.endsWith('.d.ts.map')})
  process.env[VARIABLE] = dir
  const hash = createHash('sha256').update(readFileSync(join(dir, 'index.js'))).digest('hex').slice(0, 12)
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
