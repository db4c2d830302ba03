import {chmodSync} from 'node:fs'
import {builtinModules} from 'node:module'
import {fileURLToPath} from 'node:url'
import {transform} from 'rolldown/utils'
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

// The react-native build: React Native's own platform steps (src/core/native/platform.ts) in place of
// src/core/platform.ts, and the globals React Native may lack, where the core uses them, taken from
// src/core/native/ (each the platform's own where it has one, a small fallback where not): no global
// is installed, and the sources and the other builds stay as they are.
const nativePlatform = {
  name: 'react-native-platform',
  enforce: 'pre' as const,
  resolveId(specifier: string, importer: string | undefined) {
    return PLATFORM.test(specifier) && importer?.includes('/src/') && !importer.includes('/src/core/native/') ? source('core/native/platform.ts') : undefined
  },
}
// The free identifiers of the sources, and `globalThis.MessageEvent`, each mapped to its module.
const NATIVE_GLOBALS: Record<string, string> = {
  EventTarget: 'event-target',
  Event: 'event',
  MessageEvent: 'message-event',
  'globalThis.MessageEvent': 'message-event',
  DOMException: 'dom-exception',
  TextDecoder: 'text-decoder',
  TextEncoder: 'text-encoder',
  URL: 'url',
}
const inject = Object.fromEntries(
  Object.entries(NATIVE_GLOBALS).map(([name, file]): [string, [string, string]] => [name, [source(`core/native/${file}.ts`), name.replace('globalThis.', '')]]),
)
const nativeGlobals = {
  name: 'react-native-globals',
  enforce: 'post' as const,
  async transform(code: string, id: string) {
    if (!/\/src\/.*\.[cm]?[jt]sx?$/.test(id) || id.includes('/src/core/native/')) return undefined
    // Scope-aware: a local of the same name (the core's own `class MessageEvent`) is left alone.
    const result = await transform(id, code, {lang: 'js', inject, sourcemap: true})
    if (result.errors.length > 0) throw new Error(`${id}: ${result.errors.map((error) => error.message).join('; ')}`)
    return {code: result.code, map: result.map ?? null}
  },
}
// The entries that work in React Native (not cli, server, shared, vue).
const REACT_NATIVE_ENTRIES = {
  index: 'src/index.ts',
  polyfill: 'src/polyfill.ts',
  parse: 'src/parse/index.ts',
  'fetch-event-source': 'src/fetch-event-source/index.ts',
  react: 'src/react/index.ts',
  reconnect: 'src/reconnect/index.ts',
  iterate: 'src/iterate/index.ts',
}

// The unit tests of what only the browser build does (CORS, window.stop(), visibility, online):
// they run on the sources with src/core/browser.ts in place, as the browser build is made.
const BROWSER_TESTS = ['test/cors.test.ts', 'test/window-stop.test.ts', 'test/visibility.test.ts', 'test/online.test.ts', 'test/lifecycle.test.ts', 'test/lifecycle-worker.test.ts']

// The unit tests of what only the react-native build does (its fallbacks, its URL check, its platform steps).
const REACT_NATIVE_TESTS = ['test/react-native/**/*.test.ts']

// One config for the library builds, the demo dev server and Vitest. `vite build` makes the default
// build (Node, Deno, Bun, workerd, and bundlers that ignore export conditions) in dist/; `vite build
// --mode browser` makes the build of the `browser` export condition in dist/browser/ (no bin); `vite
// build --mode react-native` the build of the `react-native` condition in dist/react-native/ (its
// entries only: REACT_NATIVE_ENTRIES).
export default defineConfig(({mode}) => {
  const isBrowser = mode === 'browser'
  const isReactNative = mode === 'react-native'
  const isDefault = !isBrowser && !isReactNative
  return {
    plugins: isBrowser ? [browserPlatform] : isReactNative ? [nativePlatform, nativeGlobals] : [],
    resolve: {alias},
    build: {
      target: 'es2022',
      outDir: isBrowser ? 'dist/browser' : isReactNative ? 'dist/react-native' : 'dist',
      emptyOutDir: isDefault,
      sourcemap: true,
      minify: false,
      lib: {
        entry: isReactNative ? REACT_NATIVE_ENTRIES : {
          index: 'src/index.ts',
          polyfill: 'src/polyfill.ts',
          parse: 'src/parse/index.ts',
          'fetch-event-source': 'src/fetch-event-source/index.ts',
          ...(isDefault ? {cli: 'src/cli/main.ts'} : {}),
          react: 'src/react/index.ts',
          vue: 'src/vue/index.ts',
          shared: 'src/shared/index.ts',
          reconnect: 'src/reconnect/index.ts',
          iterate: 'src/iterate/index.ts',
          ...(isDefault ? {server: 'src/server/index.ts'} : {}),
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
        // built-ins stay imports; the bindings' frameworks are the app's (optional peer dependencies),
        // and so is React Native (the react-native build imports it).
        external: ['eventsource-parser', 'eventsource-kit', 'eventsource-kit/reconnect', /^node:/, ...builtinModules, 'react', 'vue', 'react-native'],
        plugins: [
          {
            name: 'executable-bin',
            writeBundle(options) {
              if (isDefault) chmodSync(`${options.dir ?? 'dist'}/cli.js`, 0o755)
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
        {
          extends: true,
          plugins: [nativePlatform, nativeGlobals],
          test: {name: 'react-native build', include: REACT_NATIVE_TESTS, environment: 'node', setupFiles: ['test/react-native/setup.ts']},
        },
      ],
    },
  }
})
