// Builds the page-side code once at server start, in memory, with Vite (Rolldown): the TypeScript
// harness, the worker scripts and msw's browser build. Workers get bundles because import maps do
// not apply in workers: a module worker or service worker that imported dist/polyfill.js directly
// would fail on its bare `eventsource-parser` import. Bundling resolves it the way an app's bundler
// would, and the service worker needs no dynamic import() (which service workers forbid).
import {existsSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {build} from 'vite'

const pageDir = fileURLToPath(new URL('../page/', import.meta.url))
const builtPolyfill = fileURLToPath(new URL('../../dist/polyfill.js', import.meta.url))
const builtShared = fileURLToPath(new URL('../../dist/shared.js', import.meta.url))

/** Entry name → source file under e2e/page/; served as /bundles/<name>.js. */
const ENTRIES = {
  page: 'page.ts',
  worker: 'worker.ts',
  'service-worker': 'service-worker.ts',
  msw: 'msw.ts',
  'shared-worker': 'shared-worker.ts',
}

/** Builds every entry; resolves to a map from file name (e.g. `page.js`, `chunks/x.js`) to code. */
export async function buildBundles() {
  if (!existsSync(builtPolyfill)) throw new Error('e2e server: dist/ is missing; run `npm run build` first (`npm run test:e2e` does)')
  const output = await build({
    configFile: false,
    root: pageDir,
    logLevel: 'warn',
    // msw reads process.env.NODE_ENV in places; a browser has no `process`.
    // Workers import the polyfill by its package name; this is the built one.
    resolve: {
      alias: [
        {find: /^eventsource-kit\/polyfill$/, replacement: builtPolyfill},
        {find: /^eventsource-kit\/shared$/, replacement: builtShared},
      ],
    },
    define: {'process.env.NODE_ENV': JSON.stringify('production')},
    build: {
      write: false,
      target: 'es2022',
      minify: false,
      sourcemap: 'inline',
      copyPublicDir: false,
      modulePreload: false,
      lib: {entry: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, pageDir + file])), formats: ['es']},
      rolldownOptions: {output: {entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js'}},
    },
  })
  const files = new Map()
  for (const result of Array.isArray(output) ? output : [output]) {
    for (const item of result.output) if (item.type === 'chunk') files.set(item.fileName, item.code)
  }
  return files
}
