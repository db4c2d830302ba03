// The packaging checks users hit, on the `npm pack` tarball of the built package (run by
// `npm run test:package` and `npm test`, after the build):
//   0. the tarball is `eventsource-kit-<version>.tgz`, `npm publish --dry-run` would publish the same
//      name, version and files, and the tarball's package.json is what users get: the name
//      `eventsource-kit`, `files` ["dist"], and every file that `exports`, `main`, `types`, `bin`
//      and `sideEffects` name is in the tarball;
//   1. publint: clean, suggestions included;
//   2. @arethetypeswrong/cli: clean under the esm-only profile (see ATTW_PROFILE);
//   3. a consumer project in a temporary directory installs the tarball, then an ESM script imports it
//      and a CommonJS script requires it, each receiving events from a local SSE server (Node 24, plus
//      the Node on PATH and any Node in .runtimes/), and test/consumer/types.ts compiles with the
//      project's tsc under moduleResolution bundler, node16 and nodenext (from CommonJS), with the DOM lib,
//      and in a Node project with @types/node and no DOM lib (none of the DOM lib's files may enter it);
//   4. the bin: executable in the tarball with a shebang, and `npx eventsource-kit` runs from the
//      consumer install (--version, and a data: URL stream read to its first event);
//   5. the size budget: `node scripts/size.mjs --check`, once that script exists;
//   6. the server entry imports nothing from the client: bundled with everything it imports, the
//      built dist/server.js is that file alone, and src/server/index.ts only files of src/server/;
//   7. the react-native build: the `react-native` field and the `react-native` condition of each of its
//      entries (before workerd, browser and default), and test/consumer/react-native.mjs run with
//      `--conditions=react-native` on the consumer's Nodes: every entry resolves to
//      dist/react-native/, loads with none of the globals React Native may lack, its EventSource
//      constructs and dispatches, and a stream without the `fetch` option never asks the global fetch.
// Prints one line per check and a summary; exits 1 if any check fails.
import {spawnSync} from 'node:child_process'
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {delimiter, join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {fileURLToPath} from 'node:url'
import {publint} from 'publint'
import {rolldown} from 'rolldown'
import {formatMessage} from 'publint/utils'
import {prepareReactNativeConsumer, reactNativeManifestProblems} from './react-native-package.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const fixtures = fileURLToPath(new URL('../test/consumer/', import.meta.url))
const tsc = `${root}node_modules/typescript/bin/tsc`
const attw = `${root}node_modules/@arethetypeswrong/cli/dist/index.js`

// The package is ESM-only. attw's default "strict" profile also grades `node10` (TypeScript's
// pre-`exports` resolution, which cannot see the ./polyfill subpath and is deprecated in TypeScript
// 6) and `node16` from CommonJS, where attw's bundled TypeScript 5.6 still calls require() of ESM an
// error. Node >= 20.19 / 22.12 does load ESM with require(), and TypeScript models it from 5.8 on
// (module nodenext): this script proves both for real (cjs.cjs run, types.ts compiled as CommonJS
// under nodenext), so attw grades the ESM resolutions (node16 from ESM, bundler) with `esm-only`.
const ATTW_PROFILE = 'esm-only'
// The name the package is published under (see the rename in CHANGELOG.md).
const PACKAGE_NAME = 'eventsource-kit'
const PACKAGE_FILES = ['dist']
const INSTALL_TIMEOUT_MS = 120_000
const RUN_TIMEOUT_MS = 30_000
const TOOL_TIMEOUT_MS = 60_000

/** Runs a command to completion; never throws. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, {encoding: 'utf8', timeout: TOOL_TIMEOUT_MS, ...options, env: {...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env}})
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim()
  const problem = result.error ? result.error.message : result.status !== 0 ? `exit ${result.status ?? result.signal}` : undefined
  return {ok: problem === undefined, output, problem, stdout: result.stdout ?? ''}
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'
const npmOptions = {shell: process.platform === 'win32'}

const results = []
/** Records one check: `body` returns details to show, or throws an Error whose message says why it failed. */
async function check(name, body) {
  const started = performance.now()
  try {
    const detail = await body()
    const ms = performance.now() - started
    results.push({name, ok: true, ms})
    console.log(`ok - ${name} [${(ms / 1000).toFixed(1)} s]${detail ? `: ${detail}` : ''}`)
  } catch (error) {
    results.push({name, ok: false, ms: performance.now() - started})
    console.log(`not ok - ${name}\n${String(error?.message ?? error).replace(/^/gm, '    ')}`)
  }
}

/** Throws with the command's output when it failed. */
function mustSucceed(result, what) {
  if (!result.ok) throw new Error(`${what} failed (${result.problem})\n${result.output}`)
  return result
}

function nodeVersion(bin) {
  return run(bin, ['-p', 'process.versions.node']).stdout.trim()
}

/** require() of ESM works without a flag from Node 20.19 and 22.12 (and every 23+). */
function canRequireEsm(version) {
  const [major, minor] = version.split('.').map(Number)
  return major >= 23 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19)
}

/** The Nodes to run the consumer on: the project's Node 24, the first Node on PATH outside the project, and .runtimes/ ones. */
function consumerNodes() {
  const candidates = [{bin: `${root}node_modules/node/bin/node`, from: 'devDependency'}]
  const onPath = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '' && !realpathOr(dir).startsWith(realpathOr(root)))
    .map((dir) => join(dir, 'node'))
    .find((bin) => existsSync(bin))
  if (onPath) candidates.push({bin: onPath, from: 'PATH'})
  for (const alias of ['node20', 'node22', 'node26']) candidates.push({bin: `${root}.runtimes/node_modules/${alias}/bin/node`, from: '.runtimes'})
  const byVersion = new Map()
  for (const {bin, from} of candidates.filter((candidate) => existsSync(candidate.bin))) {
    const version = nodeVersion(bin)
    if (version && !byVersion.has(version)) byVersion.set(version, {version, bin, from})
  }
  if (byVersion.size === 0) byVersion.set(process.versions.node, {version: process.versions.node, bin: process.execPath, from: 'this process'})
  return [...byVersion.values()]
}

function realpathOr(path) {
  try {
    return realpathSync(path)
  } catch {
    return path
  }
}

/**
 * The TypeScript configurations a consumer may have; each compiles the fixtures it lists. One with
 * `knownFailure` is expected to fail with that reason (reported, not yet fixed in src/): the check
 * passes while it fails that way and fails once it compiles, so the marker gets removed.
 */
function tsconfigs() {
  // The package's declarations (and its parser's) are checked; TypeScript's own lib files are not.
  const strict = {strict: true, noEmit: true, skipLibCheck: false, skipDefaultLibCheck: true, target: 'es2022', types: []}
  const dom = ['es2022', 'dom', 'dom.iterable']
  return {
    bundler: {
      compilerOptions: {...strict, module: 'esnext', moduleResolution: 'bundler', lib: dom, verbatimModuleSyntax: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true},
      files: ['esm/types.ts', 'esm/dom.ts'],
    },
    node16: {compilerOptions: {...strict, module: 'node16', moduleResolution: 'node16', lib: dom}, files: ['esm/types.ts', 'esm/dom.ts']},
    // A CommonJS TypeScript file (cjs/package.json says so): its import compiles to require(esm).
    'nodenext from CommonJS': {compilerOptions: {...strict, module: 'nodenext', moduleResolution: 'nodenext', lib: dom}, files: ['cjs/types.ts']},
    // A Node project without the DOM lib, with @types/node's globals only (none of the DOM's are pulled in).
    'node16 with @types/node, no DOM lib': {
      compilerOptions: {...strict, module: 'node16', moduleResolution: 'node16', lib: ['es2022'], types: ['node'], typeRoots: [`${root}node_modules/@types`]},
      files: ['esm/types.ts'],
      // The declarations pull in no DOM lib (`/// <reference lib="dom" />`): the program lists none of its files.
      forbiddenFiles: /[\\/]lib\.dom[\w.]*\.d\.ts$/,
    },
  }
}

/** Every file path a package.json field points at: `exports` targets (any depth of conditions), `main`, `types`, `bin`, `sideEffects`. */
function manifestTargets(manifest) {
  const targets = []
  const walk = (value, where) => {
    if (typeof value === 'string') targets.push({where, path: value})
    else if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${where}[${index}]`))
    else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) walk(item, `${where}[${JSON.stringify(key)}]`)
  }
  walk(manifest.exports, 'exports')
  for (const field of ['main', 'module', 'types', 'typings']) if (typeof manifest[field] === 'string') targets.push({where: field, path: manifest[field]})
  if (typeof manifest.bin === 'string') targets.push({where: 'bin', path: manifest.bin})
  else walk(manifest.bin, 'bin')
  if (Array.isArray(manifest.sideEffects)) walk(manifest.sideEffects, 'sideEffects')
  return targets
}

/** Whether a package-relative target (`./dist/x.js`, or a pattern with `*`) names a file of `files`. */
function isTargetPacked(target, files) {
  const path = target.replace(/^\.\//, '')
  if (!path.includes('*')) return files.has(path)
  const pattern = new RegExp(`^${path.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)
  return [...files].some((file) => pattern.test(file))
}

/** What is wrong with a tarball's manifest and files (none: an empty list). */
function manifestProblems(manifest, files, filename) {
  const problems = []
  if (manifest.name !== PACKAGE_NAME) problems.push(`name is ${JSON.stringify(manifest.name)}, expected ${JSON.stringify(PACKAGE_NAME)}`)
  const expectedFilename = `${PACKAGE_NAME}-${manifest.version}.tgz`
  if (filename !== expectedFilename) problems.push(`the tarball is ${filename}, expected ${expectedFilename}`)
  if (JSON.stringify(manifest.files) !== JSON.stringify(PACKAGE_FILES)) problems.push(`files is ${JSON.stringify(manifest.files)}, expected ${JSON.stringify(PACKAGE_FILES)}`)
  if (!manifest.exports || typeof manifest.exports !== 'object') problems.push('exports is missing')
  for (const subpath of ['.', './polyfill']) if (!manifest.exports?.[subpath]) problems.push(`exports has no ${JSON.stringify(subpath)}`)
  for (const {where, path} of manifestTargets(manifest)) {
    // (npm writes `bin` paths without the ./ into the packed package.json.)
    if (!path.startsWith('./') && !where.startsWith('bin')) problems.push(`${where} is ${JSON.stringify(path)}: a target must start with ./`)
    else if (!isTargetPacked(path, files)) problems.push(`${where} points at ${path}, which is not in the tarball`)
  }
  return problems
}

if (!existsSync(`${root}dist/index.js`)) {
  console.error('check-package: dist/ is missing; run `npm run build` first (or `npm run test:package`)')
  process.exit(1)
}

const started = performance.now()
const scratch = mkdtempSync(join(tmpdir(), 'eventsource-kit-package-'))
try {
  let tarball
  let packInfo
  await check('npm pack', () => {
    const packed = mustSucceed(run(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], {cwd: root, ...npmOptions}), 'npm pack')
    const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')))
    tarball = join(scratch, info.filename)
    packInfo = info
    const files = info.files.map((file) => file.path)
    const bin = info.files.find((file) => file.path === 'dist/cli.js')
    if (!bin) throw new Error('the bin dist/cli.js is not in the tarball')
    if ((bin.mode & 0o111) === 0) throw new Error(`the bin dist/cli.js is not executable in the tarball (mode ${bin.mode.toString(8)})`)
    if (!readFileSync(join(root, 'dist', 'cli.js'), 'utf8').startsWith('#!/usr/bin/env node\n')) throw new Error('dist/cli.js does not start with #!/usr/bin/env node')
    const unexpected = files.filter((path) => !/^(dist\/|package\.json$|README\.md$|LICENSE$|CHANGELOG\.md$)/.test(path))
    if (unexpected.length > 0) throw new Error(`unexpected files in the tarball: ${unexpected.join(', ')}`)
    return `${info.filename}, ${files.length} files, ${(info.size / 1024).toFixed(1)} KiB packed, ${(info.unpackedSize / 1024).toFixed(1)} KiB unpacked`
  })
  if (!tarball) throw new Error('no tarball to check')

  await check(`the tarball is ${PACKAGE_NAME}: name, files and every exports target`, () => {
    // The package.json users get is the one inside the tarball (npm may normalize it on the way).
    const unpacked = join(scratch, 'unpacked')
    mkdirSync(unpacked)
    mustSucceed(run('tar', ['-xzf', tarball, '-C', unpacked]), 'tar -x')
    const manifest = JSON.parse(readFileSync(join(unpacked, 'package', 'package.json'), 'utf8'))
    const files = new Set(packInfo.files.map((file) => file.path))
    const problems = [...manifestProblems(manifest, files, packInfo.filename), ...reactNativeManifestProblems(manifest)]
    if (problems.length > 0) throw new Error(problems.join('\n'))
    return `${manifest.name}@${manifest.version}, ${manifestTargets(manifest).length} targets all in the tarball`
  })

  await check('npm publish --dry-run publishes that tarball', () => {
    // --ignore-scripts: dist/ is built already; nothing is sent (dry run), and no login is needed.
    const published = mustSucceed(run(npm, ['publish', '--dry-run', '--json', '--ignore-scripts'], {cwd: root, ...npmOptions}), 'npm publish --dry-run')
    const parsed = JSON.parse(published.stdout.slice(published.stdout.indexOf('{')))
    const info = parsed[PACKAGE_NAME] ?? Object.values(parsed)[0]
    const problems = []
    if (info?.name !== PACKAGE_NAME) problems.push(`it would publish ${JSON.stringify(info?.name)}, expected ${JSON.stringify(PACKAGE_NAME)}`)
    if (info?.version !== packInfo.version) problems.push(`it would publish version ${info?.version}, the tarball is ${packInfo.version}`)
    if (info?.filename !== packInfo.filename) problems.push(`it would publish ${info?.filename}, the tarball is ${packInfo.filename}`)
    const publishedFiles = (info?.files ?? []).map((file) => file.path).sort()
    const packedFiles = packInfo.files.map((file) => file.path).sort()
    if (JSON.stringify(publishedFiles) !== JSON.stringify(packedFiles)) problems.push(`it would publish other files than the tarball holds:\n  ${publishedFiles.join(', ')}\nagainst\n  ${packedFiles.join(', ')}`)
    if (problems.length > 0) throw new Error(problems.join('\n'))
    return `${info.id}, ${publishedFiles.length} files, the same as the tarball`
  })

  await check('publint (strict, suggestions included)', async () => {
    const bytes = readFileSync(tarball)
    const packed = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
    const {messages, pkg} = await publint({pack: {tarball: packed}, level: 'suggestion', strict: true})
    if (messages.length > 0) throw new Error(messages.map((message) => `${message.type}: ${formatMessage(message, pkg, {color: false})}`).join('\n'))
    return 'no messages'
  })

  await check(`@arethetypeswrong/cli --profile ${ATTW_PROFILE}`, () => {
    const result = mustSucceed(run(process.execPath, [attw, '--profile', ATTW_PROFILE, '--no-emoji', '--no-color', '--format', 'table-flipped', tarball]), 'attw')
    return result.output.includes('No problems found') ? 'no problems found' : 'clean'
  })

  // The consumer: a project of its own outside the repository, with the tarball as its dependency.
  const consumer = join(scratch, 'consumer')
  mkdirSync(join(consumer, 'esm'), {recursive: true})
  mkdirSync(join(consumer, 'cjs'), {recursive: true})
  writeFileSync(join(consumer, 'package.json'), `${JSON.stringify({name: 'consumer', private: true, type: 'module'}, null, 2)}\n`)
  writeFileSync(join(consumer, 'cjs', 'package.json'), `${JSON.stringify({type: 'commonjs'}, null, 2)}\n`)
  for (const file of ['scenario.cjs', 'esm.mjs', 'cjs.cjs', 'react-native.mjs']) copyFileSync(join(fixtures, file), join(consumer, file))
  copyFileSync(join(fixtures, 'types.ts'), join(consumer, 'esm', 'types.ts'))
  copyFileSync(join(fixtures, 'dom.ts'), join(consumer, 'esm', 'dom.ts'))
  copyFileSync(join(fixtures, 'types.ts'), join(consumer, 'cjs', 'types.ts'))

  let installed = false
  await check('consumer: npm install <tarball>', () => {
    const args = ['install', tarball, '--prefix', consumer, '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error']
    mustSucceed(run(npm, args, {cwd: consumer, timeout: INSTALL_TIMEOUT_MS, ...npmOptions}), 'npm install')
    const version = JSON.parse(readFileSync(join(consumer, 'node_modules', 'eventsource-parser', 'package.json'), 'utf8')).version
    installed = true
    return `eventsource-parser ${version}`
  })

  if (installed) {
    for (const {version, bin, from} of consumerNodes()) {
      await check(`consumer: ESM import on node ${version} (${from})`, () => {
        mustSucceed(run(bin, ['esm.mjs'], {cwd: consumer, timeout: RUN_TIMEOUT_MS}), 'esm.mjs')
      })
      if (canRequireEsm(version)) {
        await check(`consumer: CommonJS require on node ${version} (${from})`, () => {
          mustSucceed(run(bin, ['cjs.cjs'], {cwd: consumer, timeout: RUN_TIMEOUT_MS}), 'cjs.cjs')
        })
      } else {
        console.log(`skip - consumer: CommonJS require on node ${version} (${from}): require(esm) needs Node >= 20.19 / 22.12`)
      }
    }

    prepareReactNativeConsumer(consumer, root)
    for (const {version, bin, from} of consumerNodes()) {
      await check(`consumer: the react-native build on node ${version} (${from}), globals React Native may lack deleted`, () => {
        const result = mustSucceed(run(bin, ['--conditions=react-native', 'react-native.mjs'], {cwd: consumer, timeout: RUN_TIMEOUT_MS}), 'react-native.mjs')
        return result.output.replace(/^ok - react-native consumer on node [\d.]+: /, '')
      })
    }

    await check('consumer: npx eventsource-kit --version', () => {
      const result = mustSucceed(run(npx, ['--no-install', 'eventsource-kit', '--version'], {cwd: consumer, ...npmOptions}), 'npx eventsource-kit --version')
      const expected = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version
      if (result.stdout.trim() !== expected) throw new Error(`printed ${JSON.stringify(result.stdout.trim())}, expected ${expected}`)
      return result.stdout.trim()
    })

    await check('consumer: npx eventsource-kit reads a stream', () => {
      const url = `data:text/event-stream,${encodeURIComponent('id: 1\nevent: greeting\ndata: hello\n\n')}`
      const result = mustSucceed(run(npx, ['--no-install', 'eventsource-kit', url, '--json', '--count', '1'], {cwd: consumer, timeout: RUN_TIMEOUT_MS, ...npmOptions}), 'npx eventsource-kit URL')
      const records = result.stdout.trim().split('\n').map((line) => JSON.parse(line))
      const event = records.find((record) => record.kind === 'event')
      if (event?.type !== 'greeting' || event.data !== 'hello' || event.id !== '1') throw new Error(`unexpected output:\n${result.stdout}`)
      return `${records.length} records, the event ${JSON.stringify(event.data)}`
    })

    const tscVersion = JSON.parse(readFileSync(`${root}node_modules/typescript/package.json`, 'utf8')).version
    for (const [name, {knownFailure, forbiddenFiles, ...config}] of Object.entries(tsconfigs())) {
      const title = `consumer: types compile (tsc ${tscVersion}, ${name})`
      await check(knownFailure ? `${title} [known failure]` : title, () => {
        const file = `tsconfig.${name.replace(/\W+/g, '-')}.json`
        writeFileSync(join(consumer, file), JSON.stringify(config, null, 2))
        const result = run(process.execPath, [tsc, '-p', file], {cwd: consumer})
        if (!knownFailure) {
          mustSucceed(result, 'tsc')
          if (!forbiddenFiles) return undefined
          const listed = mustSucceed(run(process.execPath, [tsc, '-p', file, '--listFilesOnly'], {cwd: consumer}), 'tsc --listFilesOnly').stdout.split('\n')
          const found = listed.filter((path) => forbiddenFiles.test(path.trim()))
          if (found.length > 0) throw new Error(`the program includes files it must not (${forbiddenFiles}):\n${found.join('\n')}`)
          return `${listed.filter(Boolean).length} files in the program, none matching ${forbiddenFiles}`
        }
        if (result.ok) throw new Error(`compiles now: remove the knownFailure marker (${knownFailure.reason})`)
        if (!knownFailure.pattern.test(result.output)) throw new Error(`fails for another reason than the known one:\n${result.output}`)
        return `fails as known: ${knownFailure.reason}`
      })
    }
  }

  const sizeScript = `${root}scripts/size.mjs`
  if (existsSync(sizeScript)) {
    await check('size budget (scripts/size.mjs --check)', () => {
      const result = mustSucceed(run(process.execPath, [sizeScript, '--check'], {cwd: root}), 'size check')
      return result.output.split('\n').at(-1)
    })
  } else {
    console.log('notice - size budget: scripts/size.mjs does not exist yet, skipped')
  }

  await check('the server entry imports nothing from the client (bundled alone)', async () => {
    const built = await bundledModules(`${root}dist/server.js`)
    const source = await bundledModules(`${root}src/server/index.ts`)
    const foreign = [...built.filter((id) => id !== realpathSync(`${root}dist/server.js`)), ...source.filter((id) => !id.startsWith(`${realpathSync(`${root}src/server`)}/`))]
    if (foreign.length > 0) throw new Error(`it bundles other modules:\n${foreign.join('\n')}`)
    return `dist/server.js alone; ${source.length} modules, all in src/server/`
  })
} finally {
  rmSync(scratch, {recursive: true, force: true})
}

/** The modules a bundle of `input` (with everything it imports) contains. */
async function bundledModules(input) {
  const bundle = await rolldown({input, cwd: root, platform: 'neutral', logLevel: 'silent'})
  try {
    const {output} = await bundle.generate({format: 'es'})
    return output.filter((item) => item.type === 'chunk').flatMap((chunk) => Object.keys(chunk.modules))
  } finally {
    await bundle.close()
  }
}

const failed = results.filter((result) => !result.ok)
const seconds = ((performance.now() - started) / 1000).toFixed(1)
console.log(failed.length === 0 ? `check-package: all ${results.length} checks passed in ${seconds} s` : `check-package: ${failed.length} of ${results.length} checks failed (${failed.map((result) => result.name).join('; ')}) in ${seconds} s`)
process.exitCode = failed.length === 0 ? 0 : 1
