// The ESM consumer: `import` of the installed tarball (see scenario.cjs).
import {fileURLToPath} from 'node:url'
import * as lib from 'eventsource-kit'
import scenario from './scenario.cjs'

await scenario.run(lib, {
  mode: 'ESM',
  resolved: fileURLToPath(import.meta.resolve('eventsource-kit')),
  polyfill: () => import('eventsource-kit/polyfill'),
})
