// The ESM consumer: `import` of the installed tarball (see scenario.cjs).
import {fileURLToPath} from 'node:url'
import * as lib from 'eventsource-plus'
import scenario from './scenario.cjs'

await scenario.run(lib, {
  mode: 'ESM',
  resolved: fileURLToPath(import.meta.resolve('eventsource-plus')),
  polyfill: () => import('eventsource-plus/polyfill'),
})
