import {chmodSync} from 'node:fs'
import {builtinModules} from 'node:module'
import {fileURLToPath} from 'node:url'
import {defineConfig} from 'vitest/config'

const source = (path: string): string => fileURLToPath(new URL(`./src/${path}`, import.meta.url))

// Tests and the demo run on the sources; the build keeps the self-imports external (see below).
const alias = [
  {find: /^eventsource-kit$/, replacement: source('index.ts')},
  {find: /^eventsource-kit\/(parse|fetch-event-source|react|vue|shared|reconnect|iterate|server)$/, replacement: source('$1/index.ts')},
]

// The module the browser build puts in place of src/core/platform.ts (which re-exports the server steps).
const PLATFORM = /^(?:\.\.?\/)+(?:core\/)?platform\.js$/
const browserPlatform = {
  name: 'browser-platform',
  enforce: 'pre' as const,
  resolveId(specifier: string, importer: string | undefined) {
    return PLATFORM.test(specifier) && importer?.includes('/src/') ? source('core/browser.ts') : undefined
  },
}

// The module the React Native build puts in place of src/core/platform.ts.
const reactNativePlatform = {
  name: 'react-native-platform',
  enforce: 'pre' as const,
  resolveId(specifier: string, importer: string | undefined) {
    return PLATFORM.test(specifier) && importer?.includes('/src/') ? source('core/native/platform.ts') : undefined
  },
}

// The unit tests of the React Native build's platform steps (its XHR transport, AppState): on the
// sources with src/core/native/platform.ts in place, over a fake XMLHttpRequest.
const REACT_NATIVE_TESTS = ['test/react-native/**/*.test.ts']

// The unit tests of what only the browser build does (CORS, window.stop(), visibility, online):
// they run on the sources with src/core/browser.ts in place, as the browser build is made.
const BROWSER_TESTS = ['test/cors.test.ts', 'test/window-stop.test.ts', 'test/visibility.test.ts', 'test/online.test.ts', 'test/lifecycle.test.ts', 'test/lifecycle-worker.test.ts']

// One config for the library builds, the demo dev server and Vitest. `vite build` makes the default
// build (Node, Deno, Bun, workerd, and bundlers that ignore export conditions) in dist/; `vite build
// --mode browser` makes the build of the `browser` export condition in dist/browser/ (no bin).
export default defineConfig(({mode}) => {
  const isBrowser = mode === 'browser'
  return {
    plugins: isBrowser ? [browserPlatform] : [],
    resolve: {alias},
    build: {
      target: 'es2022',
      outDir: isBrowser ? 'dist/browser' : 'dist',
      emptyOutDir: !isBrowser,
      sourcemap: true,
      minify: false,
      lib: {
        entry: {
          index: 'src/index.ts',
          polyfill: 'src/polyfill.ts',
          parse: 'src/parse/index.ts',
          'fetch-event-source': 'src/fetch-event-source/index.ts',
          ...(isBrowser ? {} : {cli: 'src/cli/main.ts'}),
          react: 'src/react/index.ts',
          vue: 'src/vue/index.ts',
          shared: 'src/shared/index.ts',
          reconnect: 'src/reconnect/index.ts',
          iterate: 'src/iterate/index.ts',
          ...(isBrowser ? {} : {server: 'src/server/index.ts'}),
        },
        formats: ['es'],
      },
      rolldownOptions: {
        // "use client" at the top of dist/react.js is kept (it is the entry's first statement); the
        // bundler only warns that it could not be, for any module.
        onLog(level, log, handler) {
          if (log.code !== 'MODULE_LEVEL_DIRECTIVE') handler(level, log)
        },
        output: {
          // The entries import the main entry of their own build (one copy of the classes).
          paths: {'eventsource-kit': './index.js', 'eventsource-kit/reconnect': './reconnect.js'},
          // The bin (package.json "bin") runs as a program.
          banner: (chunk) => (chunk.name === 'cli' && chunk.isEntry ? '#!/usr/bin/env node' : ''),
        },
        // The one runtime dependency stays a dependency, so apps share a single copy; the CLI's Node
        // built-ins stay imports; the bindings' frameworks are the app's (optional peer dependencies).
        external: ['eventsource-parser', 'eventsource-kit', 'eventsource-kit/reconnect', /^node:/, ...builtinModules, 'react', 'vue'],
        plugins: [
          {
            name: 'executable-bin',
            writeBundle(options) {
              if (!isBrowser) chmodSync(`${options.dir ?? 'dist'}/cli.js`, 0o755)
            },
          },
        ],
      },
    },
    test: {
      testTimeout: 10_000,
      projects: [
        {
          extends: true,
          test: {
            name: 'default',
            include: ['test/**/*.test.ts'],
            exclude: [...BROWSER_TESTS, ...REACT_NATIVE_TESTS],
            environment: 'node',
            typecheck: {enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json'},
          },
        },
        {extends: true, plugins: [browserPlatform], test: {name: 'browser build', include: BROWSER_TESTS, environment: 'node'}},
        {extends: true, plugins: [reactNativePlatform], test: {name: 'react-native build', include: REACT_NATIVE_TESTS, environment: 'node'}},
      ],
    },
  }
})
