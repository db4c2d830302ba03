// The proof on Hermes, the engine of React Native: the React Native build (dist/react-native/) and
// the smoke script test/hermes/smoke.js are bundled into one file by the project's bundler (Vite),
// passed through React Native's Babel preset as Metro would (TRANSFORMS: 0.88.1 with its
// `hermes-stable` and `default` profiles, 0.76.9 with its `default` one), then
//   1. run on the `hermes` VM of hermes-engine-cli 0.12 (the only Hermes VM on npm), where classes
//      are lowered (that VM has no class syntax), and
//   2. compiled to bytecode by `hermesc` of hermes-compiler (Hermes V1, what React Native 0.88
//      ships), each of them.
// `npm run test:hermes` builds first. Exit code 1 on any failure.
//
//   node scripts/hermes.mjs [--build <dir>]     the build to test, dist/react-native by default
//
// The tools are no devDependencies (per-platform binaries, and only this script needs them): they
// are installed on demand, at the exact versions below, into .runtimes/hermes/ (git-ignored), where
// the bundles are written too (out/). The binaries run on Linux x64 only: elsewhere it says SKIPPING.
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {fileURLToPath} from 'node:url'
import {installPinned, readVersion} from './install-pinned.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const hermesDir = join(root, '.runtimes', 'hermes')
const outDir = join(hermesDir, 'out')
const inHermes = (path) => join(hermesDir, 'node_modules', path)

/** The packages installed into .runtimes/hermes/: name → exact version. */
const PACKAGES = {
  'hermes-engine-cli': '0.12.0',
  'hermes-compiler': '260318099.0.8',
  '@react-native/babel-preset': '0.88.1',
  // React Native 0.76's, the oldest in range.
  'react-native-babel-preset-0.76': 'npm:@react-native/babel-preset@0.76.9',
  // The presets' own range (^7.25.2): Babel 8 is not what Metro runs them with.
  '@babel/core': '7.29.17',
}
const VM = inHermes('hermes-engine-cli/linux64-bin/hermes')
const COMPILER = inHermes('hermes-compiler/hermesc/linux64-bin/hermesc')
const RUN_TIMEOUT_MS = 60_000
// -Xmicrotask-queue: promise jobs run as microtasks, as in React Native (the 0.12 CLI's default runs
// them after the timers).
const VM_FLAGS = ['-Xmicrotask-queue']

const argIndex = process.argv.indexOf('--build')
const buildDir = join(root, argIndex === -1 ? 'dist/react-native' : process.argv[argIndex + 1])
const smoke = join(root, 'test/hermes/smoke.js')
const reactNativeStub = join(root, 'test/hermes/react-native.js')

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.log(`hermes: SKIPPING hermes: the pinned hermes and hermesc binaries are run on Linux x64 only, this is ${process.platform} ${process.arch}`)
  process.exit(0)
}
if (!existsSync(join(buildDir, 'index.js'))) {
  console.error(`hermes: ${join(buildDir, 'index.js')} is missing; run \`npm run build\` (or \`npm run test:hermes\`)`)
  process.exit(1)
}

const started = performance.now()
const seconds = (fromMs) => `${((performance.now() - fromMs) / 1000).toFixed(2)} s`
installPinned({
  label: 'hermes',
  dir: hermesDir,
  packages: PACKAGES,
  isInstalled: () => Object.entries(PACKAGES).every(([name, spec]) => readVersion(inHermes(name)) === spec.split('@').at(-1)) && existsSync(VM) && existsSync(COMPILER),
})
console.log(`hermes: tools ready (${seconds(started)})`)

/** The smoke script and the build in one script (no import left), as a bundler would serve it to Metro's transformer. */
async function bundle() {
  // Loaded here: where the binaries cannot run, the script says so before it loads the bundler.
  const {build} = await import('vite')
  const output = await build({
    configFile: false,
    root,
    logLevel: 'warn',
    publicDir: false,
    resolve: {
      alias: [
        {find: /^eventsource-kit$/, replacement: join(buildDir, 'index.js')},
        {find: /^eventsource-kit\/(iterate|reconnect)$/, replacement: join(buildDir, '$1.js')},
        {find: /^react-native$/, replacement: reactNativeStub},
      ],
    },
    build: {
      write: false,
      minify: false,
      // No lowering here: the Babel preset does it, as in Metro.
      target: 'esnext',
      lib: {entry: smoke, formats: ['iife'], name: 'hermesSmoke', fileName: 'smoke'},
      // Metro does not tree-shake: every statement of every module runs, as in an app. (It also keeps
      // the harness, which package.json's `sideEffects` would let a bundler drop.)
      rolldownOptions: {treeshake: false},
    },
  })
  const chunks = (Array.isArray(output) ? output : [output]).flatMap((result) => result.output)
  const entry = chunks.find((chunk) => chunk.type === 'chunk' && chunk.isEntry)
  if (!entry || chunks.filter((chunk) => chunk.type === 'chunk').length !== 1) throw new Error('hermes: the bundle is not one file')
  return entry.code
}

/**
 * What Metro does to the bundle: React Native's Babel preset, with Metro's caller fields. `default`
 * lowers classes, private fields and async functions (Hermes before V1 has no classes, nor has the
 * 0.12 VM); `hermes-stable` keeps classes (Hermes V1). React Native 0.76's preset always lowers classes.
 */
const TRANSFORMS = [
  {name: '@react-native/babel-preset 0.88.1, hermes-stable profile', file: 'smoke.rn088-hermes-stable.js', preset: '@react-native/babel-preset', profile: 'hermes-stable', isRun: false},
  {name: '@react-native/babel-preset 0.88.1, default profile', file: 'smoke.rn088-default.js', preset: '@react-native/babel-preset', profile: 'default', isRun: true},
  {name: '@react-native/babel-preset 0.76.9, default profile', file: 'smoke.rn076-default.js', preset: 'react-native-babel-preset-0.76', profile: 'default', isRun: true},
]

/** React Native's Babel preset `preset` over the bundle, with `profile`. */
function transform(code, {preset, profile}) {
  const require = createRequire(join(hermesDir, 'package.json'))
  const babel = require('@babel/core')
  const result = babel.transformSync(code, {
    babelrc: false,
    configFile: false,
    filename: join(outDir, 'smoke.bundle.js'),
    sourceType: 'module',
    caller: {name: 'metro', bundler: 'metro', platform: 'ios', unstable_transformProfile: profile},
    // Helpers inlined instead of imports of @babel/runtime (Metro would resolve them in the app).
    presets: [[require.resolve(preset), {dev: false, enableBabelRuntime: false, compact: false, unstable_transformProfile: profile}]],
  })
  return result.code
}

/** Runs a file on the 0.12 VM, printing its lines as they come. */
function runOnVm(file) {
  return new Promise((resolve) => {
    const child = spawn(VM, [...VM_FLAGS, file], {stdio: ['ignore', 'pipe', 'pipe']})
    let output = ''
    let problem
    const timer = setTimeout(() => {
      problem = `no result within ${RUN_TIMEOUT_MS} ms`
      child.kill('SIGKILL')
    }, RUN_TIMEOUT_MS)
    const onData = (chunk) => {
      output += chunk
      process.stdout.write(chunk)
    }
    child.stdout.setEncoding('utf8').on('data', onData)
    child.stderr.setEncoding('utf8').on('data', onData)
    child.on('error', (error) => {
      problem ??= error.message
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const summary = /^# (\d+) passed, (\d+) failed$/m.exec(output)
      if (!problem && code !== 0) problem = `exit ${code ?? signal}`
      if (!problem && !summary) problem = 'no summary line'
      if (!problem && Number(summary[1]) === 0) problem = 'no check ran'
      resolve({problem, passed: Number(summary?.[1] ?? 0), failed: Number(summary?.[2] ?? 0)})
    })
  })
}

/**
 * Compiles a file with hermesc (Hermes V1) as React Native's release build does (`-O`). An error
 * fails; warnings (React Native's build prints them and goes on) are returned to be shown.
 * @returns {{problem?: string, warnings: string[]}}
 */
function compile(file) {
  const result = spawnSync(COMPILER, ['-emit-binary', '-O', '-max-diagnostic-width=100', '-out', file.replace(/\.js$/, '.hbc'), file], {encoding: 'utf8', timeout: RUN_TIMEOUT_MS})
  const diagnostics = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim()
  const lines = diagnostics.split('\n')
  const warnings = lines.filter((line) => /: warning: /.test(line)).map((line) => line.replace(/^.*?:(\d+:\d+): warning: /, '$1 '))
  const isError = result.status !== 0 || lines.some((line) => /: error: /.test(line))
  return {problem: isError ? `exit ${result.status ?? result.signal ?? result.error?.message}${diagnostics ? `:\n${diagnostics}` : ''}` : undefined, warnings}
}

const failures = []
mkdirSync(outDir, {recursive: true})
let stageStarted = performance.now()
const bundled = await bundle()
writeFileSync(join(outDir, 'smoke.bundle.js'), bundled)
console.log(`hermes: bundled ${buildDir.slice(root.length)} with the smoke script (${(bundled.length / 1024).toFixed(1)} KiB, ${seconds(stageStarted)})`)

for (const step of TRANSFORMS) {
  stageStarted = performance.now()
  const file = join(outDir, step.file)
  writeFileSync(file, transform(bundled, step))
  console.log(`hermes: ${step.name} (Babel ${readVersion(inHermes('@babel/core'))}): transformed (${seconds(stageStarted)})`)
  if (step.isRun) {
    stageStarted = performance.now()
    const run = await runOnVm(file)
    if (run.problem) failures.push(`${step.name}, on the hermes ${PACKAGES['hermes-engine-cli']} VM: ${run.problem}`)
    console.log(`hermes: ${step.name}, on the VM ${PACKAGES['hermes-engine-cli']}: ${run.problem ? `FAIL (${run.problem})` : 'pass'}, ${run.passed} passed, ${run.failed} failed (${seconds(stageStarted)})`)
  }
  stageStarted = performance.now()
  const {problem, warnings} = compile(file)
  if (problem) failures.push(`${step.name}, by hermesc: ${problem}`)
  const outcome = problem ? `FAIL (${problem})` : `compiled, no error, ${warnings.length === 0 ? 'no warning' : `${warnings.length} warning(s): ${warnings.join('; ')}`}`
  console.log(`hermes: ${step.name}, by hermesc ${PACKAGES['hermes-compiler']} (Hermes V1): ${outcome} (${seconds(stageStarted)})`)
}

console.log(failures.length === 0 ? `hermes: all passed (${seconds(started)})` : `hermes: ${failures.length} failed (${seconds(started)}):\n- ${failures.join('\n- ')}`)
process.exitCode = failures.length === 0 ? 0 : 1
