// Lets Node (>= 22.18, which strips types) run the CLI from src/ unbuilt, for the CLI tests:
// `node --import ./test/cli/register-src.mjs src/cli/main.ts URL`. It maps the `.js` specifiers of
// src/ to their `.ts` files and the package's own names to src/index.ts and src/<entry>/index.ts, as Vite does.
import {existsSync} from 'node:fs'
import {registerHooks} from 'node:module'
import {fileURLToPath} from 'node:url'

const index = new URL('../../src/index.ts', import.meta.url).href

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'eventsource-kit') return {url: index, shortCircuit: true}
    // The package's other entries: src/<name>/index.ts.
    const entry = /^eventsource-kit\/([\w-]+)$/.exec(specifier)?.[1]
    if (entry && existsSync(fileURLToPath(new URL(`../../src/${entry}/index.ts`, import.meta.url)))) {
      return {url: new URL(`../../src/${entry}/index.ts`, import.meta.url).href, shortCircuit: true}
    }
    if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
      const url = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL)
      if (existsSync(fileURLToPath(url))) return {url: url.href, shortCircuit: true}
    }
    return nextResolve(specifier, context)
  },
})
