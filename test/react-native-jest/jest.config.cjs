// The Jest project of scripts/react-native.mjs. It runs from its copy in .react-native/<version>/suite/,
// inside the install, so that every bare import (react-native, react, eventsource-kit, ...) resolves
// from that install as it does in an app, eventsource-kit through its `react-native` export condition
// (the preset's test environment sets customExportConditions).
const path = require('node:path')

const rootDir = path.join(__dirname, '..')
const from = (name) => require.resolve(name, {paths: [rootDir]})
/** Whether the install has a package (React Native before 0.80 keeps its Jest preset inside react-native). */
const has = (name) => {
  try {
    return Boolean(from(`${name}/package.json`))
  } catch {
    return false
  }
}

module.exports = {
  rootDir,
  roots: ['<rootDir>/suite'],
  preset: has('@react-native/jest-preset') ? '@react-native/jest-preset' : 'react-native',
  // The platform whose files (RCTNetworking.ios.js or .android.js, Platform, ...) the run takes.
  haste: {defaultPlatform: process.env.RN_PLATFORM ?? 'ios', platforms: ['android', 'ios', 'native']},
  // Metro compiles node_modules with React Native's Babel preset: so does this project, for the
  // packages under test (ESM) besides React Native's own.
  transform: {
    '^.+\\.(js|mjs|cjs|ts|tsx)$': [from('babel-jest'), {presets: [from('@react-native/babel-preset')], babelrc: false, configFile: false}],
  },
  transformIgnorePatterns: ['node_modules/(?!((jest-)?react-native|@react-native(-community)?|eventsource-kit|eventsource-parser|react-native-sse)/)'],
  setupFiles: ['<rootDir>/suite/setup.cjs'],
  testMatch: ['<rootDir>/suite/**/*.test.js'],
  testTimeout: 30_000,
  // One file at a time: each starts loopback servers, and the machine is small.
  maxWorkers: 1,
}
