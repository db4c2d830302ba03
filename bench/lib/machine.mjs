// The machine and the versions a results file was measured with.
import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {cpus, totalmem} from 'node:os'
import {fileURLToPath} from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const require = createRequire(new URL('../../package.json', import.meta.url))

function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version
  } catch {
    return 'not installed'
  }
}

function gitCommit() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {cwd: ROOT, encoding: 'utf8', timeout: 5000}).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], {cwd: ROOT, encoding: 'utf8', timeout: 5000}).trim()
    return dirty ? `${commit} (src/ modified)` : commit
  } catch {
    return 'unknown'
  }
}

/** CPU, memory, Node and package versions, as Markdown list items. */
export function describeMachine({chromium, build} = {}) {
  const cores = cpus()
  const ours = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
  const lines = [
    `- CPU: ${cores[0]?.model ?? 'unknown'}, ${cores.length} cores; ${Math.round(totalmem() / 2 ** 30)} GiB RAM; ${process.platform} ${process.arch}`,
    `- Node ${process.version}`,
    `- eventsource-kit ${ours.version} (commit ${gitCommit()}${build ? `, dist/index.js sha256 ${build}` : ''}), eventsource-parser ${packageVersion('eventsource-parser')}`,
    `- peers: eventsource ${packageVersion('eventsource')}, @microsoft/fetch-event-source ${packageVersion('@microsoft/fetch-event-source')}`,
  ]
  if (chromium) lines.push(`- ${chromium}`)
  return lines.join('\n')
}
