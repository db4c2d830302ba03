// A dedicated module worker (/bundles/lifecycle-worker.js) for e2e/lifecycle.spec.ts: opens the URL
// it is sent with ours (the built main entry) or with the worker's native EventSource, and posts each
// message's id and when it arrived (on the page's clock, performance.timeOrigin + now).
import {EventSource} from 'eventsource-kit'

const scope = globalThis as unknown as {onmessage: ((event: MessageEvent<{url: string; native: boolean}>) => void) | null; postMessage(message: unknown): void}
scope.onmessage = ({data}) => {
  const Source = data.native ? globalThis.EventSource : EventSource
  const source = new Source(data.url)
  source.onmessage = (event: MessageEvent<string>) => scope.postMessage({id: Number(event.lastEventId), at: performance.timeOrigin + performance.now()})
}
