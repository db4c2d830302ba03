// The connection panel's event log: newest first, a bounded number of lines.
import {element} from './dom.js'

const clock = new Intl.DateTimeFormat('en-GB', {hour: '2-digit', minute: '2-digit', second: '2-digit'})

/** A list that keeps the last `max` lines, each with the time it was added. */
export class EventLog {
  readonly #list: HTMLElement
  readonly #max: number

  constructor(list: HTMLElement, max = 8) {
    this.#list = list
    this.#max = max
  }

  /** Adds a line; `tone` colours it (info, good, bad). */
  add(text: string, tone: 'info' | 'good' | 'bad' = 'info'): void {
    const line = element('li', `log-line log-${tone}`)
    line.append(element('time', 'log-time', clock.format(Date.now())), element('span', 'log-text', text))
    this.#list.prepend(line)
    while (this.#list.childElementCount > this.#max) this.#list.lastElementChild?.remove()
  }
}
