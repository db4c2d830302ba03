// A DOM for the binding tests, without replacing Node's own globals: happy-dom's window and document
// only, so the source keeps Node's fetch, EventTarget and AbortController (a DOM environment that
// swaps them would test happy-dom's fetch, not the library's). Imported first by the test files,
// before react-dom or vue read `document`.
import {Window} from 'happy-dom'

const window = new Window({url: 'http://127.0.0.1/'})
const scope = globalThis as Record<string, unknown>
for (const name of ['window', 'document', 'HTMLElement', 'HTMLIFrameElement', 'Element', 'Node', 'Text', 'Comment', 'SVGElement', 'MutationObserver']) {
  scope[name] ??= (window as unknown as Record<string, unknown>)[name]
}
scope.window = window
scope.document = window.document

/** A fresh container element in the document. */
export function container(): HTMLElement {
  const element = window.document.createElement('div')
  window.document.body.appendChild(element)
  return element as unknown as HTMLElement
}
