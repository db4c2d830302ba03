// What scripts/check-package.mjs needs to load the react-native build in Node, inside its temporary
// consumer project: a stub `react-native` package (the build imports it, an optional peer dependency
// that only React Native provides) and the project's own `react` (the react entry imports it), so that
// test/consumer/react-native.mjs can import every entry of the installed tarball under the
// `react-native` condition.
import {mkdirSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

/** The entries of the react-native build: package subpath → file in dist/react-native/. */
export const REACT_NATIVE_ENTRIES = {
  '.': 'index',
  './polyfill': 'polyfill',
  './reconnect': 'reconnect',
  './iterate': 'iterate',
  './react': 'react',
  './parse': 'parse',
  './fetch-event-source': 'fetch-event-source',
}

// The stub: what the build may take from React Native, doing nothing (the app stays active).
const STUB = `// A stand-in for React Native in Node: AppState stays "active".
export const AppState = {currentState: 'active', addEventListener: () => ({remove() {}})}
export const Platform = {OS: 'ios', select: (choices) => choices.ios ?? choices.default}
export default {AppState, Platform}
`

/** Writes the stub `react-native` package into `consumer`'s node_modules and links the project's `react` there. */
export function prepareReactNativeConsumer(consumer, root) {
  const stub = join(consumer, 'node_modules', 'react-native')
  mkdirSync(stub, {recursive: true})
  writeFileSync(join(stub, 'package.json'), `${JSON.stringify({name: 'react-native', version: '0.0.0-stub', type: 'module', main: 'index.js'}, null, 2)}\n`)
  writeFileSync(join(stub, 'index.js'), STUB)
  symlinkSync(join(root, 'node_modules', 'react'), join(consumer, 'node_modules', 'react'), 'junction')
}

/** What is wrong with the manifest's react-native build: its field and the condition of each entry (none: an empty list). */
export function reactNativeManifestProblems(manifest) {
  const problems = []
  if (manifest['react-native'] !== './dist/react-native/index.js') problems.push(`the "react-native" field is ${JSON.stringify(manifest['react-native'])}, expected "./dist/react-native/index.js"`)
  for (const [subpath, file] of Object.entries(REACT_NATIVE_ENTRIES)) {
    const conditions = Object.keys(manifest.exports?.[subpath] ?? {})
    const target = manifest.exports?.[subpath]?.['react-native']
    if (target !== `./dist/react-native/${file}.js`) problems.push(`exports[${JSON.stringify(subpath)}]["react-native"] is ${JSON.stringify(target)}`)
    // Metro takes the first condition that matches: react-native must come before workerd, browser and default.
    const index = conditions.indexOf('react-native')
    const later = ['workerd', 'browser', 'default'].filter((condition) => conditions.includes(condition) && conditions.indexOf(condition) < index)
    if (later.length > 0) problems.push(`exports[${JSON.stringify(subpath)}] lists ${later.join(', ')} before react-native`)
  }
  return problems
}
