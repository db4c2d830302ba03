// The CommonJS consumer: `require` of the installed ESM-only tarball (require(esm), Node >= 20.19 / 22.12).
/* eslint-disable @typescript-eslint/no-require-imports */
/* global require */
'use strict'
const assert = require('node:assert/strict')
const lib = require('eventsource-kit')
const {run} = require('./scenario.cjs')

async function main() {
  // require and import give the same module instance (no dual-package hazard).
  const imported = await import('eventsource-kit')
  assert.equal(lib.EventSource, imported.EventSource, 'require and import share one EventSource class')
  await run(lib, {mode: 'CommonJS', resolved: require.resolve('eventsource-kit'), polyfill: async () => require('eventsource-kit/polyfill')})
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
