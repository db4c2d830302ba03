// A dedicated module worker (/bundles/shared-worker.js) with eventsource-kit/shared: a worker is not a
// tab, so the source falls back to a connection of its own. Sent a URL, it posts back what the
// source was (isShared, isLeader, readyState) and the data of its first five messages.
import {EventSource} from 'eventsource-kit/shared'

const scope = globalThis as unknown as {onmessage: ((event: MessageEvent<string>) => void) | null; postMessage(message: unknown): void}
scope.onmessage = (event) => {
  const source = new EventSource(event.data)
  const data: string[] = []
  source.onmessage = (message) => {
    data.push(message.data)
    if (data.length < 5) return
    scope.postMessage({isShared: source.isShared, isLeader: source.isLeader, readyState: source.readyState, data})
    source.close()
  }
  source.onerror = () => scope.postMessage({error: source.readyState})
}
