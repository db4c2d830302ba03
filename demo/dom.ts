// Tiny DOM helpers for the demo's plain-TypeScript panels.

/** The element with `id`, or an error naming the id that index.html lacks. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id)
  if (!found) throw new Error(`#${id} is missing from index.html`)
  return found as T
}

/** A new element with a class and text. */
export function element(tag: string, className: string, text = ''): HTMLElement {
  const created = document.createElement(tag)
  created.className = className
  created.textContent = text
  return created
}

const STATE_NAMES = ['CONNECTING', 'OPEN', 'CLOSED'] as const

/** Shows a readyState as a coloured badge: its name, with the number in the title. */
export function showReadyState(badge: HTMLElement, readyState: number): void {
  const name = STATE_NAMES[readyState] ?? String(readyState)
  badge.textContent = name
  badge.title = `readyState ${readyState}`
  badge.dataset.state = name.toLowerCase()
}
