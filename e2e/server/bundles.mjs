// Builds the page-side code once at server start, in memory, with Vite (Rolldown): the TypeScript
// harness, the worker scripts and msw's browser build. Workers get bundles because import maps do
// not apply in workers: a module worker or service worker that imported dist/polyfill.js directly
// would fail on its bare `eventsource-parser` import. Bundling resolves it the way an app's bundler
// would, and the service worker needs no dynamic import() (which service workers forbid).
import {existsSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {build} from 'vite'

const pageDir = fileURLToPath(new URL('../page/', import.meta.url))
// The browser build (the `browser` export condition), as an app's bundler picks it for a page or a worker.
const builtPolyfill = fileURLToPath(new URL('../../dist/browser/polyfill.js', import.meta.url))
const built = (file) => fileURLToPath(new URL(`../../dist/browser/${file}`, import.meta.url))

/** Entry name → source file under e2e/page/; served as /bundles/<name>.js. */
const ENTRIES = {
  page: 'page.ts',
  worker: 'worker.ts',
  'service-worker': 'service-worker.ts',
  msw: 'msw.ts',
  'shared-worker': 'shared-worker.ts',
  'lifecycle-worker': 'lifecycle-worker.ts',
}

/** Bundles `entries` (name → file under e2e/page/) with `define`; resolves to a map from file name to code. */
async function bundle(entries, define) {
  const output = await build({
    configFile: false,
    root: pageDir,
    logLevel: 'warn',
    // Pages import the built package by its names, as an app would.
    resolve: {
      alias: [
        {find: /^eventsource-kit\/polyfill$/, replacement: builtPolyfill},
        {find: /^eventsource-kit\/react$/, replacement: built('react.js')},
        {find: /^eventsource-kit\/vue$/, replacement: built('vue.js')},
        {find: /^eventsource-kit\/shared$/, replacement: built('shared.js')},
        {find: /^eventsource-kit$/, replacement: built('index.js')},
      ],
    },
    define,
    build: {
      write: false,
      target: 'es2022',
      minify: false,
      sourcemap: 'inline',
      copyPublicDir: false,
      modulePreload: false,
      lib: {entry: Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, pageDir + file])), formats: ['es']},
      rolldownOptions: {
        output: {entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js'},
        // dist/react.js starts with "use client", which a browser bundle drops (as an app's bundler does).
        onLog: (level, log, handler) => log.code === 'MODULE_LEVEL_DIRECTIVE' || handler(level, log),
      },
    },
  })
  const files = new Map()
  for (const result of Array.isArray(output) ? output : [output]) {
    for (const item of result.output) if (item.type === 'chunk') files.set(item.fileName, item.code)
  }
  return files
}

/** Builds every entry; resolves to a map from file name (e.g. `page.js`, `chunks/x.js`) to code. */
export async function buildBundles() {
  if (!existsSync(builtPolyfill)) throw new Error('e2e server: dist/ is missing; run `npm run build` first (`npm run test:e2e` does)')
  // msw reads process.env.NODE_ENV in places; a browser has no `process`.
  const pages = await bundle(ENTRIES, {'process.env.NODE_ENV': JSON.stringify('production')})
  // The bindings page uses React's and Vue's development builds: StrictMode double-invokes effects
  // only there. (Vue's feature flags are set to silence its bundler warning.)
  const bindings = await bundle(
    {bindings: 'bindings.ts'},
    {
      'process.env.NODE_ENV': JSON.stringify('development'),
      __VUE_OPTIONS_API__: 'true',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
  )
  for (const [name, code] of bindings) pages.set(name, code)
  return pages
}
