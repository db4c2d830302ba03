import {chmodSync} from 'node:fs'
import {builtinModules} from 'node:module'
import {fileURLToPath} from 'node:url'
import {defineConfig} from 'vitest/config'

// One config for the library build (`vite build` → dist/), the demo dev server and Vitest.
export default defineConfig({
  resolve: {
    // Tests and the demo run on the sources; the build keeps the self-import external (see below).
    alias: [
      {find: /^eventsource-kit$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url))},
      {find: /^eventsource-kit\/parse$/, replacement: fileURLToPath(new URL('./src/parse.ts', import.meta.url))},
      {find: /^eventsource-kit\/(react|vue|shared|reconnect|iterate)$/, replacement: fileURLToPath(new URL('./src/$1/index.ts', import.meta.url))},
    ],
  },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
    lib: {
      entry: {
        index: 'src/index.ts',
        polyfill: 'src/polyfill.ts',
        parse: 'src/parse.ts',
        'fetch-event-source': 'src/fetch-event-source.ts',
        cli: 'src/cli/main.ts',
        react: 'src/react/index.ts',
        vue: 'src/vue/index.ts',
        shared: 'src/shared/index.ts',
        reconnect: 'src/reconnect/index.ts',
        iterate: 'src/iterate/index.ts',
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
            chmodSync(`${options.dir ?? 'dist'}/cli.js`, 0o755)
          },
        },
      ],
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 10_000,
    typecheck: {enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json'},
  },
})
