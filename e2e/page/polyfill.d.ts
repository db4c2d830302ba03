// The worker bundles import the built polyfill by its package name, as an app would; the e2e bundler
// maps it to dist/polyfill.js. Declared here so that type checking does not need a build.
declare module 'eventsource-kit/polyfill' {}
