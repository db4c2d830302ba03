import {fileURLToPath} from 'node:url'
import {defineConfig} from 'vitest/config'

// `npm run test:soak`: the long-running reliability tests (test/soak/*.soak.ts), apart from the unit
// tests. A standalone config: it does not extend the root one, so the unit tests' include does not
// apply. One file at a time, so that memory and timing measurements do not compete with each other.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/soak/**/*.soak.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 30_000,
  },
})
