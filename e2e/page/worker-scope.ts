// Evaluated before the polyfill in the worker bundles (imports run in order): records whether the
// worker has a native EventSource, and removes it when the script URL asks for `?without-native`,
// which makes a dedicated worker look like a platform without one.

const scope = globalThis as {EventSource?: unknown; location?: {href: string}}

/** `typeof EventSource` before the polyfill ran. */
export const typeBefore = typeof scope.EventSource

/** The native EventSource, if there was one. */
export const nativeEventSource = scope.EventSource

if (scope.location && new URL(scope.location.href).searchParams.has('without-native')) delete scope.EventSource
