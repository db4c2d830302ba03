/**
 * Whether this global is a window or a worker (a global `document`, or `importScripts` with a
 * `location`): there fetch() enforces CORS and answers `redirect: 'manual'` with an opaque response.
 * Node, Deno, Bun and workerd have neither (workerd at older compatibility dates has an
 * `importScripts` that throws "not implemented", but no `location`). Feature detection, not the
 * user agent string.
 */
export function isBrowsingScope(): boolean {
  const scope = globalThis as {document?: unknown; importScripts?: unknown; location?: unknown}
  return scope.document !== undefined || (typeof scope.importScripts === 'function' && scope.location !== undefined)
}
