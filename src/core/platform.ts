// The runtime-specific steps of the loop. The default build (Node, Deno, Bun, workerd, and any
// bundler that ignores export conditions) takes src/core/server.ts; the browser build replaces this
// module with src/core/browser.ts (see vite.config.ts), which exports the same names.
export * from './server.js'
