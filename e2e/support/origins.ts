// Where the e2e server listens: the page's origin and a second port on the same host, which is a
// different origin (same site, so cookies are shared and only CORS decides what is sent).

/** The page's port; `E2E_PORT` moves it (and the demo's and the cross port, one and two above it). */
export const PORT = Number(process.env.E2E_PORT ?? 4319)

/** The demo's port (`npm run demo` on it, for e2e/demo.spec.ts). */
export const DEMO_PORT = PORT + 1

/** The cross origin's port. */
export const CROSS_PORT = PORT + 2

/** The page's origin. */
export const MAIN_ORIGIN = `http://127.0.0.1:${PORT}`

/** Another origin for CORS and cross-origin redirects. */
export const CROSS_ORIGIN = `http://127.0.0.1:${CROSS_PORT}`

/** Which listener a scenario URL points at. */
export type ServerName = 'main' | 'cross'

/** The origin of `server`. */
export const originOf = (server: ServerName): string => (server === 'main' ? MAIN_ORIGIN : CROSS_ORIGIN)
