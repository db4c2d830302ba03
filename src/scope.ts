/**
 * Whether this global is a window or a worker (a global `document`, or `importScripts`): there
 * fetch() enforces CORS and answers `redirect: 'manual'` with an opaque response. Node, Deno, Bun
 * and workerd have neither. Feature detection, not the user agent string.
 */
export function isBrowsingScope(): boolean {
  const scope = globalThis as {document?: unknown; importScripts?: unknown}
  return scope.document !== undefined || typeof scope.importScripts === 'function'
}
