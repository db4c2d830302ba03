// Installs npm packages that cannot be devDependencies (per-platform binaries the lockfile would
// need for every platform, or tools only one script uses) on demand, at exact versions, into a
// git-ignored folder of their own. scripts/runtimes.mjs (Deno, Bun, workerd, other Node lines) and
// scripts/hermes.mjs (the Hermes VM and compiler, React Native's Babel preset) use it.
import {spawnSync} from 'node:child_process'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join, relative} from 'node:path'

const INSTALL_TIMEOUT_MS = 5 * 60_000

/** The version in `<dir>/package.json`, or undefined where there is none. */
export function readVersion(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version
  } catch {
    return undefined
  }
}

/**
 * Makes `dir` hold exactly `packages` (alias → exact version or `npm:name@version`), unless
 * `isInstalled()` already says it does (a re-run with the right versions in place skips npm).
 * Exits the process with code 1 when the install fails.
 * @param {{label: string, dir: string, packages: Record<string, string>, allowScripts?: Record<string, boolean>, isInstalled: () => boolean}} options
 */
export function installPinned({label, dir, packages, allowScripts = {}, isInstalled}) {
  if (isInstalled()) return
  const shown = relative(process.cwd(), dir) || '.'
  console.log(`${label}: installing ${Object.entries(packages).map(([alias, spec]) => `${alias}@${spec}`).join(', ')} into ${shown}`)
  mkdirSync(dir, {recursive: true})
  // A package.json of its own makes the install exact and prunes versions no longer pinned. Install
  // scripts that fetch platform binaries run only where they are allowed explicitly.
  const manifest = {private: true, description: `Pinned tools for scripts/${label}.mjs`, dependencies: packages, allowScripts}
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const result = spawnSync(npm, ['install', '--prefix', dir, '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    stdio: 'inherit',
    timeout: INSTALL_TIMEOUT_MS,
    shell: process.platform === 'win32',
  })
  if (result.status !== 0 || !isInstalled()) {
    console.error(`${label}: installing into ${shown} failed (${result.error?.message ?? `exit ${result.status}`})`)
    process.exit(1)
  }
}
